// SPDX-License-Identifier: MIT
// The Electron tour: what this machine has, what Electron was compiled for,
// and every implemented module at work. scripts/tour.sh runs it, then the
// side-by-side benchmark summary.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/electron.hpp"
#include "electron/test.hpp"
#include "fuzz/bitset_property.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory_resource>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  std::printf("  [%s] %s\n", ok ? "ok" : "FAILED", what);
  failures += ok ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
  // Where the trace section writes its file: argv[1], or the temp directory.
  const std::string trace_path =
      (argc > 1 ? std::string(argv[1]) : std::filesystem::temp_directory_path().string()) + "/electron_tour_trace.json";
  // First of all: refuse clearly, rather than crash, on a CPU without the
  // instructions this binary was compiled for.
  if (const electron::cpu_check c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "electron tour: %s\n", c.message());
    return 2;
  }

  std::printf("Electron %s  (ABI namespace electron::%s)\n", ELECTRON_VERSION_STRING, electron::abi_namespace.data());
  std::printf("\n== config: this machine and this build\n");
  const auto& cpu = electron::cpu();
  std::printf("  CPU features:");
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    const auto f = static_cast<electron::feature>(i);
    std::printf(" %s%s", cpu.has(f) ? "+" : "-", electron::feature_name(f));
  }
  std::printf("\n  kernels compiled for: %s (%zu-byte vectors, SIMD %s)\n", electron::simd_arch_name.data(),
              electron::simd_width, electron::simd_enabled ? "on" : "off");

  std::printf("\n== bits: word functions and a dynamic bitset\n");
  namespace bits = electron::bits;
  std::printf(
      "  popcount(0xF0F0) = %d, leading_zeros(1u) = %d, round_up_pow2(1000u) = %u, round_up_pow2(2^63+1) = %llu\n",
      bits::popcount(0xF0F0u), bits::leading_zeros(1u), bits::round_up_pow2(1000u),
      static_cast<unsigned long long>(bits::round_up_pow2((std::uint64_t{1} << 63) + 1)));
  constexpr std::size_t limit = 10'000'000;
  const auto t0 = std::chrono::steady_clock::now();
  bits::bitset composite(limit + 1);
  composite.set(0).set(1);
  for (std::size_t p = 2; p * p <= limit; ++p) {
    if (composite.test(p)) continue;
    for (std::size_t m = p * p; m <= limit; m += p) composite.set(m);
  }
  const bits::bitset primes = ~composite;
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  sieve to 10^7: %zu primes in %.1f ms, the largest %zu\n", primes.count(), ms, primes.find_last_set());
  expect(primes.count() == 664579, "pi(10^7) = 664579 (OEIS A006880)");

  std::printf("\n== arena: bump allocation, reset keeps the largest block\n");
  {
    namespace ea = electron::arena;
    ea::arena a;
    struct point {
      double x, y, z;
    };
    const auto t1 = std::chrono::steady_clock::now();
    for (int round = 0; round < 1000; ++round) {
      for (int i = 0; i < 1000; ++i) electron::test::do_not_optimize(ea::make<point>(a));
      a.reset();
    }
    const auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t1).count() / 1e6;
    std::printf("  10^6 make<point>: %.2f ns each; %zu block(s), %zu bytes reserved, high water %zu\n", ns,
                a.block_count(), a.bytes_reserved(), a.high_water());
    const std::string_view s = ea::make_string(a, "strings live until reset()");
    std::span<int> ids = ea::make_slice<int>(a, 8);
    expect(s == "strings live until reset()" && ids.size() == 8 && ids[7] == 0, "make_string, make_slice");
    ea::arena_resource res(a);
    std::pmr::vector<int> v(&res);
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    expect(v[999] == 999, "std::pmr::vector on arena_resource");
  }

  std::printf("\n== pool: objects and buffers with per-thread caches\n");
  {
    namespace ep = electron::pool;
    struct ctx {
      int id = 0;
      void reset() { id = 0; }
    };
    ep::object_pool<ctx> contexts;
    ctx* c = contexts.get();
    c->id = 7;
    contexts.put(c);
    expect(contexts.get() == c && c->id == 0, "object_pool hands back the same object, reset");
    contexts.put(c);
    ep::buffer_pool buffers;
    { auto warm = buffers.get(4096); }
    const auto no_alloc_buffers = electron::test::check_no_alloc([&] {
      for (int i = 0; i < 10000; ++i) {
        auto b = buffers.get(4096);
        electron::test::do_not_optimize(b.data());
      }
    });
    expect(static_cast<bool>(no_alloc_buffers), "10^4 buffer_pool get/put of 4 KiB: no allocation");
    ep::arena_of_pools<ctx> mem;
    auto request = [&] {
      ctx* rc = mem.allocate_context();
      auto body = mem.allocate_buffer(3000);
      const std::string_view path = mem.make_string("/api/v1/items");
      rc->id = static_cast<int>(path.size() + body.size());
      mem.release_context(rc);
      mem.reset();
    };
    request();
    expect(static_cast<bool>(electron::test::check_no_alloc([&] {
             for (int i = 0; i < 10000; ++i) request();
           })),
           "arena_of_pools: 10^4 warm requests, no allocation");
  }

  std::printf("\n== hash: XXH64, XXH3, MetroHash64, MurmurHash3 and a string interner\n");
  {
    namespace eh = electron::hash;
    constexpr std::uint64_t at_compile_time = eh::xxhash64("electron");
    std::printf("  xxhash64(\"electron\") = %016llx, xxh3_64 = %016llx, metro64 = %016llx, murmur3 = %016llx\n",
                static_cast<unsigned long long>(at_compile_time),
                static_cast<unsigned long long>(eh::xxh3_64("electron")),
                static_cast<unsigned long long>(eh::metro64("electron")),
                static_cast<unsigned long long>(eh::murmur3("electron")));
    expect(eh::xxhash64("") == 0xEF46DB3751D8E999ULL, "XXH64 of the empty input matches the reference");
    expect(eh::xxh3_64("") == 0x2D06800538D394C2ULL, "XXH3 of the empty input matches the reference");
    eh::xxhash64_state st;
    st.update("elec").update("tron");
    expect(st.digest() == at_compile_time, "streaming XXH64 equals the one-shot hash");
    eh::string_interner names;
    const auto [a, a_added] = names.intern("alice");
    const auto [b, b_added] = names.intern("bob");
    expect(a == 0 && b == 1 && a_added && b_added && names.intern("alice").id == 0 && !names.intern("bob").inserted &&
               names.at(b) == "bob",
           "interner: dense, stable ids");
  }

  std::printf("\n== simd: byte kernels at memory speed\n");
  {
    namespace es = electron::simd;
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "GET /index.html HTTP/1.1\r\n";
    text += "X-Error: needle found\r\n";
    const auto t2 = std::chrono::steady_clock::now();
    const std::size_t lines = es::count(text, '\n');
    const std::size_t at = es::find(text, "X-Error");
    const auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t2).count();
    std::printf("  %zu bytes: %zu lines counted and the header found at %zu in %.1f us\n", text.size(), lines, at, us);
    expect(lines == 20001 && at == text.size() - 23, "count and find agree with the data");
    expect(es::index_byte(text, '#') == electron::npos && es::equal(text, text), "index_byte of an absent byte, equal");
  }

  std::printf("\n== strings: builder, index_any, Unicode equal_fold\n");
  {
    namespace est = electron::strings;
    est::builder b;
    b.append("user=").append(42).append(',').append("ok");
    std::printf("  builder: \"%.*s\"\n", static_cast<int>(b.size()), b.view().data());
    expect(b.view() == "user=42,ok", "builder appends strings, integers and characters");
    expect(est::index_any("key=value;x", "=;") == 3, "index_any finds the first separator");
    expect(est::equal_fold("\u212Aelvin", "KELVIN") && !est::equal_fold("\u00DF", "ss"),
           "equal_fold: KELVIN SIGN folds to k; sharp s is not \"ss\" under simple folding");
  }

  std::printf("\n== cache and lockfree: padded words, queues, a stack, RCU\n");
  {
    namespace el = electron::lockfree;
    el::mpmc_queue<std::uint64_t> q(1024);
    constexpr std::uint64_t n = 200000;
    std::uint64_t sum = 0;
    std::thread consumer([&] {
      for (std::uint64_t i = 0; i < 2 * n; ++i) sum += q.pop();  // blocks while empty
    });
    std::thread other([&] {
      for (std::uint64_t i = 1; i <= n; ++i) q.push(i);
    });
    for (std::uint64_t i = 1; i <= n; ++i) q.push(i);  // blocks while full
    other.join();
    consumer.join();
    expect(sum == n * (n + 1), "mpmc_queue: 2 producers, 1 consumer, every item exactly once");
    el::stack<std::string> st;
    st.push("first");
    st.push("second");
    expect(st.pop() == "second" && st.pop() == "first" && !st.pop(), "lock-free stack: LIFO");
    struct settings {
      int port = 80;
    };
    el::rcu<settings> cfg;
    std::thread reader([&] {
      for (int i = 0; i < 10000; ++i) {
        const auto g = cfg.read();  // never blocks
        if (g->port != 80 && g->port != 8080) std::abort();
      }
    });
    cfg.update([](settings& s) { s.port = 8080; });  // old version freed once no reader sees it
    reader.join();
    expect(cfg.read()->port == 8080, "rcu: readers see whole versions, the update is published");
    electron::cache::padded<std::atomic<int>> hits;
    hits->fetch_add(1);
    expect(sizeof(hits) == electron::cache_line_size, "cache::padded keeps a counter on its own cache line");
  }

  std::printf("\n== sync: sharded mutex, reader/writer lock, semaphore\n");
  {
    electron::sync::sharded_mutex<> locks;  // 64 shards, one cache line each
    electron::sync::semaphore finished(0);
    std::vector<long> per_key(16, 0);
    auto work = [&] {
      for (int i = 0; i < 20000; ++i) {
        auto g = locks.guard(i % 16);  // the key's shard, until the end of the iteration
        ++per_key[static_cast<std::size_t>(i % 16)];
      }
      finished.release();
    };
    std::thread w1(work), w2(work);
    finished.acquire();
    finished.acquire();
    w1.join();
    w2.join();
    expect(per_key[3] == 2500, "sharded_mutex: 2 threads x 20000 guarded increments, exact per key");
    electron::sync::rw_mutex rw;
    {
      std::shared_lock r1(rw), r2(rw);
      expect(!rw.try_lock(), "rw_mutex: two readers inside (std::shared_lock) keep a writer out");
    }
    expect(rw.try_lock() && !finished.try_acquire(), "rw_mutex free again; semaphore count back at 0");
    rw.unlock();
  }

  std::printf("\n== sched: work-stealing tasks, parallel_for\n");
  {
    namespace esc = electron::sched;
    esc::scheduler sched(2);  // 2 threads in all: one worker and this thread
    std::vector<long> squares(1000);
    esc::parallel_for(sched, 0, squares.size(), 64, [&](std::size_t i) { squares[i] = static_cast<long>(i * i); });
    const long total = esc::parallel_reduce(
        sched, 0, squares.size(), 0L, [&](std::size_t i) { return squares[i]; }, std::plus<>{});
    long a = 0, b = 0;
    esc::task_group tasks(sched);
    tasks.run([&] {
      for (long x : squares) a += x;
    });
    tasks.run([&] { b = static_cast<long>(squares.size()); });
    tasks.wait();  // helps run tasks; rethrows the first exception
    std::printf("  sum of %ld squares = %ld\n", b, a);
    expect(a == 332833500 && b == 1000 && total == a, "parallel_for, parallel_reduce and task_group: every index once");
  }

  std::printf("\n== parse: numbers and a URL from a log line, no allocation\n");
  {
    namespace ep = electron::parse;
    namespace est = electron::strings;
    const std::string_view line =
        R"(203.0.113.7 "GET https://shop.example.com:8443/cart/add?item=42&note=gift%20wrap&qty=3 HTTP/1.1" 200 5123 0.0042)";
    // The fields: the quoted request, then status, bytes and seconds.
    const est::cut_result quoted = est::cut(line, "\" ");
    const std::string_view rest = quoted.after;
    const std::string_view request = est::cut(quoted.before, '"').after;
    const std::string_view target = est::cut(est::cut(request, ' ').after, ' ').before;
    int status = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    std::string_view host;
    unsigned port = 0;
    int qty = 0;
    char note[32];
    std::size_t note_size = 0;
    bool all_parsed = false;
    const auto parsing = electron::test::check_no_alloc([&] {
      std::size_t i = 0;
      bool ok = true;
      for (std::string_view field : est::fields(rest)) {
        if (i == 0) {
          const auto r = ep::parse_int<int>(field);
          ok = ok && static_cast<bool>(r);
          status = r.value;
        } else if (i == 1) {
          const auto r = ep::parse_uint<std::uint64_t>(field);
          ok = ok && static_cast<bool>(r);
          bytes = r.value;
        } else if (i == 2) {
          const auto r = ep::parse_float<double>(field);
          ok = ok && static_cast<bool>(r);
          seconds = r.value;
        }
        ++i;
      }
      const auto u = ep::parse_url(target);
      ok = ok && quoted.found && u.has_value() && i == 3;
      if (!ok) return;
      host = u->host();
      port = u->port_number();
      for (const ep::query_param& q : ep::query_params(u->query())) {
        if (q.key == "qty") qty = ep::parse_int<int>(q.value).value;
        if (q.key == "note") {
          const auto d = q.decode_value(note, note + sizeof note);
          if (d.ec != std::errc{}) return;
          note_size = static_cast<std::size_t>(d.ptr - note);
        }
      }
      all_parsed = true;
    });
    const ep::float_chars millis(seconds * 1000);
    std::printf("  status %d, %llu bytes, %s ms; host %.*s port %u, qty %d, note \"%.*s\"\n", status,
                static_cast<unsigned long long>(bytes), millis.c_str(), static_cast<int>(host.size()), host.data(),
                port, qty, static_cast<int>(note_size), note);
    expect(all_parsed && status == 200 && bytes == 5123 && seconds == 0.0042 && host == "shop.example.com" &&
               port == 8443 && qty == 3 && std::string_view(note, note_size) == "gift wrap",
           "parse_int, parse_uint, parse_float and parse_url read every field of the line");
    expect(static_cast<bool>(parsing), "parsing the line allocated nothing (allocation counter)");
    const auto bad = ep::parse_url("http://host:99999/");
    expect(!bad && bad.error().kind == ep::url_errc::port_out_of_range && bad.error().offset == 12,
           "a bad port is an error with its offset, not a silent wrong value");
    const auto big = ep::parse_int<std::int8_t>("300");
    expect(big.ec == std::errc::result_out_of_range, "300 does not fit int8_t: result_out_of_range");
    char shortest[ep::max_float_chars];
    const auto written = ep::format_float(shortest, shortest + sizeof shortest, 0.1 + 0.2);
    const std::string_view text(shortest, static_cast<std::size_t>(written.ptr - shortest));
    expect(text == "0.30000000000000004" && ep::parse_float<double>(text).value == 0.1 + 0.2,
           "format_float(0.1 + 0.2) is the shortest text that reads back exactly");
  }

  std::printf("\n== encoding and io: a binary record in, JSON and varints out\n");
  {
    namespace eio = electron::io;
    namespace enc = electron::encoding;
    // A record written with io::writer's typed calls...
    std::string record;
    {
      eio::writer w(eio::string_output(record), 256);
      w.u32_le(7);
      w.varint(300);
      w.zigzag(-2);
      const std::string_view name = "caf\xc3\xa9 \"x\"\n";
      w.varint(name.size());
      w.string(name);
      w.f64_le(0.1 + 0.2);
    }
    // ...read back with io::reader (bounds-checked, zero-copy)...
    eio::reader r(record);
    const std::uint32_t id = r.u32_le();
    const std::uint64_t count = r.varint();
    const std::int64_t delta = r.zigzag();
    const std::string_view name = r.string(r.varint());
    const double ratio = r.f64_le();
    expect(r.ok() && r.empty() && id == 7 && count == 300 && delta == -2, "io::reader reads what io::writer wrote");
    const std::uint32_t past_end = r.u32_le();  // a read past the end: an error with its offset, not a wild read
    std::printf(
        "  %zu-byte record: id %u, count %llu, delta %lld, name %zu bytes; one read too many: error at byte %zu\n",
        record.size(), id, static_cast<unsigned long long>(count), static_cast<long long>(delta), name.size(),
        r.error_offset());
    expect(!r.ok() && past_end == 0 && r.error_offset() == record.size(),
           "a read past the end is an error at its offset");
    // ...and as JSON, straight into a builder (no DOM).
    electron::strings::builder json_out;
    enc::json_writer json(json_out);
    json.begin_object();
    json.write("id", id);
    json.write("count", count);
    json.write("delta", delta);
    json.write("name", name);
    json.write("ratio", ratio);
    json.end_object();
    expect(json.finish() == enc::json_error::none, "json_writer: a complete document");
    std::printf("  JSON: %.*s\n", static_cast<int>(json_out.size()), json_out.view().data());
    expect(json_out.view() ==
               "{\"id\":7,\"count\":300,\"delta\":-2,\"name\":\"caf\xc3\xa9 \\\"x\\\"\\n\","
               "\"ratio\":0.30000000000000004}",
           "json_writer output");
    // A misplaced call is refused, not written (an assertion when they are
    // on; the sticky error in a release build).
#if !ELECTRON_ASSERTS_ENABLED
    electron::strings::builder bad_out;
    {
      enc::json_writer bad(bad_out);
      bad.begin_array();
      bad.key("not here");
      std::printf("  key() inside an array: %s\n", enc::json_error_message(bad.error()));
      expect(bad.error() == enc::json_error::unexpected_key, "json_writer refuses a key in an array");
    }
#endif
    // A ring between two threads: every byte once, in order.
    eio::ring_buffer ring(4096);
    constexpr std::size_t total = 1 << 20;
    std::thread producer([&] {
      std::size_t sent = 0;
      while (sent < total) {
        const auto room = ring.prepare(total - sent);
        std::size_t n = 0;
        for (auto* part : {&room.first, &room.second}) {
          for (auto& b : *part) b = static_cast<electron::byte>((sent + n++) * 131);
        }
        ring.commit(n);
        sent += n;
      }
    });
    std::size_t got = 0;
    bool in_order = true;
    while (got < total) {
      const auto data = ring.peek();
      std::size_t n = 0;
      for (auto* part : {&data.first, &data.second}) {
        for (const auto b : *part) in_order = in_order && b == static_cast<electron::byte>((got + n++) * 131);
      }
      ring.consume(n);
      got += n;
    }
    producer.join();
    std::printf(
        "  ring_buffer(4096): 1 MiB from one thread to another through prepare/commit and peek/consume, in order: %s\n",
        in_order ? "yes" : "NO");
    expect(in_order, "ring_buffer keeps every byte once, in order");
  }

  std::printf("\n== cache: compact_map, an open-addressing map with SIMD-matched tags\n");
  {
    namespace cache = electron::cache;
    // Sequential integer keys under std::hash (the identity): the map mixes
    // the bits, so they spread over the groups instead of clustering.
    cache::compact_map<std::uint64_t, std::uint32_t> ids;
    ids.reserve(100'000);
    for (std::uint32_t i = 0; i < 100'000; ++i) ids.try_emplace(i * 8, i);
    std::size_t hits = 0;
    const auto lookups = electron::test::check_no_alloc([&] {
      for (std::uint64_t k = 0; k < 800'000; k += 8) hits += ids.contains(k) ? 1U : 0U;
      for (std::uint64_t k = 1; k < 800'000; k += 8) hits += ids.contains(k) ? 1U : 0U;
    });
    std::printf("  100,000 keys 0, 8, 16, ...: %zu of 200,000 lookups hit, load factor %.2f, %zu slots\n", hits,
                static_cast<double>(ids.load_factor()), ids.capacity());
    expect(hits == 100'000 && static_cast<bool>(lookups),
           "compact_map finds every key, misses every other, allocates nothing");
    // std::string keys found by std::string_view: no temporary string.
    cache::compact_map<std::string, int, electron::hash::xxh3_64_hasher, std::equal_to<>> words;
    for (const char* w : {"alpha", "beta", "gamma", "a key longer than the small-string buffer"}) ++words[w];
    ++words["beta"];
    int beta = 0;
    const auto hetero = electron::test::check_no_alloc([&] {
      const auto it = words.find(std::string_view("beta"));
      beta = it == words.end() ? 0 : it->second;
    });
    expect(beta == 2 && static_cast<bool>(hetero), "find(std::string_view) on std::string keys allocates nothing");
    // Erasing while iterating: erase(it) returns the next element.
    for (auto it = ids.begin(); it != ids.end();) it = it->second % 2 == 0 ? ids.erase(it) : std::next(it);
    expect(ids.size() == 50'000 && !ids.contains(0) && ids.contains(8),
           "erase(it) while iterating keeps the odd values");
  }

  std::printf("\n== dense: struct-of-arrays and a column store\n");
  {
    namespace dense = electron::dense;
    struct trade {
      std::uint64_t id;
      float price;
      std::int32_t qty;
    };
    dense::soa_of<trade, &trade::id, &trade::price, &trade::qty> trades;
    for (std::uint64_t i = 0; i < 1000; ++i) {
      trades.push_back(trade{i, static_cast<float>((i * 7919) % 1000) / 10.0f, static_cast<std::int32_t>(i % 50)});
    }
    // One field is one contiguous, aligned array: a scan reads only it.
    const auto prices = trades.column<&trade::price>();
    double total = 0;
    for (const float p : prices) total += static_cast<double>(p);
    std::ranges::sort(trades, {}, dense::field<1>);  // the rows, sorted by price
    const auto sorted = trades.column<&trade::price>();
    const bool ordered = std::ranges::is_sorted(sorted);
    std::printf("  1,000 trades: price column %zu floats at a 64-byte boundary: %s; sum %.1f; sorted by price: %s\n",
                prices.size(), reinterpret_cast<std::uintptr_t>(prices.data()) % 64 == 0 ? "yes" : "no", total,
                ordered ? "yes" : "no");
    expect(ordered, "soa rows sort by one field with std::ranges::sort");

    dense::column_store t;
    t.add_column<std::int64_t>("id").add_column<double>("price").add_column<std::string_view>("city");
    const char* cities[] = {"Oslo", "Lima", "Pune", "Kyiv"};
    for (std::int64_t i = 0; i < 10'000; ++i) t.append_row(i, static_cast<double>(i % 100), cities[i % 4]);
    const auto expensive = t.filter<double>("price", dense::compare::greater, 90.0);
    const auto ids_sel = t.gather<std::int64_t>("id", expensive);
    std::printf("  column_store of 10,000 rows: sum(price) = %.0f, %zu rows with price > 90, %zu distinct cities\n",
                t.sum<double>("price"), expensive.count(), t.strings("city").distinct_count());
    expect(expensive.count() == 900 && ids_sel.size() == 900 && ids_sel.front() == 91,
           "filter into a bitset and gather the selected ids");
    try {
      (void)t.column<float>("price");
      expect(false, "asking for the wrong type throws");
    } catch (const std::invalid_argument& e) {
      std::printf("  column<float>(\"price\"): %s\n", e.what());
      expect(true, "asking for the wrong type throws std::invalid_argument");
    }
  }

  std::printf("\n== metrics: counters, histograms and the Prometheus text format\n");
  {
    namespace metrics = electron::metrics;
    metrics::registry reg;
    auto& requests = reg.counter_family("tour_requests_total", "Requests served by the tour.", {"method", "code"});
    metrics::histogram_family_options latency;
    latency.buckets = {1e-6, 1e-5, 1e-4, 1e-3};  // le bounds in seconds
    latency.unit_divisor = 1e9;                  // nanoseconds recorded, seconds exported
    auto& durations = reg.histogram_family("tour_request_duration_seconds", "Time to answer.", {}, latency);
    metrics::histogram& h = durations.get();
    metrics::counter& ok = requests.labels({"GET", "200"});
    std::atomic<std::uint64_t> checksum{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w) {
      workers.emplace_back([&] {
        std::uint64_t x = 0;
        for (int i = 0; i < 50'000; ++i) {
          metrics::timer t(h);  // records the elapsed nanoseconds at scope exit
          x += electron::hash::xxhash64(std::as_bytes(std::span(&i, 1)));
          ok.inc();  // a per-thread cell: no shared write
        }
        checksum += x;
      });
    }
    for (auto& t : workers) t.join();
    requests.labels({"GET", "404"}).add(3);
    metrics::add_process_collector(reg);
    std::string text;
    reg.write_text(text);
    std::printf("  2 threads, 100,000 timed requests (clock: %s): p50 %lld ns, p99 %lld ns, max %lld ns\n",
                metrics::clock_name(), static_cast<long long>(h.value_at_percentile(50)),
                static_cast<long long>(h.value_at_percentile(99)), static_cast<long long>(h.max()));
    std::printf("  the exposition (%zu bytes), its first lines:\n", text.size());
    std::size_t line_start = 0;
    for (int lines = 0; lines < 8 && line_start < text.size(); ++lines) {
      const std::size_t end = text.find('\n', line_start);
      std::printf("    %.*s\n", static_cast<int>(end - line_start), text.data() + line_start);
      line_start = end + 1;
    }
    expect(ok.value() == 100'000 && h.total_count() == 100'000, "every increment and every timing counted");
    expect(text.find("tour_requests_total{method=\"GET\",code=\"200\"} 100000\n") != std::string::npos &&
               text.find("tour_request_duration_seconds_count 100000\n") != std::string::npos &&
               text.find("process_resident_memory_bytes ") != std::string::npos,
           "the text format carries the counter, the histogram and the process metrics");
  }

  std::printf("\n== trace: spans into per-thread buffers, Chrome Trace Event JSON out\n");
  {
    namespace trace = electron::trace;
    trace::set_thread_name("tour main");
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w) {
      workers.emplace_back([w] {
        trace::set_thread_name(w == 0 ? "tour worker 0" : "tour worker 1");
        for (int job = 0; job < 20; ++job) {
          trace::span s("job");
          s.attr("job", job).attr("worker", w);
          std::uint64_t x = 0;
          {
            trace::span p("hash");
            for (int i = 0; i < 2000; ++i) x += electron::hash::xxhash64(std::as_bytes(std::span(&i, 1)));
          }
          trace::counter("hash_low_bits", static_cast<double>(x & 0xFF));
        }
        trace::instant("worker done");
      });
    }
    for (auto& t : workers) t.join();
    const std::string path = trace_path;
    trace::collector c;
    trace::drain_stats stats{};
    const std::error_code ec = c.write_json_file(path.c_str(), {}, &stats);
    std::printf("  %llu events from %llu threads (clock: %s), %llu dropped, written to %s\n",
                static_cast<unsigned long long>(stats.events), static_cast<unsigned long long>(stats.threads),
                trace::clock_name(), static_cast<unsigned long long>(stats.dropped), path.c_str());
    std::printf("  open it in https://ui.perfetto.dev (Open trace file) or chrome://tracing (Load)\n");
    expect(!ec && stats.dropped == 0 && stats.events >= 2 * (20 * 3 + 1), "every span, counter and instant exported");
  }

  std::printf("\n== test: allocation counter and property checks\n");
  std::size_t sink = 0;
  const auto no_alloc = electron::test::check_no_alloc([&] {
    sink += primes.count();
    for (std::size_t p : primes.set_bits()) sink ^= p;
  });
  expect(static_cast<bool>(no_alloc), "counting and iterating a bitset allocates nothing");
  int* leaked = nullptr;
  const auto leak = electron::test::check_leaks([&] {
    leaked = new int(7);
    electron::test::do_not_optimize(leaked);
  });
  delete leaked;
  std::printf("  a deliberate leak is reported as: %s\n", leak.message.c_str());
  expect(!leak, "check_leaks catches a deliberate leak");
  const auto prop = electron::test::fuzz_bytes(electron_fuzz::bitset_ops_property, {.runs = 300});
  expect(static_cast<bool>(prop), "bitset agrees with a std::vector<bool> model on 300 random programs");

  std::printf("\n%s\n", failures == 0 ? "tour: all checks passed" : "tour: SOME CHECKS FAILED");
  return failures == 0 ? 0 : 1;
}
