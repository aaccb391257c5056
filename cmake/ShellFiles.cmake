# What a packaged command line has beside its binary: shell completions for bash, zsh
# and fish, printed by the built binary from its CLI11 definition, and the man page
# persistproc(1), written by help2man from --help and --version (docs/cli.md#completions).
# Each is installed where its shell or man looks by default.
set(pp_gen ${CMAKE_BINARY_DIR}/share)
set(pp_completions ${pp_gen}/persistproc.bash ${pp_gen}/_persistproc ${pp_gen}/persistproc.fish)
foreach(shell_file IN ITEMS bash:persistproc.bash zsh:_persistproc fish:persistproc.fish)
  string(REPLACE ":" ";" pair ${shell_file})
  list(GET pair 0 shell)
  list(GET pair 1 file)
  add_custom_command(OUTPUT ${pp_gen}/${file}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:persistproc> "-DARGS=completions;${shell}"
            -DOUT=${pp_gen}/${file} -P ${PROJECT_SOURCE_DIR}/cmake/RunToFile.cmake
    DEPENDS persistproc ${PROJECT_SOURCE_DIR}/cmake/RunToFile.cmake
    COMMENT "Writing the ${shell} completion script" VERBATIM)
endforeach()

find_program(HELP2MAN help2man)
set(pp_man ${pp_gen}/persistproc.1)
if(HELP2MAN)
  add_custom_command(OUTPUT ${pp_man}
    # Without the builder's settings, so the defaults shown are everyone's.
    COMMAND ${CMAKE_COMMAND} -E env --unset=PERSISTPROC_PORT --unset=PERSISTPROC_DATA_DIR --unset=PERSISTPROC_FORMAT
            --unset=XDG_DATA_HOME HOME=~ ${HELP2MAN} --no-info --section 1 --name "share long-running processes with coding agents over MCP"
            --include ${PROJECT_SOURCE_DIR}/packaging/persistproc.h2m --output ${pp_man} $<TARGET_FILE:persistproc>
    DEPENDS persistproc ${PROJECT_SOURCE_DIR}/packaging/persistproc.h2m
    COMMENT "Writing the man page persistproc(1)" VERBATIM)
  set(pp_man_files ${pp_man})
else()
  message(STATUS "help2man not found: no man page (apt install help2man)")
endif()
add_custom_target(pp_shell_files ALL DEPENDS ${pp_completions} ${pp_man_files})

install(FILES ${pp_gen}/persistproc.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME persistproc)
# Debian's zsh looks in vendor-completions; site-functions is upstream zsh's place for others.
install(FILES ${pp_gen}/_persistproc DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${pp_gen}/persistproc.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
if(HELP2MAN)
  install(FILES ${pp_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
