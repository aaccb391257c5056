# Warnings for our own targets: apply with pp_warnings(<target>).
function(pp_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor)
endfunction()
