// SPDX-License-Identifier: MIT
// electron/metrics/detail/export_family.hpp: the series table of a metric
// family (label values interned, series found without allocating) and the
// checks of names and options.
#ifndef ELECTRON_METRICS_DETAIL_EXPORT_FAMILY_HPP
#define ELECTRON_METRICS_DETAIL_EXPORT_FAMILY_HPP

#include "electron/config.hpp"
#include "electron/hash/interner.hpp"
#include "electron/metrics/detail/export_text.hpp"
#include "electron/metrics/exposition.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// Most labels a family may have.
inline constexpr std::size_t max_labels = 16;

namespace detail {

[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD inline void export_invalid(std::string_view what, std::string_view name) {
  std::string msg = "electron::metrics: ";
  msg.append(what);
  msg.append(": \"");
  msg.append(name);
  msg.append("\"");
  electron::detail::throw_error<std::invalid_argument>(msg.c_str());
}

// Checks a family's name and label names (throws std::invalid_argument).
inline void export_check_names(std::string_view name, std::span<const std::string_view> label_names,
                               std::string_view reserved_label) {
  if (!is_valid_metric_name(name)) export_invalid("invalid metric name", name);
  if (label_names.size() > max_labels) export_invalid("more than max_labels labels", name);
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    if (!is_valid_label_name(label_names[i])) export_invalid("invalid label name", label_names[i]);
    if (!reserved_label.empty() && label_names[i] == reserved_label) {
      export_invalid("label name reserved for this metric type", label_names[i]);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (label_names[j] == label_names[i]) export_invalid("duplicate label name", label_names[i]);
    }
  }
}

// The series of one family: label values interned, each series keyed by
// the ids of its values, found through an open-addressing table of series
// indices. Series are heap nodes, so references to them stay valid.
// Not synchronised: the family holds a mutex around it.
template <class Series>
class export_series_table {
 public:
  explicit export_series_table(std::size_t labels) noexcept : m_labels(labels) {}

  // The series with these values, or null. Allocates nothing.
  [[nodiscard]] Series* find(std::span<const std::string_view> values) const noexcept {
    if (m_table.empty()) return nullptr;
    std::array<std::uint32_t, max_labels> ids{};
    for (std::size_t i = 0; i < m_labels; ++i) {
      const auto id = m_values.find(values[i]);
      if (!id) return nullptr;
      ids[i] = *id;
    }
    const std::uint64_t h = hash_ids(ids.data());
    for (std::size_t i = static_cast<std::size_t>(h) & m_mask;; i = (i + 1) & m_mask) {
      const std::uint32_t s = m_table[i];
      if (s == 0) return nullptr;
      if (same_ids(s - 1, ids.data())) return m_series[s - 1].get();
    }
  }

  // Adds a series for values (absent), built by make(); returns it.
  template <class Make>
  Series& insert(std::span<const std::string_view> values, Make&& make) {
    std::unique_ptr<Series> node = make();
    if (2 * (m_series.size() + 1) > m_table.size()) grow();
    if (m_series.size() == m_series.capacity()) m_series.reserve(m_series.empty() ? 8 : 2 * m_series.size());
    if (m_ids.capacity() - m_ids.size() < m_labels) m_ids.reserve(2 * m_ids.size() + m_labels);
    std::array<std::uint32_t, max_labels> ids{};
    for (std::size_t i = 0; i < m_labels; ++i) ids[i] = m_values.intern(values[i]).id;
    // Nothing below throws.
    const auto index = static_cast<std::uint32_t>(m_series.size());
    m_ids.insert(m_ids.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(m_labels));
    m_series.push_back(std::move(node));
    place(index);
    return *m_series.back();
  }

  [[nodiscard]] std::size_t size() const noexcept { return m_series.size(); }
  [[nodiscard]] const Series& operator[](std::size_t i) const noexcept { return *m_series[i]; }
  // The i-th label value of series s.
  [[nodiscard]] std::string_view value(std::size_t s, std::size_t i) const noexcept {
    return m_values[m_ids[s * m_labels + i]];
  }

 private:
  std::uint64_t hash_ids(const std::uint32_t* ids) const noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t i = 0; i < m_labels; ++i) h = electron::detail::mix64(h ^ ids[i]);
    return electron::detail::mix64(h);
  }
  bool same_ids(std::uint32_t s, const std::uint32_t* ids) const noexcept {
    for (std::size_t i = 0; i < m_labels; ++i) {
      if (m_ids[s * m_labels + i] != ids[i]) return false;
    }
    return true;
  }
  void place(std::uint32_t s) noexcept {
    std::size_t i = static_cast<std::size_t>(hash_ids(m_ids.data() + std::size_t{s} * m_labels)) & m_mask;
    while (m_table[i] != 0) i = (i + 1) & m_mask;
    m_table[i] = s + 1;
  }
  void grow() {
    std::vector<std::uint32_t> table(m_table.empty() ? 16 : 2 * m_table.size(), 0);
    m_table.swap(table);
    m_mask = m_table.size() - 1;
    for (std::uint32_t s = 0; s < m_series.size(); ++s) place(s);
  }

  std::size_t m_labels;
  hash::string_interner m_values;
  std::vector<std::unique_ptr<Series>> m_series;
  std::vector<std::uint32_t> m_ids;    // m_labels value ids per series
  std::vector<std::uint32_t> m_table;  // series index + 1, 0 = empty
  std::size_t m_mask = 0;
};

// The largest integer i with i / divisor <= bound: the recorded value at
// or below which an observation falls in the bucket `le="bound"`.
inline std::int64_t export_bucket_threshold(double bound, double divisor) noexcept {
  constexpr double top = 9223372036854775807.0;
  const double x = std::floor(bound * divisor);
  if (!(x < top)) return std::numeric_limits<std::int64_t>::max();
  if (x < -top) return std::numeric_limits<std::int64_t>::min();
  auto i = static_cast<std::int64_t>(x);
  // bound * divisor rounds: step to the exact answer of the division test.
  while (i < std::numeric_limits<std::int64_t>::max() && static_cast<double>(i + 1) / divisor <= bound) ++i;
  while (i > std::numeric_limits<std::int64_t>::min() && static_cast<double>(i) / divisor > bound) --i;
  return i;
}

// `le="..."` or `quantile="..."` for a bound.
inline std::string export_bound_label(std::string_view name, double v) {
  std::string s(name);
  s.append("=\"");
  char buf[export_float_chars];
  s.append(buf, export_float(buf, v));
  s.append("\"");
  return s;
}

}  // namespace detail
}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_DETAIL_EXPORT_FAMILY_HPP
