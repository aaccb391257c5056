# -DPERSISTPROC_SANITIZE=ON builds everything with ASan+UBSan; UB aborts instead of warning.
if(PERSISTPROC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzz builds instrument everything for coverage and run under ASan. Not UBSan:
# clang 14 fails on coroutines with it ("Cannot represent a difference across
# sections"); the gcc ASan+UBSan test build covers undefined behaviour.
if(PERSISTPROC_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address)
endif()

# -DPERSISTPROC_COVERAGE=ON: gcov counters for gcovr (see scripts/coverage). -O0 so
# lines and branches map to the source one to one.
if(PERSISTPROC_COVERAGE)
  add_compile_options(--coverage -O0 -fno-inline)
  add_link_options(--coverage)
endif()
