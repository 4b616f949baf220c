// SPDX-License-Identifier: MIT
// electron/dense/soa.hpp
#ifndef ELECTRON_DENSE_SOA_HPP
#define ELECTRON_DENSE_SOA_HPP

#include "electron/config.hpp"

#endif  // ELECTRON_DENSE_SOA_HPP
