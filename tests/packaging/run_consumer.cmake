# SPDX-License-Identifier: MIT
# Builds and runs one consumer project. Arguments (-D):
#   MODE          find_package | fetch_content | single_header
#   SOURCE_DIR    Electron's source tree
#   BUILD_DIR     Electron's build tree (installed from, for find_package)
#   WORK_DIR      scratch directory
#   CXX           the C++ compiler
# and, for a cross build:
#   TOOLCHAIN     its CMake toolchain file
#   EMULATOR      the command that runs its programs, arguments joined by "|"
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
set(emulator "")
if(TOOLCHAIN)
  list(APPEND extra "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}")
  string(REPLACE "|" ";" emulator "${EMULATOR}")
endif()
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
  list(APPEND extra "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
  if(TOOLCHAIN)
    # A cross toolchain re-roots package searches into its sysroot: name the
    # installed package's directory itself.
    list(APPEND extra "-Delectron_DIR=${WORK_DIR}/prefix/share/cmake/electron")
  endif()
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/packaging/${MODE}" -B "${WORK_DIR}/build" -G Ninja
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release "-DELECTRON_SOURCE_DIR=${SOURCE_DIR}" ${extra})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run(${emulator} "${WORK_DIR}/build/consumer")
