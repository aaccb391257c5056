# Runs at install time: writes the systemd user unit with the installed binary's path.
set(unit_dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/user")
set(CMAKE_INSTALL_FULL_BINDIR "${CMAKE_INSTALL_PREFIX}/${PP_BINDIR_REL}")
configure_file("${PP_UNIT_IN}" "${unit_dir}/persistproc.service" @ONLY)
message(STATUS "Installing: ${unit_dir}/persistproc.service")
