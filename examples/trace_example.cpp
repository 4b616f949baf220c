// SPDX-License-Identifier: MIT
// electron::trace in a few lines: two workers hash blocks of data under
// spans, a counter follows the work left, and the trace goes to a file that
// ui.perfetto.dev ("Open trace file") or chrome://tracing ("Load") opens.
//   trace_example [out.json]
#include "electron/trace.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace trace = electron::trace;

namespace {

// FNV-1a over a block (the work being traced).
std::uint64_t hash_block(const std::vector<unsigned char>& data, std::size_t begin, std::size_t end) {
  trace::span s("hash_block");
  s.attr("bytes", end - begin);
  std::uint64_t h = 14695981039346656037u;
  for (std::size_t i = begin; i < end; ++i) h = (h ^ data[i]) * 1099511628211u;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "trace.json";
  trace::set_thread_name("main");
  std::vector<unsigned char> data(1 << 20);
  {
    trace::span s("fill");
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(i * 31 + 7);
  }
  constexpr std::size_t block = 64 * 1024;
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> digest{0};  // the sum of the blocks' hashes
  auto worker = [&](int id) {
    trace::set_thread_name("worker " + std::to_string(id));
    trace::span s("worker");
    for (;;) {
      const std::size_t b = next.fetch_add(block);
      if (b >= data.size()) break;
      trace::span step = s.child("step");
      step.attr("offset", b);
      digest.fetch_add(hash_block(data, b, b + block));
      trace::counter("blocks_left", (data.size() - std::min(data.size(), b + block)) / block);
    }
    trace::instant("worker done");
  };
  {
    trace::span s("hash");
    std::thread a(worker, 1), b(worker, 2);
    a.join();
    b.join();
  }
  trace::drain_stats st;
  trace::json_export_options o;
  o.process_name = "trace_example";
  if (std::error_code ec = trace::collector{}.write_json_file(path, o, &st)) {
    std::fprintf(stderr, "cannot write %s: %s\n", path, ec.message().c_str());
    return 1;
  }
  std::printf("digest %016llx\n", static_cast<unsigned long long>(digest.load()));
  std::printf("%llu events (%llu dropped), clock %s, written to %s\n", static_cast<unsigned long long>(st.events),
              static_cast<unsigned long long>(st.dropped), trace::clock_name(), path);
  std::printf("open it at https://ui.perfetto.dev (Open trace file) or in chrome://tracing (Load)\n");
  return st.dropped == 0 ? 0 : 1;
}
