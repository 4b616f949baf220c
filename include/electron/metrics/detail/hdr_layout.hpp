// SPDX-License-Identifier: MIT
// electron/metrics/detail/hdr_layout.hpp: the bucket arithmetic of a
// log-linear histogram in the manner of Gil Tene's HdrHistogram
// (http://hdrhistogram.org/; the C port HdrHistogram_c defines the index
// mapping and the configuration rules followed here): values are grouped in
// buckets of 2^k equal sub-buckets, each bucket twice as wide as the one
// before, so a value's sub-bucket is at most 10^-digits of it wide.
#ifndef ELECTRON_METRICS_DETAIL_HDR_LAYOUT_HPP
#define ELECTRON_METRICS_DETAIL_HDR_LAYOUT_HPP

#include "electron/config.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {

/// Why a configuration is refused (none when it is valid); the rules of
/// HdrHistogram_c's hdr_calculate_bucket_config.
enum class hdr_config_error : std::uint8_t {
  none,
  lowest_below_one,         // lowest discernible value must be >= 1
  digits_out_of_range,      // significant digits must be 1..5
  highest_below_2_lowest,   // highest trackable value must be >= 2 * lowest
  unit_magnitude_too_large  // the buckets would not fit 64-bit values
};

struct hdr_layout {
  std::int64_t lowest = 1;
  std::int64_t highest = 2;
  int digits = 1;
  int unit_magnitude = 0;                   // floor(log2(lowest))
  int sub_bucket_half_count_magnitude = 0;  // log2(sub_bucket_count) - 1
  std::int64_t sub_bucket_count = 0;
  std::int64_t sub_bucket_half_count = 0;
  std::int64_t sub_bucket_mask = 0;
  int bucket_count = 0;
  std::size_t counts_len = 0;

  /// Checks the configuration and computes the layout; the error when it is
  /// refused.
  static constexpr hdr_config_error make(std::int64_t lowest_value, std::int64_t highest_value, int significant_digits,
                                         hdr_layout& out) noexcept {
    if (lowest_value < 1) return hdr_config_error::lowest_below_one;
    if (significant_digits < 1 || significant_digits > 5) return hdr_config_error::digits_out_of_range;
    if (lowest_value > highest_value / 2) return hdr_config_error::highest_below_2_lowest;
    hdr_layout l;
    l.lowest = lowest_value;
    l.highest = highest_value;
    l.digits = significant_digits;
    std::int64_t single_unit_limit = 2;  // 2 * 10^digits: the largest value counted with unit resolution
    for (int i = 0; i < significant_digits; ++i) single_unit_limit *= 10;
    const int sub_bucket_count_magnitude =
        static_cast<int>(std::bit_width(static_cast<std::uint64_t>(single_unit_limit - 1)));
    l.sub_bucket_half_count_magnitude = (sub_bucket_count_magnitude > 1 ? sub_bucket_count_magnitude : 1) - 1;
    l.unit_magnitude = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(lowest_value))) - 1;
    if (l.unit_magnitude + l.sub_bucket_half_count_magnitude > 61) return hdr_config_error::unit_magnitude_too_large;
    l.sub_bucket_count = std::int64_t{1} << (l.sub_bucket_half_count_magnitude + 1);
    l.sub_bucket_half_count = l.sub_bucket_count / 2;
    l.sub_bucket_mask = (l.sub_bucket_count - 1) << l.unit_magnitude;
    // Buckets needed to cover highest (HdrHistogram_c's buckets_needed_to_cover_value).
    std::int64_t smallest_untrackable = l.sub_bucket_count << l.unit_magnitude;
    int buckets = 1;
    while (smallest_untrackable <= highest_value) {
      if (smallest_untrackable > std::numeric_limits<std::int64_t>::max() / 2) {
        ++buckets;
        break;
      }
      smallest_untrackable <<= 1;
      ++buckets;
    }
    l.bucket_count = buckets;
    l.counts_len = static_cast<std::size_t>(buckets + 1) * static_cast<std::size_t>(l.sub_bucket_half_count);
    out = l;
    return hdr_config_error::none;
  }

  [[nodiscard]] constexpr int bucket_index(std::int64_t v) const noexcept {
    const int pow2ceiling = 64 - std::countl_zero(static_cast<std::uint64_t>(v | sub_bucket_mask));
    return pow2ceiling - unit_magnitude - (sub_bucket_half_count_magnitude + 1);
  }

  /// The counts index of v, 0 <= v; may be >= counts_len for v > highest.
  [[nodiscard]] constexpr std::size_t index_of(std::int64_t v) const noexcept {
    const int b = bucket_index(v);
    // (b + 1) * half_count + (sub - half_count) == b * half_count + sub.
    return (static_cast<std::size_t>(b) << sub_bucket_half_count_magnitude) +
           static_cast<std::size_t>(v >> (b + unit_magnitude));
  }

  /// The lowest value that maps to index i.
  [[nodiscard]] constexpr std::int64_t value_at_index(std::size_t i) const noexcept {
    int b = static_cast<int>(i >> sub_bucket_half_count_magnitude) - 1;
    auto sub =
        static_cast<std::int64_t>(i & static_cast<std::size_t>(sub_bucket_half_count - 1)) + sub_bucket_half_count;
    if (b < 0) {
      sub -= sub_bucket_half_count;
      b = 0;
    }
    return sub << (b + unit_magnitude);
  }

  [[nodiscard]] constexpr std::int64_t size_of_equivalent_range(std::int64_t v) const noexcept {
    const int b = bucket_index(v);
    const std::int64_t sub = v >> (b + unit_magnitude);
    const int adjusted = sub >= sub_bucket_count ? b + 1 : b;
    return std::int64_t{1} << (unit_magnitude + adjusted);
  }

  [[nodiscard]] constexpr std::int64_t lowest_equivalent(std::int64_t v) const noexcept {
    const int b = bucket_index(v);
    return (v >> (b + unit_magnitude)) << (b + unit_magnitude);
  }

  [[nodiscard]] constexpr std::int64_t highest_equivalent(std::int64_t v) const noexcept {
    return lowest_equivalent(v) + (size_of_equivalent_range(v) - 1);  // no overflow at INT64_MAX
  }

  [[nodiscard]] constexpr std::int64_t median_equivalent(std::int64_t v) const noexcept {
    return lowest_equivalent(v) + (size_of_equivalent_range(v) >> 1);
  }

  [[nodiscard]] constexpr bool same_as(const hdr_layout& o) const noexcept {
    return lowest == o.lowest && highest == o.highest && digits == o.digits;
  }
};

}  // namespace detail
}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_DETAIL_HDR_LAYOUT_HPP
