// SPDX-License-Identifier: MIT
// electron/dense.hpp: data laid out by column.
//
// - soa<Ts...>: a struct-of-arrays vector, one contiguous column per field,
//   with row proxies that std algorithms sort (electron/dense/soa.hpp).
// - column_store: a table of named, typed columns with vectorized scans
//   (electron/dense/column_store.hpp).
#ifndef ELECTRON_DENSE_HPP
#define ELECTRON_DENSE_HPP

#include "electron/dense/column_store.hpp"
#include "electron/dense/soa.hpp"

#endif  // ELECTRON_DENSE_HPP
