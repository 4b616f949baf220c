# SPDX-License-Identifier: MIT
# Cross-compiling Electron's tests for 64-bit Arm Linux with Debian's
# g++-aarch64-linux-gnu; ctest runs them under qemu-user.
#
#   cmake -S . -B build/aarch64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#   cmake --build build/aarch64 && ctest --test-dir build/aarch64 -L unit
#
# (scripts/cross-aarch64.sh does this, and installs the packages.)
#
# Libraries and headers come from the Arm sysroot only (/usr/aarch64-linux-gnu),
# so no library built for the host is ever linked: packages that exist only
# for the host (Google Benchmark and the benchmarks' peers) are not found, and
# what needs them is skipped. The exceptions are header-only packages whose
# files are the same on every architecture: xsimd and Catch2 2 (Debian keeps
# their headers in /usr/include, which the cross compiler searches after its
# own directories). Their CMake package files are looked up on the host by
# name, below.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(ELECTRON_CROSS_TRIPLE aarch64-linux-gnu)
set(ELECTRON_CROSS_SYSROOT /usr/${ELECTRON_CROSS_TRIPLE})

set(CMAKE_C_COMPILER ${ELECTRON_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${ELECTRON_CROSS_TRIPLE}-g++)

set(CMAKE_FIND_ROOT_PATH ${ELECTRON_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Test programs (and catch_discover_tests, which lists each binary's tests at
# build time) run through qemu's user-mode emulator with the Arm loader and
# libraries of the sysroot.
find_program(ELECTRON_QEMU_AARCH64 qemu-aarch64)
if(ELECTRON_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ELECTRON_QEMU_AARCH64} -L ${ELECTRON_CROSS_SYSROOT})
endif()

# Header-only packages: their config files, wherever Debian put them for the
# host (e.g. /usr/lib/x86_64-linux-gnu/cmake/xsimd), unless given already.
foreach(_electron_pkg xsimd Catch2)
  if(NOT ${_electron_pkg}_DIR)
    file(GLOB _electron_cfg
      /usr/lib/cmake/${_electron_pkg}/${_electron_pkg}Config.cmake
      /usr/lib/*/cmake/${_electron_pkg}/${_electron_pkg}Config.cmake
      /usr/share/cmake/${_electron_pkg}/${_electron_pkg}Config.cmake
      /usr/share/${_electron_pkg}/cmake/${_electron_pkg}Config.cmake)
    if(_electron_cfg)
      list(GET _electron_cfg 0 _electron_cfg)
      get_filename_component(_electron_dir "${_electron_cfg}" DIRECTORY)
      set(${_electron_pkg}_DIR "${_electron_dir}" CACHE PATH "${_electron_pkg} (header-only, any architecture)")
    endif()
  endif()
endforeach()
