// SPDX-License-Identifier: MIT
// electron/metrics/registry.hpp: named metric families with label sets (the
// Prometheus data model), exported in the text format 0.0.4.
//
//   electron::metrics::registry reg;
//   auto& requests = reg.counter_family("http_requests_total", "Requests served.", {"method", "code"});
//   electron::metrics::counter& ok = requests.labels({"GET", "200"});   // keep the reference
//   ok.inc();                                                           // no lock, no lookup
//   std::string text = reg.text();   // or reg.write_text(any_byte_sink)
//
// - A family is a name, a HELP text, a TYPE and the names of its labels.
//   Registering the same name again with the same type and label names
//   returns the family already there; anything else is an error.
// - family.labels(values) returns the series for those label values,
//   creating it the first time. The reference stays valid for the
//   registry's life; updating it takes no lock. A lookup of an existing
//   series allocates nothing (label values are interned, and the series is
//   found by the ids of its values); it takes the family's mutex, so keep
//   the reference on hot paths rather than calling labels() each time.
// - Histogram families export either as a Prometheus histogram, the
//   HdrHistogram's counts folded onto configured `le` bounds (cumulative,
//   `_bucket{le="..."}`, `+Inf`, `_sum`, `_count`), or as a summary with
//   configured quantiles (`{quantile="0.5"}`, `_sum`, `_count`): the caller
//   chooses per family (histogram_family_options::export_as).
// - Errors (std::invalid_argument, with the offending name in what()): a
//   metric name not matching [a-zA-Z_:][a-zA-Z0-9_:]*; a label name not
//   matching [a-zA-Z_][a-zA-Z0-9_]* or starting with "__"; a duplicate label
//   name; `le` on a histogram family or `quantile` on a summary family; more
//   than max_labels labels; a name already registered with another type or
//   other labels (or by a collector); labels() with the wrong number of
//   values; bucket bounds not increasing, quantiles outside [0, 1], a unit
//   divisor not positive and finite.
// - Thread safety: registration and labels() take mutexes; metrics are
//   updated without any; write_text() may run concurrently with both and
//   sees each value as one atomic read (a histogram's buckets, _sum and
//   _count are read one after another, not as one snapshot).
// - Families are written in registration order, series in creation order,
//   then the collectors' families.
#ifndef ELECTRON_METRICS_REGISTRY_HPP
#define ELECTRON_METRICS_REGISTRY_HPP

#include "electron/config.hpp"
#include "electron/encoding/sink.hpp"
#include "electron/metrics/counter.hpp"
#include "electron/metrics/detail/export_family.hpp"
#include "electron/metrics/exposition.hpp"
#include "electron/metrics/histogram.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace metrics {

/// How a histogram family is exported.
enum class histogram_export : std::uint8_t {
  buckets,  ///< TYPE histogram: cumulative `le` buckets, _sum, _count
  summary,  ///< TYPE summary: `quantile` samples, _sum, _count
};

/// Options of a histogram family.
struct histogram_family_options {
  /// The range and precision of each series' histogram.
  histogram_options histogram{};
  /// Buckets or quantiles.
  histogram_export export_as = histogram_export::buckets;
  /// Upper bounds of the `le` buckets in exported units, increasing (an
  /// +Inf bucket is always written; a trailing +Inf here is ignored). A
  /// bucket counts the recorded values v with v / unit_divisor <= bound, to
  /// the histogram's precision (values in the same HdrHistogram bucket as
  /// the bound count as equal to it).
  std::vector<double> buckets{};
  /// Quantiles in [0, 1] written by a summary. A summary of an empty
  /// histogram writes NaN for each, as the Prometheus client libraries do.
  std::vector<double> quantiles{0.5, 0.9, 0.99};
  /// Recorded values are divided by this on export (bounds, quantiles and
  /// _sum): 1e9 exports nanoseconds recorded by a timer as seconds.
  double unit_divisor = 1.0;
};

/// Writes families of its own into an exposition (the process collector).
/// collect() runs on every write_text() of the registry it is added to,
/// under the registry's mutex; it must not call back into the registry.
class collector {
 public:
  collector() = default;
  collector(const collector&) = delete;
  collector& operator=(const collector&) = delete;
  virtual ~collector() = default;
  /// Writes this collector's families.
  virtual void collect(text_writer& out) = 0;
  /// The names of the families collect() writes (checked against the
  /// registry's for collisions).
  [[nodiscard]] virtual std::vector<std::string> family_names() const = 0;
};

class registry;

namespace detail {

// What the registry keeps of every family, whatever its metric type.
class export_family_base {
 public:
  export_family_base(int family_kind, std::string_view name, std::string_view help, metric_type type,
                     std::span<const std::string_view> label_names)
      : m_kind(family_kind),
        m_name(name),
        m_help(help),
        m_type(type),
        m_label_names(label_names.begin(), label_names.end()) {}
  export_family_base(const export_family_base&) = delete;
  export_family_base& operator=(const export_family_base&) = delete;
  virtual ~export_family_base() = default;
  virtual void write(text_writer& out) const = 0;

  [[nodiscard]] std::string_view name() const noexcept { return m_name; }
  [[nodiscard]] std::string_view help() const noexcept { return m_help; }
  [[nodiscard]] metric_type type() const noexcept { return m_type; }
  [[nodiscard]] std::span<const std::string> label_names() const noexcept { return m_label_names; }
  [[nodiscard]] bool same_labels(std::span<const std::string_view> names) const noexcept {
    if (names.size() != m_label_names.size()) return false;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] != m_label_names[i]) return false;
    }
    return true;
  }
  // Which family<M> this is: registry's downcast without RTTI.
  [[nodiscard]] int kind() const noexcept { return m_kind; }

 protected:
  int m_kind;
  std::string m_name;
  std::string m_help;
  metric_type m_type;
  std::vector<std::string> m_label_names;
};

template <class M>
inline constexpr int export_kind = 0;
template <>
inline constexpr int export_kind<counter> = 1;
template <>
inline constexpr int export_kind<counter_f64> = 2;
template <>
inline constexpr int export_kind<gauge> = 3;
template <>
inline constexpr int export_kind<gauge_f64> = 4;
template <>
inline constexpr int export_kind<histogram> = 5;

}  // namespace detail

/// The metric types a family holds.
template <class M>
concept family_metric = detail::export_kind<M>
!= 0;

/// A metric family: one metric M per set of label values. Made by a
/// registry (which owns it); see the header comment.
template <family_metric M>
class family final : public detail::export_family_base {
 public:
  /// The series for `values` (one per label name, in order), created on
  /// first use. The reference is valid for the registry's life. Thread-safe
  /// (a mutex); allocates only when the series is new. Throws
  /// std::invalid_argument when the number of values is wrong.
  M& labels(std::span<const std::string_view> values) {
    if (values.size() != m_label_names.size()) [[unlikely]] {
      detail::export_invalid("labels(): wrong number of label values for family", m_name);
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (series* s = m_series.find(values)) return s->metric;
    return m_series.insert(values, [&] { return make_series(values); }).metric;
  }
  /// See labels(span).
  M& labels(std::initializer_list<std::string_view> values) {
    return labels(std::span<const std::string_view>(values.begin(), values.size()));
  }
  /// The one series of a family without labels (labels({})).
  M& get() { return labels(std::span<const std::string_view>{}); }
  /// Number of series.
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_series.size();
  }
  /// The options of a histogram family.
  [[nodiscard]] const histogram_family_options& options() const noexcept { return m_options; }

  /// Writes HELP, TYPE and every series.
  void write(text_writer& out) const override {
    out.family(m_name, m_help, m_type);
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::size_t n = m_series.size();
    for (std::size_t i = 0; i < n; ++i) {
      const series& s = m_series[i];
      if constexpr (std::is_same_v<M, histogram>) {
        write_histogram(out, s);
      } else {
        out.sample_escaped(m_name, {}, s.labels, {}, s.metric.value());
      }
    }
  }

  /// Made by registry only.
  family(std::string_view name, std::string_view help, metric_type type, std::span<const std::string_view> label_names,
         histogram_family_options options = {})
      : export_family_base(detail::export_kind<M>, name, help, type, label_names),
        m_options(std::move(options)),
        m_series(label_names.size()) {
    if constexpr (std::is_same_v<M, histogram>) {
      for (const double b : m_options.buckets) {
        m_thresholds.push_back(detail::export_bucket_threshold(b, m_options.unit_divisor));
        m_bound_labels.push_back(detail::export_bound_label("le", b));
      }
      m_inf_label = "le=\"+Inf\"";
      for (const double q : m_options.quantiles) m_quantile_labels.push_back(detail::export_bound_label("quantile", q));
    }
  }

 private:
  struct series {
    template <class... A>
    explicit series(A&&... args) : metric(std::forward<A>(args)...) {}
    M metric;
    std::string labels;  // name="value",... escaped
  };

  std::unique_ptr<series> make_series(std::span<const std::string_view> values) const {
    std::unique_ptr<series> s;
    if constexpr (std::is_same_v<M, histogram>) {
      s = std::make_unique<series>(m_options.histogram);
    } else {
      s = std::make_unique<series>();
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i != 0) s->labels += ',';
      s->labels += m_label_names[i];
      s->labels += "=\"";
      detail::export_escape_append(s->labels, values[i], true);
      s->labels += '"';
    }
    return s;
  }

  void write_histogram(text_writer& out, const series& s) const {
    // One merged view per series: its buckets, _sum and _count agree.
    const histogram_snapshot h = s.metric.snapshot();
    const double div = m_options.unit_divisor;
    // Values refused as out of range are in +Inf and _count (an observation
    // above the highest trackable value belongs there; none is dropped) but
    // not in _sum, which is the exact sum of the values in range.
    const std::uint64_t total = h.total_count() + h.out_of_range_count();
    if (m_options.export_as == histogram_export::buckets) {
      // One pass over the buckets, the bounds in increasing order: a bound
      // counts every bucket whose lowest value is at or below it
      // (histogram_snapshot::count_at_or_below).
      std::size_t b = 0;
      std::uint64_t cumulative = 0;
      h.for_each_bucket([&](std::int64_t lowest, std::int64_t, std::uint64_t count) {
        while (b < m_thresholds.size() && m_thresholds[b] < lowest) {
          out.sample_escaped(m_name, "_bucket", s.labels, m_bound_labels[b], cumulative);
          ++b;
        }
        cumulative += count;
      });
      for (; b < m_thresholds.size(); ++b)
        out.sample_escaped(m_name, "_bucket", s.labels, m_bound_labels[b], cumulative);
      out.sample_escaped(m_name, "_bucket", s.labels, m_inf_label, total);
    } else {
      for (std::size_t q = 0; q < m_quantile_labels.size(); ++q) {
        const double v = h.total_count() == 0
                             ? std::numeric_limits<double>::quiet_NaN()
                             : static_cast<double>(h.value_at_percentile(100.0 * m_options.quantiles[q])) / div;
        out.sample_escaped(m_name, {}, s.labels, m_quantile_labels[q], v);
      }
    }
    out.sample_escaped(m_name, "_sum", s.labels, {}, h.sum() / div);
    out.sample_escaped(m_name, "_count", s.labels, {}, total);
  }

  histogram_family_options m_options;
  mutable std::mutex m_mutex;
  detail::export_series_table<series> m_series;
  std::vector<std::int64_t> m_thresholds;
  std::vector<std::string> m_bound_labels;
  std::string m_inf_label;
  std::vector<std::string> m_quantile_labels;
};

/// Metric families by name, and collectors; see the header comment.
class registry {
 public:
  registry() = default;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  /// A family of integer counters (TYPE counter).
  family<counter>& counter_family(std::string_view name, std::string_view help,
                                  std::initializer_list<std::string_view> label_names = {}) {
    return add<counter>(name, help, metric_type::counter, span_of(label_names), {});
  }
  /// A family of double counters (TYPE counter).
  family<counter_f64>& counter_f64_family(std::string_view name, std::string_view help,
                                          std::initializer_list<std::string_view> label_names = {}) {
    return add<counter_f64>(name, help, metric_type::counter, span_of(label_names), {});
  }
  /// A family of int64 gauges (TYPE gauge).
  family<gauge>& gauge_family(std::string_view name, std::string_view help,
                              std::initializer_list<std::string_view> label_names = {}) {
    return add<gauge>(name, help, metric_type::gauge, span_of(label_names), {});
  }
  /// A family of double gauges (TYPE gauge).
  family<gauge_f64>& gauge_f64_family(std::string_view name, std::string_view help,
                                      std::initializer_list<std::string_view> label_names = {}) {
    return add<gauge_f64>(name, help, metric_type::gauge, span_of(label_names), {});
  }
  /// A family of histograms, exported as options.export_as says (TYPE
  /// histogram or summary).
  family<histogram>& histogram_family(std::string_view name, std::string_view help,
                                      std::initializer_list<std::string_view> label_names,
                                      histogram_family_options options) {
    return histogram_family(name, help, span_of(label_names), std::move(options));
  }
  /// See above; label names as a span.
  family<histogram>& histogram_family(std::string_view name, std::string_view help,
                                      std::span<const std::string_view> label_names, histogram_family_options options) {
    check_histogram_options(name, options);
    const bool summary = options.export_as == histogram_export::summary;
    return add<histogram>(name, help, summary ? metric_type::summary : metric_type::histogram, label_names,
                          std::move(options));
  }
  /// A histogram family exported as a summary with these quantiles.
  family<histogram>& summary_family(std::string_view name, std::string_view help,
                                    std::initializer_list<std::string_view> label_names,
                                    std::vector<double> quantiles = {0.5, 0.9, 0.99}, histogram_options histogram = {},
                                    double unit_divisor = 1.0) {
    histogram_family_options o;
    o.histogram = histogram;
    o.export_as = histogram_export::summary;
    o.quantiles = std::move(quantiles);
    o.unit_divisor = unit_divisor;
    return histogram_family(name, help, label_names, std::move(o));
  }

  /// Adds a collector, written after the families on each write_text().
  /// Throws std::invalid_argument when one of its names is invalid, taken
  /// or given twice, std::bad_alloc when memory runs out; either way the
  /// registry is as it was (no name of the collector stays reserved).
  void add_collector(std::unique_ptr<collector> c) {
    const std::vector<std::string> names = c->family_names();
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& n = names[i];
      if (!is_valid_metric_name(n)) detail::export_invalid("invalid metric name", n);
      if (m_names.contains(n) || std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), n) !=
                                     names.begin() + static_cast<std::ptrdiff_t>(i)) {
        detail::export_invalid("metric name already registered", n);
      }
    }
    m_collectors.reserve(m_collectors.size() + 1);
    // Should an insertion throw, the names inserted before it go again.
    struct undo {
      std::map<std::string, detail::export_family_base*, std::less<>>& map;
      const std::vector<std::string>& names;
      std::size_t added = 0;
      bool done = false;
      ~undo() {
        if (!done) {
          for (std::size_t i = 0; i < added; ++i) map.erase(names[i]);
        }
      }
    } inserted{m_names, names};
    for (; inserted.added < names.size(); ++inserted.added) m_names.emplace(names[inserted.added], nullptr);
    inserted.done = true;
    m_collectors.push_back(std::move(c));  // cannot throw: reserved
  }

  /// Writes every family and collector into `out`.
  void write_text(text_writer& out) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& f : m_families) f->write(out);
    for (const auto& c : m_collectors) c->collect(out);
  }
  /// Writes the exposition into any byte sink.
  /// A sink with reserve() and size() (std::string, std::vector<char>)
  /// first reserves room for as many bytes as the last exposition took, so
  /// it grows once rather than by doubling.
  template <encoding::byte_sink S>
  void write_text(S& sink, const exposition_options& options = {}) const {
    if constexpr (requires(S & s) {
                    s.reserve(s.size());
                    { s.size() } -> std::convertible_to<std::size_t>;
                  }) {
      const std::size_t before = sink.size();
      sink.reserve(before + m_last_size.load(std::memory_order_relaxed));
      {
        text_writer out(sink, options);
        write_text(out);
        out.flush();
      }
      m_last_size.store(sink.size() - before, std::memory_order_relaxed);
    } else {
      text_writer out(sink, options);
      write_text(out);
      out.flush();
    }
  }
  /// The exposition as a string.
  [[nodiscard]] std::string text(const exposition_options& options = {}) const {
    std::string s;
    write_text(s, options);
    return s;
  }
  /// Number of families (collectors not included).
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_families.size();
  }

 private:
  static std::span<const std::string_view> span_of(std::initializer_list<std::string_view> l) noexcept {
    return {l.begin(), l.size()};
  }
  static void check_histogram_options(std::string_view name, histogram_family_options& o) {
    if (!(o.unit_divisor > 0) || !std::isfinite(o.unit_divisor))
      detail::export_invalid("unit divisor not positive", name);
    if (!o.buckets.empty() && std::isinf(o.buckets.back()) && o.buckets.back() > 0) o.buckets.pop_back();
    for (std::size_t i = 0; i < o.buckets.size(); ++i) {
      if (std::isnan(o.buckets[i]) || (i != 0 && !(o.buckets[i - 1] < o.buckets[i]))) {
        detail::export_invalid("bucket bounds not increasing", name);
      }
    }
    for (const double q : o.quantiles) {
      if (!(q >= 0 && q <= 1)) detail::export_invalid("quantile outside [0, 1]", name);
    }
  }

  template <class M>
  family<M>& add(std::string_view name, std::string_view help, metric_type type,
                 std::span<const std::string_view> label_names, histogram_family_options options) {
    std::string_view reserved;
    if (type == metric_type::histogram) reserved = "le";
    if (type == metric_type::summary) reserved = "quantile";
    detail::export_check_names(name, label_names, reserved);
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (const auto it = m_names.find(name); it != m_names.end()) {
      detail::export_family_base* f = it->second;
      if (f == nullptr || f->kind() != detail::export_kind<M> || f->type() != type || !f->same_labels(label_names)) {
        detail::export_invalid("metric name already registered with another type or labels", name);
      }
      return static_cast<family<M>&>(*f);
    }
    auto f = std::make_unique<family<M>>(name, help, type, label_names, std::move(options));
    family<M>& ref = *f;
    if (m_families.size() == m_families.capacity()) m_families.reserve(m_families.empty() ? 8 : 2 * m_families.size());
    m_names.emplace(std::string(name), f.get());
    m_families.push_back(std::move(f));
    return ref;
  }

  mutable std::mutex m_mutex;
  std::vector<std::unique_ptr<detail::export_family_base>> m_families;
  std::map<std::string, detail::export_family_base*, std::less<>> m_names;  // null: a collector's
  std::vector<std::unique_ptr<collector>> m_collectors;
  mutable std::atomic<std::size_t> m_last_size{0};  // bytes of the last exposition into a string
};

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_REGISTRY_HPP
