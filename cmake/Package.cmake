# `cpack -G DEB` (or `cmake --build build --target package`): persistproc_X.Y.Z_amd64.deb
# with everything `cmake --install` puts in place under /usr (the binary, the systemd
# user unit, the completions, the man page); its Depends computed by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME persistproc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR persistproc)
set(CPACK_PACKAGE_CONTACT "persistproc maintainers <persistproc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "share long-running processes with coding agents over MCP")
set(CPACK_PACKAGE_DESCRIPTION
    "One server supervises dev servers, watchers and databases, logs their output and serves them over the Model Context Protocol; the same binary is its command-line client.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # the debug info stays in the build tree
include(CPack)
