// SPDX-License-Identifier: MIT
// A property over byte strings, shared by tests/dense_column_test.cpp
// (fuzz_string) and fuzz/dense_column_fuzz.cpp (libFuzzer): a sequence of
// operations on a dense::column_store with an int32, a float, a uint64 and a
// string column, run against a std::vector of row structs.
//
// Layout: a stream of operations, each one byte of opcode (low 3 bits)
// followed by the bytes it reads (missing bytes read as zero). Values are
// drawn from a small pool (so comparisons hit equal values and strings
// repeat) or taken raw (any bit pattern, NaN included).
#ifndef ELECTRON_FUZZ_DENSE_COLUMN_PROPERTY_HPP
#define ELECTRON_FUZZ_DENSE_COLUMN_PROPERTY_HPP

#include "electron/dense/column_store.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace electron_fuzz {
namespace dense_column_model {

namespace ed = electron::dense;

struct row {
  std::int32_t i;
  float f;
  std::uint64_t u;
  std::string s;
};

struct reader {
  std::string_view in;
  std::size_t at = 0;
  std::uint8_t byte() noexcept { return at < in.size() ? static_cast<std::uint8_t>(in[at++]) : 0; }
  template <class T>
  T raw() noexcept {
    unsigned char b[sizeof(T)];
    for (auto& x : b) x = byte();
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
  }
  template <class T>
  T value() noexcept {
    const std::uint8_t k = byte();
    if (k < 200) return static_cast<T>(k % 7);
    return raw<T>();
  }
  std::string text() {
    static const char* const pool[] = {"", "a", "bb", "a longer string of text", "ccc"};
    const std::uint8_t k = byte();
    if (k < 240) return pool[k % 5];
    return std::string(static_cast<std::size_t>(k - 240), static_cast<char>('x' + (k & 1)));
  }
};

inline bool same(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

template <class T>
bool holds(T a, ed::compare c, T b) {
  switch (c) {
    case ed::compare::less:
      return a < b;
    case ed::compare::less_equal:
      return a <= b;
    case ed::compare::greater:
      return a > b;
    case ed::compare::greater_equal:
      return a >= b;
    case ed::compare::equal:
      return a == b;
    case ed::compare::not_equal:
      break;
  }
  return a != b;
}

// The scans of one column against the model's values.
template <class T>
bool check_scans(const ed::column_store& t, std::string_view name, const std::vector<T>& model, T v, ed::compare c) {
  std::size_t expected = 0;
  std::vector<T> picked;
  for (const T x : model) {
    if (holds(x, c, v)) {
      ++expected;
      picked.push_back(x);
    }
  }
  if (t.count_if<T>(name, c, v) != expected) return false;
  const electron::bits::bitset sel = t.filter<T>(name, c, v);
  if (sel.size() != model.size() || sel.count() != expected) return false;
  const std::vector<T> got = t.gather<T>(name, sel);
  if (got.size() != picked.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      if (!same(got[i], picked[i])) return false;
    } else {
      if (got[i] != picked[i]) return false;
    }
  }
  return true;
}

inline bool check_all(const ed::column_store& t, const std::vector<row>& model) {
  if (t.size() != model.size()) return false;
  const auto i = t.column<std::int32_t>("i");
  const auto f = t.column<float>("f");
  const auto u = t.column<std::uint64_t>("u");
  std::int64_t isum = 0;
  std::uint64_t usum = 0;
  std::set<std::string> distinct;
  for (std::size_t k = 0; k < model.size(); ++k) {
    if (i[k] != model[k].i || !same(f[k], model[k].f) || u[k] != model[k].u) return false;
    if (t.string_at("s", k) != model[k].s) return false;
    isum += model[k].i;
    usum += model[k].u;
    distinct.insert(model[k].s);
  }
  if (t.sum<std::int32_t>("i") != isum || t.sum<std::uint64_t>("u") != usum) return false;
  if (t.strings("s").distinct_count() < distinct.size()) return false;
  return true;
}

}  // namespace dense_column_model

/// The property: every operation agrees with the model.
inline bool dense_column_property(std::string_view in) {
  namespace m = dense_column_model;
  namespace ed = m::ed;
  ed::column_store t;
  t.add_column<std::int32_t>("i").add_column<float>("f").add_column<std::uint64_t>("u").add_column<std::string_view>(
      "s");
  std::vector<m::row> model;
  m::reader r{in};
  while (r.at < in.size()) {
    const std::uint8_t op = r.byte();
    const auto c = static_cast<ed::compare>((op >> 3) % 6);
    switch (op & 7) {
      case 0:
      case 1:
      case 2: {  // append a row
        m::row x{r.value<std::int32_t>(), r.value<float>(), r.value<std::uint64_t>(), r.text()};
        t.append_row(x.i, x.f, x.u, x.s);
        model.push_back(std::move(x));
        break;
      }
      case 3: {  // scans of every column against a value
        std::vector<std::int32_t> is;
        std::vector<float> fs;
        std::vector<std::uint64_t> us;
        for (const auto& x : model) {
          is.push_back(x.i);
          fs.push_back(x.f);
          us.push_back(x.u);
        }
        if (!m::check_scans(t, "i", is, r.value<std::int32_t>(), c)) return false;
        if (!m::check_scans(t, "f", fs, r.value<float>(), c)) return false;
        if (!m::check_scans(t, "u", us, r.value<std::uint64_t>(), c)) return false;
        break;
      }
      case 4: {  // set one cell through the type-erased column
        if (model.empty()) break;
        const std::size_t k = r.byte() % model.size();
        switch (r.byte() % 4) {
          case 0:
            model[k].i = r.value<std::int32_t>();
            t.column("i").set(k, model[k].i);
            break;
          case 1:
            model[k].f = r.value<float>();
            t.column("f").set(k, model[k].f);
            break;
          case 2:
            model[k].u = r.value<std::uint64_t>();
            t.column("u").set(k, model[k].u);
            break;
          default:
            model[k].s = r.text();
            t.column("s").set(k, std::string_view(model[k].s));
            break;
        }
        break;
      }
      case 5: {  // a rejected row leaves everything as it was
        try {
          t.append_row(1.5, 1.0f, 1u, "x");
          return false;
        } catch (const std::invalid_argument&) {
        }
        break;
      }
      case 6: {  // copy and continue on the copy
        ed::column_store copy = t;
        t = std::move(copy);
        break;
      }
      default: {  // min and max of the float column
        if (model.empty()) {
          if (t.min<float>("f") || t.max<float>("f")) return false;
          break;
        }
        bool any = false;
        float lo = 0, hi = 0;
        for (const auto& x : model) {
          if (std::isnan(x.f)) continue;
          lo = any ? std::min(lo, x.f) : x.f;
          hi = any ? std::max(hi, x.f) : x.f;
          any = true;
        }
        const float got_lo = *t.min<float>("f"), got_hi = *t.max<float>("f");
        if (!any) {
          if (!std::isnan(got_lo) || !std::isnan(got_hi)) return false;
        } else if (got_lo != lo || got_hi != hi) {
          return false;
        }
        break;
      }
    }
  }
  return m::check_all(t, model);
}

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_DENSE_COLUMN_PROPERTY_HPP
