// SPDX-License-Identifier: MIT
// electron/metrics/histogram.hpp: a log-linear histogram of integer values
// (latencies in nanoseconds, sizes in bytes) in the manner of Gil Tene's
// HdrHistogram, recorded into per-thread shards and merged on read.
#ifndef ELECTRON_METRICS_HISTOGRAM_HPP
#define ELECTRON_METRICS_HISTOGRAM_HPP

#include "electron/config.hpp"
#include "electron/detail/thread_slots.hpp"
#include "electron/metrics/detail/hdr_layout.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// A histogram's range and precision, as in HdrHistogram:
/// - `lowest`: the lowest discernible value (the unit of the finest buckets,
///   rounded down to a power of two), >= 1. Values in [0, lowest) are
///   recorded in the first bucket, as HdrHistogram does.
/// - `highest`: the highest trackable value, >= 2 * lowest. Larger values
///   (and negative ones) are counted in out_of_range_count().
/// - `significant_digits`: 1..5; every recorded value is reported within a
///   relative error of 10^-significant_digits (the bucket's width).
/// The defaults track 1 ns .. 3.6 s at 3 digits (23,552 buckets, 184 KiB
/// per recording thread).
struct histogram_options {
  std::int64_t lowest = 1;
  std::int64_t highest = 3'600'000'000;
  int significant_digits = 3;
};

/// One bucket of a histogram: the values lowest..highest (inclusive) that it
/// holds and how many were recorded.
struct histogram_bucket {
  std::int64_t lowest;
  std::int64_t highest;
  std::uint64_t count;
};

/// A merged, immutable copy of a histogram's counts: every query of the
/// histogram, answered from one consistent view. Copyable and movable; owns
/// one vector of counts_len() counts.
class histogram_snapshot {
 public:
  histogram_snapshot() = default;

  /// Number of recorded values (in range).
  [[nodiscard]] std::uint64_t total_count() const noexcept { return m_total; }
  /// The exact sum of the recorded values (in range), as a double.
  [[nodiscard]] double sum() const noexcept { return m_sum; }
  /// Values refused because they were negative or above the highest
  /// trackable value; counted, never folded into a bucket.
  [[nodiscard]] std::uint64_t out_of_range_count() const noexcept { return m_out_of_range; }

  /// The value at or below which p percent of the recorded values lie, at
  /// the histogram's resolution: HdrHistogram_c's hdr_value_at_percentile,
  /// which returns the highest value equivalent to the bucket that holds the
  /// count of rank round(p / 100 * total) (at least 1; the lowest value of
  /// the bucket for p == 0). 0 when empty.
  /// O(counts_len()).
  [[nodiscard]] std::int64_t value_at_percentile(double p) const noexcept {
    const double requested = p < 100.0 ? (p > 0.0 ? p : 0.0) : 100.0;
    // Truncating x + 0.5 is HdrHistogram_c's rounding of the rank (its
    // answers are the reference), kept as it is rather than std::lround.
    // NOLINTNEXTLINE(bugprone-incorrect-roundings)
    auto wanted = static_cast<std::uint64_t>(requested / 100.0 * static_cast<double>(m_total) + 0.5);
    if (wanted < 1) wanted = 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      seen += m_counts[i];
      if (seen >= wanted) {
        const std::int64_t v = m_layout.value_at_index(i);
        return p == 0.0 ? m_layout.lowest_equivalent(v) : m_layout.highest_equivalent(v);
      }
    }
    return 0;
  }

  /// The exact mean of the recorded values (sum() / total_count()); 0 when
  /// empty. (HdrHistogram_c's hdr_mean averages the buckets' middle values
  /// instead; the two differ by at most half a bucket's width.)
  [[nodiscard]] double mean() const noexcept { return m_total == 0 ? 0.0 : m_sum / static_cast<double>(m_total); }

  /// The standard deviation, from the buckets' middle values about their
  /// mean, as HdrHistogram_c's hdr_stddev computes it. 0 when empty.
  [[nodiscard]] double stddev() const noexcept {
    if (m_total == 0) return 0.0;
    double weighted = 0.0;
    for_each_bucket([&](std::int64_t lo, std::int64_t, std::uint64_t n) {
      weighted += static_cast<double>(m_layout.median_equivalent(lo)) * static_cast<double>(n);
    });
    const double bucket_mean = weighted / static_cast<double>(m_total);
    double dev_total = 0.0;
    for_each_bucket([&](std::int64_t lo, std::int64_t, std::uint64_t n) {
      const double dev = static_cast<double>(m_layout.median_equivalent(lo)) - bucket_mean;
      dev_total += dev * dev * static_cast<double>(n);
    });
    return std::sqrt(dev_total / static_cast<double>(m_total));
  }

  /// The lowest recorded value at the histogram's resolution (the lowest
  /// value of the first non-empty bucket; 0 when empty), as hdr_min.
  [[nodiscard]] std::int64_t min() const noexcept {
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      if (m_counts[i] != 0) return m_layout.value_at_index(i);
    }
    return 0;
  }

  /// The highest recorded value at the histogram's resolution (the highest
  /// value of the last non-empty bucket; 0 when empty), as hdr_max.
  [[nodiscard]] std::int64_t max() const noexcept {
    for (std::size_t i = m_counts.size(); i-- > 0;) {
      if (m_counts[i] != 0) return m_layout.highest_equivalent(m_layout.value_at_index(i));
    }
    return 0;
  }

  /// How many recorded values lie in buckets whose lowest value is <= v:
  /// every value <= v, plus those of v's own bucket above it. Folding onto a
  /// Prometheus `le` bound b: count_at_or_below(b) is exact when b is a
  /// bucket's highest value (highest_equivalent(b) == b).
  [[nodiscard]] std::uint64_t count_at_or_below(std::int64_t v) const noexcept {
    if (v < 0) return 0;
    const std::size_t last = std::min(m_layout.index_of(v), m_counts.size() - 1);
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= last && i < m_counts.size(); ++i) n += m_counts[i];
    return n;
  }

  /// count_at_or_below(bounds[i]) into out[i] for every i, in one pass over
  /// the buckets: folding onto Prometheus `le` bounds. Preconditions: bounds
  /// ascending, out.size() >= bounds.size(). O(counts_len() + bounds.size()).
  void counts_at_or_below(std::span<const std::int64_t> bounds, std::span<std::uint64_t> out) const noexcept {
    ELECTRON_ASSERT(out.size() >= bounds.size(), "counts_at_or_below: out is shorter than bounds");
    std::uint64_t n = 0;
    std::size_t i = 0;  // the next bucket to add
    for (std::size_t b = 0; b < bounds.size(); ++b) {
      if (bounds[b] >= 0 && !m_counts.empty()) {
        const std::size_t last = std::min(m_layout.index_of(bounds[b]), m_counts.size() - 1);
        for (; i <= last; ++i) n += m_counts[i];
      }
      out[b] = n;
    }
  }

  /// Calls f(lowest, highest, count) for each non-empty bucket, in
  /// increasing order of values.
  template <class F>
  void for_each_bucket(F&& f) const {
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      if (m_counts[i] == 0) continue;
      const std::int64_t lo = m_layout.value_at_index(i);
      f(lo, m_layout.highest_equivalent(lo), m_counts[i]);
    }
  }

  /// HdrHistogram's linear iteration: calls f(level, count) for the levels
  /// step, 2 * step, ..., where count is the number of values in buckets
  /// above the previous level's bucket and up to this level's bucket, until
  /// every recorded value was reported. Precondition: step >= 1.
  template <class F>
  void for_each_linear_step(std::int64_t step, F&& f) const {
    std::int64_t level = step;
    steps(f, [&] { return std::exchange(level, level + step); });
  }

  /// HdrHistogram's logarithmic iteration: levels first, first * base,
  /// first * base^2, ... Preconditions: first >= 1, base > 1.
  template <class F>
  void for_each_log_step(std::int64_t first, double base, F&& f) const {
    double level = static_cast<double>(first);
    steps(f, [&] {
      const double l = level;
      level *= base;
      return static_cast<std::int64_t>(l);
    });
  }

  /// The lowest value of v's bucket.
  [[nodiscard]] std::int64_t lowest_equivalent(std::int64_t v) const noexcept { return m_layout.lowest_equivalent(v); }
  /// The highest value of v's bucket.
  [[nodiscard]] std::int64_t highest_equivalent(std::int64_t v) const noexcept {
    return m_layout.highest_equivalent(v);
  }
  /// True when a and b fall in the same bucket.
  [[nodiscard]] bool equivalent(std::int64_t a, std::int64_t b) const noexcept {
    return lowest_equivalent(a) == lowest_equivalent(b);
  }
  /// The number of buckets (HdrHistogram's counts_len).
  [[nodiscard]] std::size_t counts_len() const noexcept { return m_counts.size(); }

 private:
  friend class histogram;

  // HdrHistogram_c's linear and logarithmic iterators, step by step: each
  // step moves through the buckets up to the one where the level's lowest
  // equivalent value starts and reports the counts it passed; steps go on
  // while counts remain, and (as in HdrHistogram_c) while the bucket after
  // the current one starts above the next level's bucket.
  template <class F, class Next>
  void steps(F& f, Next next) const {
    const std::size_t len = m_counts.size();
    std::size_t pos = 0;  // one past the iterator's index (0: before the first bucket)
    std::int64_t value = 0;
    std::uint64_t seen = 0;
    for (;;) {
      const std::int64_t level = next();
      const std::int64_t bound = m_layout.lowest_equivalent(level);
      if (!(seen < m_total || (pos < len && m_layout.value_at_index(pos) > bound))) return;
      std::uint64_t n = 0;
      for (;;) {
        if (value >= bound) break;
        if (pos >= len) break;
        n += m_counts[pos];
        value = m_layout.value_at_index(pos);
        ++pos;
      }
      seen += n;
      f(level, n);
      if (pos >= len && value < bound) return;  // ran past the last bucket
    }
  }

  detail::hdr_layout m_layout{};
  std::vector<std::uint64_t> m_counts;
  std::uint64_t m_total = 0;
  double m_sum = 0.0;
  std::uint64_t m_sum_raw = 0;  // the integer sum (modulo 2^64), for merge
  std::uint64_t m_out_of_range = 0;
};

/// A log-linear histogram of non-negative integer values (HdrHistogram's
/// design, Gil Tene: http://hdrhistogram.org/; the bucket mapping, the
/// configuration rules and the percentile semantics follow HdrHistogram_c).
///
/// Recording scales with threads: each thread records into a shard of its
/// own (counts_len() counters, allocated on the thread's first record and
/// indexed by the dense per-thread slot of electron/detail/thread_slots.hpp)
/// with relaxed loads and stores; there is no shared write per record.
/// Queries merge the shards (snapshot()).
///
/// - `record(v)`: wait-free, noexcept, O(1): a count-leading-zeros, two
///   shifts and three load/store pairs. Allocates only on a thread's first
///   record (one shard); if that allocation fails, or the thread has no slot
///   (over 128 live threads), the record goes to a shared shard with
///   fetch_add; if even that one cannot be allocated, the value is counted
///   in lost_count(). Values below 0 or above `highest` are counted in
///   out_of_range_count().
/// - Queries are O(shards x counts_len()) and allocate one snapshot; take a
///   snapshot() to run several queries on one view.
/// - reset() and merge() may run while other threads record: merge() adds
///   into the shared shard with fetch_add (no record is lost); reset()
///   zeroes the shards, so a record racing with it may survive or vanish.
/// - Neither copyable nor movable; destruction must not race with record().
///
///   electron::metrics::histogram latency;                 // 1 ns .. 3.6 s, 3 digits
///   latency.record(elapsed_ns);                           // from any thread
///   std::int64_t p99 = latency.value_at_percentile(99.0);
class histogram {
 public:
  /// Throws std::invalid_argument when the options are refused (the rules
  /// of HdrHistogram_c's hdr_init: lowest >= 1, 1 <= digits <= 5,
  /// highest >= 2 * lowest, and the finest bucket and its sub-buckets must
  /// fit 62 bits). Allocates nothing.
  explicit histogram(histogram_options o = {}) {
    switch (detail::hdr_layout::make(o.lowest, o.highest, o.significant_digits, m_layout)) {
      case detail::hdr_config_error::none:
        break;
      case detail::hdr_config_error::lowest_below_one:
        invalid("histogram: lowest must be >= 1");
      case detail::hdr_config_error::digits_out_of_range:
        invalid("histogram: significant_digits must be 1..5");
      case detail::hdr_config_error::highest_below_2_lowest:
        invalid("histogram: highest must be >= 2 * lowest");
      case detail::hdr_config_error::unit_magnitude_too_large:
        invalid("histogram: lowest too large for the digits");
    }
  }

  /// True when histogram(o) would not throw.
  [[nodiscard]] static bool valid(const histogram_options& o) noexcept {
    detail::hdr_layout l;
    return detail::hdr_layout::make(o.lowest, o.highest, o.significant_digits, l) == detail::hdr_config_error::none;
  }

  histogram(const histogram&) = delete;
  histogram& operator=(const histogram&) = delete;
  ~histogram() {
    for (auto& s : m_shards) free_shard(s.load(std::memory_order_acquire));
    free_shard(m_shared.load(std::memory_order_acquire));
  }

  /// Records one value.
  ELECTRON_ALWAYS_INLINE void record(std::int64_t v) noexcept { record(v, 1); }

  /// Records count occurrences of v.
  ELECTRON_ALWAYS_INLINE void record(std::int64_t v, std::uint64_t count) noexcept {
    // One unsigned comparison refuses negative values too.
    if (ELECTRON_UNLIKELY(static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(m_layout.highest))) {
      m_out_of_range.fetch_add(count, std::memory_order_relaxed);
      return;
    }
    add(m_layout.index_of(v), count, static_cast<std::uint64_t>(v) * count);
  }

  /// Records v and, when v exceeds expected_interval, the values
  /// v - expected_interval, v - 2 * expected_interval, ... down to
  /// expected_interval: the samples a stalled measuring loop failed to take
  /// (coordinated omission; HdrHistogram's recordValueWithExpectedInterval,
  /// with its rule that nothing more is recorded when v is out of range).
  /// The missing values are added bucket by bucket, so the cost is
  /// O(buckets they span), not O(v / expected_interval).
  void record_corrected(std::int64_t v, std::int64_t expected_interval) noexcept {
    if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(m_layout.highest)) {
      m_out_of_range.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    add(m_layout.index_of(v), 1, static_cast<std::uint64_t>(v));
    if (expected_interval <= 0 || v <= expected_interval) return;
    // The missing values v - k * I for k = 1..K, K = v / I - 1 (all >= I),
    // from the smallest up, one bucket at a time.
    const std::int64_t interval = expected_interval;
    const std::int64_t largest = v - interval;
    const std::int64_t k_max = v / interval - 1;
    std::int64_t x = v - k_max * interval;
    while (x <= largest) {
      const std::int64_t top = std::min(m_layout.highest_equivalent(x), largest);
      const std::int64_t n = (top - x) / interval + 1;
      // Sum of x, x + I, ..., x + (n - 1) I, modulo 2^64 like every sum here.
      const auto un = static_cast<std::uint64_t>(n);
      const std::uint64_t pairs = (un % 2 == 0) ? (un / 2) * (un - 1) : un * ((un - 1) / 2);
      add(m_layout.index_of(x), un, static_cast<std::uint64_t>(x) * un + pairs * static_cast<std::uint64_t>(interval));
      if (top == largest) break;
      x += n * interval;
    }
  }

  /// A merged copy of all shards. Allocates counts_len() counts.
  [[nodiscard]] histogram_snapshot snapshot() const {
    histogram_snapshot r;
    r.m_layout = m_layout;
    r.m_counts.assign(m_layout.counts_len, 0);
    std::uint64_t sum = 0;  // modulo 2^64: exact below 1.8e19
    auto add = [&](const std::atomic<std::uint64_t>* shard) {
      if (shard == nullptr) return;
      sum += shard[header_sum].load(std::memory_order_relaxed);
      for (std::size_t i = 0; i < m_layout.counts_len; ++i) {
        r.m_counts[i] += shard[header_size + i].load(std::memory_order_relaxed);
      }
    };
    const std::uint32_t used = m_used.load(std::memory_order_acquire);
    for (std::uint32_t s = 0; s < used; ++s) add(m_shards[s].load(std::memory_order_acquire));
    add(m_shared.load(std::memory_order_acquire));
    for (const std::uint64_t n : r.m_counts) r.m_total += n;
    r.m_sum = static_cast<double>(sum);
    r.m_sum_raw = sum;
    r.m_out_of_range = m_out_of_range.load(std::memory_order_relaxed);
    return r;
  }

  [[nodiscard]] std::int64_t value_at_percentile(double p) const { return snapshot().value_at_percentile(p); }
  [[nodiscard]] double mean() const { return snapshot().mean(); }
  [[nodiscard]] double stddev() const { return snapshot().stddev(); }
  [[nodiscard]] std::int64_t min() const { return snapshot().min(); }
  [[nodiscard]] std::int64_t max() const { return snapshot().max(); }
  [[nodiscard]] std::uint64_t count_at_or_below(std::int64_t v) const { return snapshot().count_at_or_below(v); }
  template <class F>
  void for_each_bucket(F&& f) const {
    snapshot().for_each_bucket(std::forward<F>(f));
  }

  /// Number of recorded values (in range): the shards' totals, without a
  /// snapshot. O(shards).
  [[nodiscard]] std::uint64_t total_count() const noexcept { return header_sum_of(header_total); }

  /// The exact sum of the recorded values (in range; modulo 2^64 per shard,
  /// so exact below 1.8e19), without a snapshot. O(shards).
  [[nodiscard]] double sum() const noexcept { return static_cast<double>(header_sum_of(header_sum)); }

  /// Values refused as negative or above the highest trackable value.
  [[nodiscard]] std::uint64_t out_of_range_count() const noexcept {
    return m_out_of_range.load(std::memory_order_relaxed);
  }

  /// Records lost because no shard at all could be allocated (0 unless
  /// memory ran out).
  [[nodiscard]] std::uint64_t lost_count() const noexcept { return m_lost.load(std::memory_order_relaxed); }

  /// Adds other's counts (and sum and out-of-range count) to this one. With
  /// the same options the buckets add up exactly; otherwise each of other's
  /// buckets is recorded at its lowest value, and those out of this range
  /// are counted as out of range (HdrHistogram_c's hdr_add). Throws
  /// std::bad_alloc when the snapshot or the shared shard cannot be
  /// allocated. Safe while other threads record into either histogram.
  void merge(const histogram& other) {
    const histogram_snapshot o = other.snapshot();
    std::atomic<std::uint64_t>* shard = shared_shard();
    if (shard == nullptr) electron::detail::throw_error<std::bad_alloc>("histogram::merge: out of memory");
    m_out_of_range.fetch_add(o.m_out_of_range, std::memory_order_relaxed);
    if (m_layout.same_as(o.m_layout)) {
      for (std::size_t i = 0; i < o.m_counts.size(); ++i) {
        if (o.m_counts[i] != 0) shard[header_size + i].fetch_add(o.m_counts[i], std::memory_order_relaxed);
      }
      shard[header_total].fetch_add(o.m_total, std::memory_order_relaxed);
      shard[header_sum].fetch_add(o.m_sum_raw, std::memory_order_relaxed);
      return;
    }
    o.for_each_bucket([&](std::int64_t lo, std::int64_t, std::uint64_t n) {
      if (static_cast<std::uint64_t>(lo) > static_cast<std::uint64_t>(m_layout.highest)) {
        m_out_of_range.fetch_add(n, std::memory_order_relaxed);
        return;
      }
      shard[header_size + m_layout.index_of(lo)].fetch_add(n, std::memory_order_relaxed);
      shard[header_total].fetch_add(n, std::memory_order_relaxed);
      shard[header_sum].fetch_add(static_cast<std::uint64_t>(lo) * n, std::memory_order_relaxed);
    });
  }

  /// Empties the histogram (the shards stay allocated). Records racing with
  /// it may survive or vanish.
  void reset() noexcept {
    auto clear = [&](std::atomic<std::uint64_t>* shard) {
      if (shard == nullptr) return;
      for (std::size_t i = 0; i < header_size + m_layout.counts_len; ++i) shard[i].store(0, std::memory_order_relaxed);
    };
    for (auto& s : m_shards) clear(s.load(std::memory_order_acquire));
    clear(m_shared.load(std::memory_order_acquire));
    m_out_of_range.store(0, std::memory_order_relaxed);
    m_lost.store(0, std::memory_order_relaxed);
  }

  [[nodiscard]] histogram_options options() const noexcept {
    return {m_layout.lowest, m_layout.highest, m_layout.digits};
  }
  /// The number of buckets (HdrHistogram's counts_len); a shard holds this
  /// many 8-byte counters.
  [[nodiscard]] std::size_t counts_len() const noexcept { return m_layout.counts_len; }
  [[nodiscard]] std::int64_t lowest_equivalent(std::int64_t v) const noexcept { return m_layout.lowest_equivalent(v); }
  [[nodiscard]] std::int64_t highest_equivalent(std::int64_t v) const noexcept {
    return m_layout.highest_equivalent(v);
  }

 private:
  // A shard: [total, sum, counts...], cache-line aligned and padded to whole
  // lines so that no other thread's data shares its first or last line.
  static constexpr std::size_t header_total = 0;
  static constexpr std::size_t header_sum = 1;
  static constexpr std::size_t header_size = 2;

  [[noreturn]] static void invalid(const char* msg) { electron::detail::throw_error<std::invalid_argument>(msg); }

  ELECTRON_ALWAYS_INLINE static void bump(std::atomic<std::uint64_t>& a, std::uint64_t n) noexcept {
    a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  [[nodiscard]] std::size_t shard_bytes() const noexcept {
    const std::size_t bytes = (header_size + m_layout.counts_len) * sizeof(std::atomic<std::uint64_t>);
    return (bytes + cache_line_size - 1) / cache_line_size * cache_line_size;
  }

  [[nodiscard]] std::atomic<std::uint64_t>* new_shard() const noexcept {
    void* p = ::operator new (shard_bytes(), std::align_val_t{cache_line_size}, std::nothrow);
    if (p == nullptr) return nullptr;
    auto* a = static_cast<std::atomic<std::uint64_t>*>(p);
    for (std::size_t i = 0; i < header_size + m_layout.counts_len; ++i)
      ::new (static_cast<void*>(a + i)) std::atomic<std::uint64_t>(0);
    return a;
  }

  void free_shard(std::atomic<std::uint64_t>* a) const noexcept {
    if (a == nullptr) return;
    // std::atomic<std::uint64_t> is trivially destructible.
    ::operator delete (static_cast<void*>(a), std::align_val_t{cache_line_size});
  }

  std::atomic<std::uint64_t>* shared_shard() noexcept {
    std::atomic<std::uint64_t>* shard = m_shared.load(std::memory_order_acquire);
    if (shard != nullptr) return shard;
    std::atomic<std::uint64_t>* fresh = new_shard();
    if (fresh == nullptr) return nullptr;
    if (m_shared.compare_exchange_strong(shard, fresh, std::memory_order_acq_rel, std::memory_order_acquire)) {
      return fresh;
    }
    free_shard(fresh);
    return shard;
  }

  // count values, summing to sum, into bucket i of the calling thread's shard.
  ELECTRON_ALWAYS_INLINE void add(std::size_t i, std::uint64_t count, std::uint64_t sum) noexcept {
    const std::uint32_t s = electron::detail::thread_slot();
    if (ELECTRON_LIKELY(s < electron::detail::max_thread_slots)) {
      // Only the slot's owner stores this pointer (slots change owner under
      // a mutex), and only it writes the shard: relaxed load + store.
      std::atomic<std::uint64_t>* shard = m_shards[s].load(std::memory_order_relaxed);
      if (ELECTRON_LIKELY(shard != nullptr)) {
        bump(shard[header_total], count);
        bump(shard[header_sum], sum);
        bump(shard[header_size + i], count);
        return;
      }
    }
    add_slow(s, i, count, sum);
  }

  ELECTRON_NOINLINE void add_slow(std::uint32_t s, std::size_t i, std::uint64_t count, std::uint64_t sum) noexcept {
    if (s < electron::detail::max_thread_slots) {
      std::atomic<std::uint64_t>* shard = new_shard();
      if (shard != nullptr) {
        bump(shard[header_total], count);
        bump(shard[header_sum], sum);
        bump(shard[header_size + i], count);
        m_shards[s].store(shard, std::memory_order_release);
        std::uint32_t used = m_used.load(std::memory_order_relaxed);
        while (used <= s &&
               !m_used.compare_exchange_weak(used, s + 1, std::memory_order_release, std::memory_order_relaxed)) {
        }
        return;
      }
    }
    std::atomic<std::uint64_t>* shard = shared_shard();
    if (shard == nullptr) {
      m_lost.fetch_add(count, std::memory_order_relaxed);
      return;
    }
    shard[header_total].fetch_add(count, std::memory_order_relaxed);
    shard[header_sum].fetch_add(sum, std::memory_order_relaxed);
    shard[header_size + i].fetch_add(count, std::memory_order_relaxed);
  }

  [[nodiscard]] std::uint64_t header_sum_of(std::size_t field) const noexcept {
    std::uint64_t n = 0;
    const std::uint32_t used = m_used.load(std::memory_order_acquire);
    for (std::uint32_t s = 0; s < used; ++s) {
      const std::atomic<std::uint64_t>* shard = m_shards[s].load(std::memory_order_acquire);
      if (shard != nullptr) n += shard[field].load(std::memory_order_relaxed);
    }
    const std::atomic<std::uint64_t>* shared = m_shared.load(std::memory_order_acquire);
    if (shared != nullptr) n += shared[field].load(std::memory_order_relaxed);
    return n;
  }

  detail::hdr_layout m_layout{};
  std::atomic<std::atomic<std::uint64_t>*> m_shards[electron::detail::max_thread_slots] = {};
  std::atomic<std::uint32_t> m_used{0};  // 1 + the highest slot with a shard
  std::atomic<std::atomic<std::uint64_t>*> m_shared{nullptr};
  alignas(cache_line_size) std::atomic<std::uint64_t> m_out_of_range{0};
  std::atomic<std::uint64_t> m_lost{0};
};

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_HISTOGRAM_HPP
