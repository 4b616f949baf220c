# SPDX-License-Identifier: MIT
# Builds and runs one consumer project. Arguments (-D):
#   MODE          find_package | fetch_content | single_header
#   SOURCE_DIR    Electron's source tree
#   BUILD_DIR     Electron's build tree (installed from, for find_package)
#   WORK_DIR      scratch directory
#   CXX           the C++ compiler
foreach(v MODE SOURCE_DIR BUILD_DIR WORK_DIR CXX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_consumer.cmake: ${v} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message("${out}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(extra "")
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
  set(extra "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/packaging/${MODE}" -B "${WORK_DIR}/build" -G Ninja
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release "-DELECTRON_SOURCE_DIR=${SOURCE_DIR}" ${extra})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")
