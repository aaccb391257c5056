# cmake -DPROGRAM=... -DARGS="a;b" -DOUT=file -P RunToFile.cmake: runs PROGRAM ARGS and
# writes its stdout to OUT (a build step: the completion scripts the binary prints).
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT})
  message(FATAL_ERROR "${PROGRAM} ${ARGS}: exit ${rc}")
endif()
