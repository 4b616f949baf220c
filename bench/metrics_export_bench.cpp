// SPDX-License-Identifier: MIT
// The Prometheus text exposition of 1,000 series (10 families x 100 label
// sets: 4 counter, 4 gauge and 2 histogram families, two labels each):
// Electron's registry written into a fresh std::string, against
// prometheus-cpp's TextSerializer over Registry::Collect() of the same
// series (the whole scrape; and the serialization alone over a collected
// vector), and against a std::ostringstream writer of Electron's series.
// The histograms have 10 `le` bounds; Electron's fold an HdrHistogram of
// 1..1e6 at 2 significant digits (its export merges the buckets once per
// series), prometheus-cpp's hold the 10 bounds.
#include "bench_util.hpp"

#include "electron/metrics/registry.hpp"

#include <cstdint>
#include <iomanip>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

namespace em = electron::metrics;

constexpr int families_per_kind[] = {4, 4, 2};  // counters, gauges, histograms
const std::vector<double> bounds = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500};

int series_per_family() { return electron_bench::smoke_run() ? 10 : 100; }

std::string instance(int i) { return "host-" + std::to_string(i) + ".example.org:9100"; }
const char* method(int i) {
  static const char* const m[] = {"GET", "POST", "PUT", "DELETE"};
  return m[i % 4];
}

// The values every implementation records: the same per series.
struct series_values {
  std::uint64_t count;
  double gauge;
  std::vector<double> observations;  // in milliseconds
};
series_values values_of(int family, int series) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(family * 1000 + series));
  series_values v{rng() % 100'000'000, static_cast<double>(rng() % 1'000'000) / 7.0, {}};
  for (int i = 0; i < 50; ++i) v.observations.push_back(static_cast<double>(rng() % 600'000) / 1000.0);
  return v;
}

struct electron_fixture {
  em::registry reg;
  electron_fixture() {
    const int n = series_per_family();
    int f = 0;
    for (int k = 0; k < families_per_kind[0]; ++k, ++f) {
      auto& fam = reg.counter_family("app_requests_" + std::to_string(k) + "_total", "Requests served.",
                                     {"instance", "method"});
      for (int s = 0; s < n; ++s) fam.labels({instance(s), method(s)}).add(values_of(f, s).count);
    }
    for (int k = 0; k < families_per_kind[1]; ++k, ++f) {
      auto& fam = reg.gauge_f64_family("app_queue_depth_" + std::to_string(k), "Queue depth.", {"instance", "method"});
      for (int s = 0; s < n; ++s) fam.labels({instance(s), method(s)}).set(values_of(f, s).gauge);
    }
    em::histogram_family_options o;
    o.buckets = bounds;
    o.unit_divisor = 1000;  // microseconds recorded, milliseconds exported
    o.histogram = {1, 1'000'000, 2};
    for (int k = 0; k < families_per_kind[2]; ++k, ++f) {
      auto& fam = reg.histogram_family("app_latency_" + std::to_string(k) + "_milliseconds", "Latency.",
                                       {"instance", "method"}, o);
      for (int s = 0; s < n; ++s) {
        em::histogram& h = fam.labels({instance(s), method(s)});
        for (const double ms : values_of(f, s).observations) h.record(static_cast<std::int64_t>(ms * 1000));
      }
    }
  }
};

// Into a fresh std::string each time, as prometheus-cpp returns one.
void exposition_electron(benchmark::State& state) {
  electron_fixture fx;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    fx.reg.write_text(out);
    bytes = out.size();
    electron_bench::keep(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10 * series_per_family());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(exposition_electron)->Name("exposition_1000/electron");

// Into a buffer kept from one scrape to the next (examples/metrics_server
// does so): no allocation of the output, no page faults on fresh memory.
void exposition_electron_reused(benchmark::State& state) {
  electron_fixture fx;
  std::string out;
  for (auto _ : state) {
    out.clear();
    fx.reg.write_text(out);
    electron_bench::keep(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10 * series_per_family());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}
BENCHMARK(exposition_electron_reused)->Name("exposition_1000/electron_reused_buffer");

// The same series written with std::ostringstream: what a hand-written
// exporter over Electron's metrics does.
void exposition_std_ostream(benchmark::State& state) {
  electron_fixture fx;
  const int n = series_per_family();
  std::vector<em::counter*> counters;
  std::vector<em::gauge_f64*> gauges;
  std::vector<em::histogram*> histograms;
  for (int k = 0; k < 4; ++k) {
    auto& fam = fx.reg.counter_family("app_requests_" + std::to_string(k) + "_total", "Requests served.",
                                      {"instance", "method"});
    for (int s = 0; s < n; ++s) counters.push_back(&fam.labels({instance(s), method(s)}));
  }
  for (int k = 0; k < 4; ++k) {
    auto& fam = fx.reg.gauge_f64_family("app_queue_depth_" + std::to_string(k), "Queue depth.", {"instance", "method"});
    for (int s = 0; s < n; ++s) gauges.push_back(&fam.labels({instance(s), method(s)}));
  }
  em::histogram_family_options o;
  o.buckets = bounds;
  o.unit_divisor = 1000;
  o.histogram = {1, 1'000'000, 2};
  for (int k = 0; k < 2; ++k) {
    auto& fam = fx.reg.histogram_family("app_latency_" + std::to_string(k) + "_milliseconds", "Latency.",
                                        {"instance", "method"}, o);
    for (int s = 0; s < n; ++s) histograms.push_back(&fam.labels({instance(s), method(s)}));
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream os;
    os << std::setprecision(17);
    auto labels = [&](int s) { os << "{instance=\"" << instance(s) << "\",method=\"" << method(s) << '"'; };
    for (int k = 0; k < 4; ++k) {
      const std::string name = "app_requests_" + std::to_string(k) + "_total";
      os << "# HELP " << name << " Requests served.\n# TYPE " << name << " counter\n";
      for (int s = 0; s < n; ++s) {
        os << name;
        labels(s);
        os << "} " << counters[static_cast<std::size_t>(k * n + s)]->value() << '\n';
      }
    }
    for (int k = 0; k < 4; ++k) {
      const std::string name = "app_queue_depth_" + std::to_string(k);
      os << "# HELP " << name << " Queue depth.\n# TYPE " << name << " gauge\n";
      for (int s = 0; s < n; ++s) {
        os << name;
        labels(s);
        os << "} " << gauges[static_cast<std::size_t>(k * n + s)]->value() << '\n';
      }
    }
    for (int k = 0; k < 2; ++k) {
      const std::string name = "app_latency_" + std::to_string(k) + "_milliseconds";
      os << "# HELP " << name << " Latency.\n# TYPE " << name << " histogram\n";
      for (int s = 0; s < n; ++s) {
        const em::histogram_snapshot h = histograms[static_cast<std::size_t>(k * n + s)]->snapshot();
        for (const double b : bounds) {
          os << name << "_bucket";
          labels(s);
          os << ",le=\"" << b << "\"} " << h.count_at_or_below(static_cast<std::int64_t>(b * 1000)) << '\n';
        }
        os << name << "_bucket";
        labels(s);
        os << ",le=\"+Inf\"} " << h.total_count() << '\n' << name << "_sum";
        labels(s);
        os << "} " << h.sum() / 1000 << '\n' << name << "_count";
        labels(s);
        os << "} " << h.total_count() << '\n';
      }
    }
    const std::string out = os.str();
    bytes = out.size();
    electron_bench::keep(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10 * n);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(exposition_std_ostream)->Name("exposition_1000/std_ostream");

#if defined(ELECTRON_BENCH_HAVE_PROMETHEUS_CPP)
struct prometheus_fixture {
  std::shared_ptr<prometheus::Registry> reg = std::make_shared<prometheus::Registry>();
  prometheus_fixture() {
    const int n = series_per_family();
    int f = 0;
    for (int k = 0; k < families_per_kind[0]; ++k, ++f) {
      auto& fam = prometheus::BuildCounter()
                      .Name("app_requests_" + std::to_string(k) + "_total")
                      .Help("Requests served.")
                      .Register(*reg);
      for (int s = 0; s < n; ++s) {
        fam.Add({{"instance", instance(s)}, {"method", method(s)}})
            .Increment(static_cast<double>(values_of(f, s).count));
      }
    }
    for (int k = 0; k < families_per_kind[1]; ++k, ++f) {
      auto& fam =
          prometheus::BuildGauge().Name("app_queue_depth_" + std::to_string(k)).Help("Queue depth.").Register(*reg);
      for (int s = 0; s < n; ++s)
        fam.Add({{"instance", instance(s)}, {"method", method(s)}}).Set(values_of(f, s).gauge);
    }
    for (int k = 0; k < families_per_kind[2]; ++k, ++f) {
      auto& fam = prometheus::BuildHistogram()
                      .Name("app_latency_" + std::to_string(k) + "_milliseconds")
                      .Help("Latency.")
                      .Register(*reg);
      for (int s = 0; s < n; ++s) {
        auto& h = fam.Add({{"instance", instance(s)}, {"method", method(s)}},
                          prometheus::Histogram::BucketBoundaries(bounds));
        for (const double ms : values_of(f, s).observations) h.Observe(ms);
      }
    }
  }
};

void exposition_prometheus_cpp(benchmark::State& state) {
  prometheus_fixture fx;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = prometheus::TextSerializer().Serialize(fx.reg->Collect());
    bytes = out.size();
    electron_bench::keep(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10 * series_per_family());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(exposition_prometheus_cpp)->Name("exposition_1000/prometheus_cpp");

// The serialization alone, over families collected once.
void exposition_prometheus_cpp_serialize(benchmark::State& state) {
  prometheus_fixture fx;
  const auto families = fx.reg->Collect();
  for (auto _ : state) {
    const std::string out = prometheus::TextSerializer().Serialize(families);
    electron_bench::keep(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10 * series_per_family());
}
BENCHMARK(exposition_prometheus_cpp_serialize)->Name("exposition_1000/prometheus_cpp_serialize_only");
#endif

}  // namespace
