# Debian 12 packages provide every dependency (scripts/common.sh); elsewhere see
# README.md "Building without Debian's scripts" for the list and minimum versions.
# Static Boost.JSON and libstdc++: every CLI call is a process start, and fewer
# shared objects to map and relocate makes `persistproc list` measurably quicker.
set(Boost_USE_STATIC_LIBS ON)
find_package(Boost 1.81.0 REQUIRED CONFIG COMPONENTS json)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
if(PERSISTPROC_TESTS)
  find_package(GTest REQUIRED)
endif()

# Asio, Beast and Process v2 as one interface target with the settings we rely on.
add_library(pp_boost INTERFACE)
target_link_libraries(pp_boost INTERFACE Boost::headers Boost::json Threads::Threads)
if(NOT PERSISTPROC_SANITIZE AND NOT PERSISTPROC_FUZZ AND NOT PERSISTPROC_COVERAGE)  # sanitizer runtimes want the shared C++ runtime
  target_link_options(pp_boost INTERFACE -static-libstdc++ -static-libgcc)
endif()
target_compile_definitions(pp_boost INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  BOOST_PROCESS_USE_STD_FS          # Process v2 on std::filesystem: no Boost.Filesystem library
  BOOST_ASIO_DISABLE_BOOST_COROUTINE)

# RE2 for client-supplied regular expressions: linear-time matching, so a pattern
# from an agent cannot stall the single-threaded server the way std::regex can.
# Static like the rest when the build allows, for the same start-up reason.
find_path(PP_RE2_INCLUDE re2/re2.h REQUIRED)
if(NOT PERSISTPROC_SANITIZE AND NOT PERSISTPROC_FUZZ)
  find_library(PP_RE2_LIBRARY NAMES libre2.a REQUIRED)
else()
  find_library(PP_RE2_LIBRARY NAMES re2 REQUIRED)
endif()
add_library(pp_re2 INTERFACE)
target_include_directories(pp_re2 SYSTEM INTERFACE ${PP_RE2_INCLUDE})
target_link_libraries(pp_re2 INTERFACE ${PP_RE2_LIBRARY} Threads::Threads)

# yaml-cpp (Debian's libyaml-cpp-dev) for stack files (docs/stacks.md): a YAML 1.2
# parser whose nodes carry their line, so every error in a file can name it.
# Static like RE2 when the build allows, for the same start-up reason.
find_path(PP_YAML_CPP_INCLUDE yaml-cpp/yaml.h REQUIRED)
if(NOT PERSISTPROC_SANITIZE AND NOT PERSISTPROC_FUZZ)
  find_library(PP_YAML_CPP_LIBRARY NAMES libyaml-cpp.a REQUIRED)
else()
  find_library(PP_YAML_CPP_LIBRARY NAMES yaml-cpp REQUIRED)
endif()
add_library(pp_yaml_cpp INTERFACE)
target_include_directories(pp_yaml_cpp SYSTEM INTERFACE ${PP_YAML_CPP_INCLUDE})
target_link_libraries(pp_yaml_cpp INTERFACE ${PP_YAML_CPP_LIBRARY})
