// SPDX-License-Identifier: MIT
// electron/electron.hpp: the umbrella header, every Electron module.
//
// electron/test.hpp (testing helpers) is not included: it is for test code.
#ifndef ELECTRON_ELECTRON_HPP
#define ELECTRON_ELECTRON_HPP

#include "electron/arena.hpp"
#include "electron/bits.hpp"
#include "electron/cache.hpp"
#include "electron/config.hpp"
#include "electron/cpu.hpp"
#include "electron/dense.hpp"
#include "electron/encoding.hpp"
#include "electron/hash.hpp"
#include "electron/io.hpp"
#include "electron/lockfree.hpp"
#include "electron/metrics.hpp"
#include "electron/parse.hpp"
#include "electron/pool.hpp"
#include "electron/result.hpp"
#include "electron/sched.hpp"
#include "electron/simd.hpp"
#include "electron/strings.hpp"
#include "electron/sync.hpp"
#include "electron/trace.hpp"
#include "electron/version.hpp"

#endif  // ELECTRON_ELECTRON_HPP
