// SPDX-License-Identifier: MIT
// electron/dense/column_store.hpp
#ifndef ELECTRON_DENSE_COLUMN_STORE_HPP
#define ELECTRON_DENSE_COLUMN_STORE_HPP

#include "electron/config.hpp"

#endif  // ELECTRON_DENSE_COLUMN_STORE_HPP
