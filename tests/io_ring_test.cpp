// SPDX-License-Identifier: MIT
#include "electron/io/ring_buffer.hpp"

#include "child_process.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace eio = electron::io;
using electron::byte;

namespace {

// The contract, checked at compile time.
static_assert(!std::is_copy_constructible_v<eio::ring_buffer>);
static_assert(!std::is_move_constructible_v<eio::ring_buffer>);
static_assert(!std::is_copy_assignable_v<eio::ring_buffer>);
static_assert(noexcept(std::declval<eio::ring_buffer&>().prepare()));
static_assert(noexcept(std::declval<eio::ring_buffer&>().commit(1)));
static_assert(noexcept(std::declval<eio::ring_buffer&>().peek()));
static_assert(noexcept(std::declval<eio::ring_buffer&>().consume(1)));
static_assert(noexcept(std::declval<eio::ring_buffer&>().write_some(std::string_view())));
static_assert(noexcept(std::declval<eio::ring_buffer&>().read_some(std::span<byte>())));
static_assert(noexcept(std::declval<const eio::ring_buffer&>().size()));

// The byte at position i of a test stream: a mix of i and the seed, so a
// lost, repeated or reordered byte shows up at once.
byte stream_byte(std::uint64_t seed, std::uint64_t i) noexcept {
  return static_cast<byte>(electron::detail::mix64(seed ^ (i * 0x9e3779b97f4a7c15ULL)) >> 56);
}

// The readable bytes as a string, in ring order.
std::string contents(const eio::ring_spans<const byte>& s) {
  std::string out;
  for (byte b : s.first) out.push_back(static_cast<char>(b));
  for (byte b : s.second) out.push_back(static_cast<char>(b));
  return out;
}

void write_string(eio::ring_buffer& r, std::string_view s) { REQUIRE(r.try_write(s)); }

std::string read_all(eio::ring_buffer& r) {
  const auto s = r.peek();
  std::string out = contents(s);
  r.consume(s.size());
  return out;
}

// Yield while the other side catches up: two cores are shared by many
// threads in CI, and TSan is slow; spinning would only take time from it.
void wait_a_little() { std::this_thread::yield(); }

}  // namespace

TEST_CASE("ring_buffer: capacity is rounded up to a power of two", "[io][ring]") {
  for (const auto& [asked, got] : std::vector<std::pair<std::size_t, std::size_t>>{
           {0, 1}, {1, 1}, {2, 2}, {3, 4}, {64, 64}, {65, 128}, {100, 128}, {4096, 4096}}) {
    CAPTURE(asked);
    eio::ring_buffer r(asked);
    CHECK(r.capacity() == got);
    CHECK(r.size() == 0);
    CHECK(r.empty());
    CHECK_FALSE(r.is_mirrored());
    CHECK(r.prepare().size() == got);
    CHECK(r.peek().empty());
  }
}

TEST_CASE("ring_buffer: sizes near SIZE_MAX are refused before allocating", "[io][ring]") {
  electron::test::failing_resource res;
  CHECK(eio::ring_buffer::max_capacity() == electron::detail::max_allocation_size / 2);
  for (std::size_t n : electron::test::huge_sizes(64)) {
    CAPTURE(n);
    CHECK_THROWS_AS(eio::ring_buffer(n, &res), std::length_error);
    CHECK_THROWS_AS(eio::ring_buffer(n, eio::ring_mapping::mirrored_if_available, &res), std::length_error);
  }
  CHECK_THROWS_AS(eio::ring_buffer(eio::ring_buffer::max_capacity() + 1, &res), std::length_error);
  CHECK(res.control().allocations() == 0);
}

TEST_CASE("ring_buffer: memory comes from the upstream resource and goes back to it", "[io][ring]") {
  electron::test::failing_resource res;
  {
    eio::ring_buffer r(1000, &res);
    CHECK(res.control().allocations() == 1);
    CHECK(res.control().live_bytes() == 1024);
    write_string(r, "abc");
    CHECK(read_all(r) == "abc");
  }
  CHECK(res.control().live() == 0);
  CHECK(res.control().errors() == 0);
  // A failing upstream: the constructor throws, nothing leaks.
  res.control().fail_nth(1);
  CHECK_THROWS_AS(eio::ring_buffer(64, &res), std::bad_alloc);
  res.control().disarm();
  CHECK(res.control().live() == 0);
}

TEST_CASE("ring_buffer: empty and full", "[io][ring]") {
  eio::ring_buffer r(8);
  CHECK(r.peek().empty());
  CHECK(r.peek().size() == 0);
  std::array<byte, 8> buf{};
  CHECK(r.read_some(buf) == 0);
  CHECK_FALSE(r.try_read(std::span<byte>(buf.data(), 1)));
  CHECK(r.try_read(std::span<byte>()));  // zero bytes are always there

  write_string(r, "01234567");
  CHECK(r.size() == 8);
  CHECK(r.prepare().empty());
  CHECK_FALSE(r.try_write(std::string_view("x")));
  CHECK(r.try_write(std::string_view()));  // zero bytes always fit
  CHECK(r.write_some(std::string_view("xyz")) == 0);
  CHECK(r.size() == 8);

  // Room comes back byte by byte.
  CHECK(r.read_some(std::span<byte>(buf.data(), 1)) == 1);
  CHECK(buf[0] == '0');
  CHECK(r.prepare().size() == 1);
  CHECK(r.write_some(std::string_view("xyz")) == 1);
  CHECK(read_all(r) == "1234567x");
  CHECK(r.empty());
  CHECK(r.prepare().size() == 8);
}

TEST_CASE("ring_buffer: prepare(0), peek(0), commit(0), consume(0)", "[io][ring]") {
  eio::ring_buffer r(4);
  auto w = r.prepare(0);
  CHECK(w.empty());
  CHECK(w.second.empty());
  r.commit(0);
  CHECK(r.empty());
  write_string(r, "ab");
  auto p = r.peek(0);
  CHECK(p.empty());
  r.consume(0);
  CHECK(r.size() == 2);
  // prepare(n) caps at n, peek(n) too.
  CHECK(r.prepare(1).size() == 1);
  CHECK(r.prepare(100).size() == 2);
  CHECK(r.peek(1).size() == 1);
  CHECK(contents(r.peek(1)) == "a");
  CHECK(contents(r.peek(100)) == "ab");
}

TEST_CASE("ring_buffer: wrap-around gives two spans in ring order", "[io][ring]") {
  eio::ring_buffer r(8);
  write_string(r, "abcdef");
  CHECK(read_all(r) == "abcdef");
  // Free space: positions 6, 7, then 0..5.
  auto w = r.prepare();
  REQUIRE(w.size() == 8);
  CHECK(w.first.size() == 2);
  CHECK(w.second.size() == 6);
  const std::string text = "ABCDEFGH";
  std::copy_n(reinterpret_cast<const byte*>(text.data()), 2, w.first.begin());
  std::copy_n(reinterpret_cast<const byte*>(text.data()) + 2, 6, w.second.begin());
  // A partial commit, then the rest: a commit may be split.
  r.commit(3);
  CHECK(r.size() == 3);
  r.commit(5);
  CHECK(r.size() == 8);
  auto p = r.peek();
  CHECK(p.first.size() == 2);
  CHECK(p.second.size() == 6);
  CHECK(contents(p) == text);
  // A partial consume, then a new peek starts where it stopped.
  r.consume(3);
  CHECK(contents(r.peek()) == "DEFGH");
  // try_write across the end, try_read across the end.
  r.consume(5);
  write_string(r, "12345");
  std::string out(5, '\0');
  CHECK(r.try_read(std::span<char>(out)));
  CHECK(out == "12345");
  // Exactly to the end: one span, the second empty.
  eio::ring_buffer q(4);
  write_string(q, "wxyz");
  auto whole = q.peek();
  CHECK(whole.first.size() == 4);
  CHECK(whole.second.empty());
}

TEST_CASE("ring_buffer: capacity 1 and 2", "[io][ring]") {
  for (std::size_t cap : {std::size_t{1}, std::size_t{2}}) {
    eio::ring_buffer r(cap);
    std::string got;
    const std::string text = "the quick brown fox";
    std::size_t written = 0;
    while (got.size() < text.size()) {
      written += r.write_some(std::string_view(text).substr(written));
      CHECK(r.size() <= cap);
      std::array<char, 3> buf{};
      const std::size_t n = r.read_some(buf);
      got.append(buf.data(), n);
    }
    CHECK(got == text);
    CHECK_FALSE(r.try_write(std::string_view("abc")));  // larger than the ring: never fits
  }
}

// Random operations against a std::deque<char> model.
TEST_CASE("ring_buffer: random operations agree with a deque", "[io][ring]") {
  std::mt19937_64 rng(12);
  const int steps = 4000 * electron::test::stress_scale();
  std::vector<eio::ring_mapping> mappings{eio::ring_mapping::plain, eio::ring_mapping::mirrored_if_available};
  for (eio::ring_mapping mapping : mappings) {
    for (std::size_t cap : {1U, 2U, 3U, 8U, 64U, 1000U, 4096U}) {
      CAPTURE(cap, static_cast<int>(mapping));
      eio::ring_buffer r(cap, mapping);
      const std::size_t c = r.capacity();
      std::deque<char> model;
      std::uint64_t next = 0;
      std::vector<byte> buf(2 * c + 8);
      for (int step = 0; step < steps; ++step) {
        auto rand_len = [&] { return static_cast<std::size_t>(rng() % (c + 3 + c / 4)); };
        switch (rng() % 6) {
          case 0: {  // prepare/commit part of it
            const std::size_t want = rng() % 4 == 0 ? electron::npos : rand_len();
            auto w = r.prepare(want);
            REQUIRE(w.size() == std::min(want, c - model.size()));
            if (r.is_mirrored()) CHECK(w.second.empty());
            const std::size_t k = w.size() == 0 ? 0 : static_cast<std::size_t>(rng() % (w.size() + 1));
            for (std::size_t i = 0; i < k; ++i) {
              const byte b = stream_byte(1, next++);
              (i < w.first.size() ? w.first[i] : w.second[i - w.first.size()]) = b;
              model.push_back(static_cast<char>(b));
            }
            r.commit(k);
            break;
          }
          case 1: {  // write_some
            const std::size_t n = rand_len();
            for (std::size_t i = 0; i < n; ++i) buf[i] = stream_byte(1, next + i);
            const std::size_t k = r.write_some(std::span<const byte>(buf.data(), n));
            REQUIRE(k == std::min(n, c - model.size()));
            for (std::size_t i = 0; i < k; ++i) model.push_back(static_cast<char>(buf[i]));
            next += k;
            break;
          }
          case 2: {  // try_write
            const std::size_t n = rand_len();
            for (std::size_t i = 0; i < n; ++i) buf[i] = stream_byte(1, next + i);
            const bool ok = r.try_write(std::span<const byte>(buf.data(), n));
            REQUIRE(ok == (n <= c - model.size()));
            if (ok) {
              for (std::size_t i = 0; i < n; ++i) model.push_back(static_cast<char>(buf[i]));
              next += n;
            }
            break;
          }
          case 3: {  // peek/consume part of it
            const std::size_t want = rng() % 4 == 0 ? electron::npos : rand_len();
            auto p = r.peek(want);
            REQUIRE(p.size() == std::min(want, model.size()));
            if (r.is_mirrored()) CHECK(p.second.empty());
            const std::string s = contents(p);
            REQUIRE(std::equal(s.begin(), s.end(), model.begin()));
            const std::size_t k = p.size() == 0 ? 0 : static_cast<std::size_t>(rng() % (p.size() + 1));
            r.consume(k);
            model.erase(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(k));
            break;
          }
          case 4: {  // read_some
            const std::size_t n = rand_len();
            const std::size_t k = r.read_some(std::span<byte>(buf.data(), n));
            REQUIRE(k == std::min(n, model.size()));
            for (std::size_t i = 0; i < k; ++i) {
              REQUIRE(static_cast<char>(buf[i]) == model.front());
              model.pop_front();
            }
            break;
          }
          default: {  // try_read
            const std::size_t n = rand_len();
            const bool ok = r.try_read(std::span<byte>(buf.data(), n));
            REQUIRE(ok == (n <= model.size()));
            if (ok) {
              for (std::size_t i = 0; i < n; ++i) {
                REQUIRE(static_cast<char>(buf[i]) == model.front());
                model.pop_front();
              }
            }
            break;
          }
        }
        REQUIRE(r.size() == model.size());
        REQUIRE(r.empty() == model.empty());
      }
    }
  }
}

TEST_CASE("ring_buffer: characters in and out", "[io][ring]") {
  eio::ring_buffer r(16);
  CHECK(r.write_some(std::string_view("hello, ")) == 7);
  CHECK(r.try_write(std::string("world")));
  char out[20] = {};
  CHECK(r.read_some(out) == 12);
  CHECK(std::string_view(out, 12) == "hello, world");
  std::string s(3, '\0');
  CHECK_FALSE(r.try_read(std::span<char>(s)));
}

TEST_CASE("ring_buffer: commit beyond prepare and consume beyond peek are precondition failures", "[io][ring]") {
#if ELECTRON_ASSERTS_ENABLED
  std::string err;
  auto st = electron_tests::run_in_child(
      [] {
        eio::ring_buffer r(8);
        static_cast<void>(r.prepare(2));
        r.commit(3);
      },
      &err);
  CHECK(st.signaled);
  CHECK(st.signal == SIGABRT);
  CHECK(err.find("more than prepared") != std::string::npos);
  // Free space the producer has not asked for is not its to commit.
  st = electron_tests::run_in_child([] {
    eio::ring_buffer r(8);
    r.commit(1);
  });
  CHECK(st.signaled);
  // Committed bytes are no longer prepared.
  st = electron_tests::run_in_child([] {
    eio::ring_buffer r(8);
    static_cast<void>(r.prepare(4));
    r.commit(4);
    r.commit(1);
  });
  CHECK(st.signaled);
  // A copying write ends the allowance (its bytes took the prepared space).
  st = electron_tests::run_in_child([] {
    eio::ring_buffer r(8);
    static_cast<void>(r.prepare(4));
    static_cast<void>(r.write_some(std::string_view("ab")));
    r.commit(1);
  });
  CHECK(st.signaled);
  st = electron_tests::run_in_child([] {
    eio::ring_buffer r(8);
    static_cast<void>(r.write_some(std::string_view("abcd")));
    static_cast<void>(r.peek(4));
    char c[1];
    static_cast<void>(r.read_some(c));
    r.consume(1);
  });
  CHECK(st.signaled);
  st = electron_tests::run_in_child(
      [] {
        eio::ring_buffer r(8);
        static_cast<void>(r.try_write(std::string_view("abc")));
        static_cast<void>(r.peek(2));
        r.consume(3);
      },
      &err);
  CHECK(st.signaled);
  CHECK(err.find("more than peeked") != std::string::npos);
  // The legal sequences do not abort.
  st = electron_tests::run_in_child([] {
    eio::ring_buffer r(8);
    static_cast<void>(r.prepare(4));
    r.commit(2);
    r.commit(2);
    static_cast<void>(r.peek());
    r.consume(1);
    r.consume(3);
  });
  CHECK_FALSE(st.signaled);
  CHECK(st.exit_code == 0);
#else
  SUCCEED("assertions are off in this build: the preconditions are not checked");
#endif
}

TEST_CASE("ring_buffer: mirrored mapping", "[io][ring]") {
#if defined(__linux__)
  std::unique_ptr<eio::ring_buffer> m;
  try {
    m = std::make_unique<eio::ring_buffer>(100, eio::ring_mapping::mirrored);
  } catch (const std::system_error& e) {
    // A kernel without memfd_create (before 3.17) or a sandbox that forbids it.
    WARN("mirrored mapping unavailable: " << e.what());
  }
  if (m) {
    eio::ring_buffer& r = *m;
    CHECK(r.is_mirrored());
    CHECK(r.capacity() >= 4096);
    CHECK((r.capacity() & (r.capacity() - 1)) == 0);
    // Walk the write position all around the ring: every span is one piece,
    // and the bytes written past the end are those read at the start.
    const std::size_t c = r.capacity();
    const std::size_t step = c / 3 + 1;
    std::uint64_t in = 0, out = 0;
    for (int round = 0; round < 12; ++round) {
      auto w = r.prepare(step);
      REQUIRE(w.size() == step);
      CHECK(w.second.empty());
      for (auto& b : w.first) b = stream_byte(7, in++);
      r.commit(step);
      auto p = r.peek();
      CHECK(p.second.empty());
      for (byte b : p.first) REQUIRE(b == stream_byte(7, out++));
      r.consume(p.size());
    }
    // Full ring from the middle: one span of capacity bytes.
    static_cast<void>(r.prepare(c / 2));
    r.commit(c / 2);
    r.consume(r.peek().size());
    auto all = r.prepare();
    CHECK(all.first.size() == c);
    CHECK(all.second.empty());
    all.first[c - 1] = 0x5a;  // past the end of the first copy ...
    r.commit(c);
    auto p = r.peek();
    CHECK(p.first.size() == c);
    CHECK(p.first[c - 1] == 0x5a);
  }
  // mirrored_if_available never throws for want of the mapping.
  eio::ring_buffer either(10, eio::ring_mapping::mirrored_if_available);
  CHECK(either.capacity() >= 16);
#else
  CHECK_THROWS_AS(eio::ring_buffer(64, eio::ring_mapping::mirrored), std::system_error);
  eio::ring_buffer r(64, eio::ring_mapping::mirrored_if_available);
  CHECK_FALSE(r.is_mirrored());
  CHECK(r.capacity() == 64);
#endif
}

namespace {

// One producer writes a pseudo-random stream in random chunk sizes (through
// prepare/commit and write_some/try_write in turn); the consumer reads it
// with random sizes (peek/consume, read_some, try_read) and checks every
// byte once, in order. A third thread reads size() meanwhile.
void conservation(std::size_t capacity, eio::ring_mapping mapping, std::uint64_t total, std::uint64_t seed) {
  eio::ring_buffer r(capacity, mapping);
  const std::size_t c = r.capacity();
  const std::size_t max_chunk = c + c / 2 + 2;
  std::atomic<bool> done{false};
  std::atomic<bool> size_ok{true};
  std::thread observer([&] {
    while (!done.load(std::memory_order_acquire)) {
      if (r.size() > c) size_ok.store(false);
      static_cast<void>(r.empty());
      std::this_thread::yield();
    }
  });
  std::thread producer([&] {
    std::mt19937_64 rng(seed);
    std::vector<byte> chunk(max_chunk);
    std::uint64_t i = 0;
    while (i < total) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(1 + rng() % max_chunk, total - i));
      switch (rng() % 3) {
        case 0: {
          auto w = r.prepare(n);
          if (w.empty()) {
            wait_a_little();
            break;
          }
          for (auto& b : w.first) b = stream_byte(seed, i++);
          for (auto& b : w.second) b = stream_byte(seed, i++);
          r.commit(w.size());
          break;
        }
        case 1: {
          for (std::size_t k = 0; k < n; ++k) chunk[k] = stream_byte(seed, i + k);
          const std::size_t k = r.write_some(std::span<const byte>(chunk.data(), n));
          if (k == 0) wait_a_little();
          i += k;
          break;
        }
        default: {
          const std::size_t m = std::min(n, c);
          for (std::size_t k = 0; k < m; ++k) chunk[k] = stream_byte(seed, i + k);
          if (r.try_write(std::span<const byte>(chunk.data(), m))) {
            i += m;
          } else {
            wait_a_little();
          }
          break;
        }
      }
    }
  });
  std::mt19937_64 rng(seed + 1);
  std::vector<byte> buf(max_chunk);
  std::uint64_t j = 0, bad = 0;
  while (j < total) {
    const std::size_t n = 1 + static_cast<std::size_t>(rng() % max_chunk);
    switch (rng() % 3) {
      case 0: {
        auto p = r.peek(n);
        if (p.empty()) {
          wait_a_little();
          break;
        }
        for (byte b : p.first) bad += b != stream_byte(seed, j++);
        for (byte b : p.second) bad += b != stream_byte(seed, j++);
        r.consume(p.size());
        break;
      }
      case 1: {
        const std::size_t k = r.read_some(std::span<byte>(buf.data(), n));
        if (k == 0) wait_a_little();
        for (std::size_t q = 0; q < k; ++q) bad += buf[q] != stream_byte(seed, j++);
        break;
      }
      default: {
        const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>({n, c, total - j}));
        if (r.try_read(std::span<byte>(buf.data(), m))) {
          for (std::size_t q = 0; q < m; ++q) bad += buf[q] != stream_byte(seed, j++);
        } else {
          wait_a_little();
        }
        break;
      }
    }
  }
  producer.join();
  done.store(true, std::memory_order_release);
  observer.join();
  CHECK(bad == 0);
  CHECK(j == total);
  CHECK(r.empty());
  CHECK(r.peek().empty());
  CHECK(size_ok.load());
}

}  // namespace

TEST_CASE("ring_buffer: one producer, one consumer: every byte once, in order", "[io][ring][threads]") {
  const auto scale = static_cast<std::uint64_t>(electron::test::stress_scale());
  for (std::size_t cap : {1U, 2U, 3U, 64U, 1000U, 65536U}) {
    CAPTURE(cap);
    // Tiny rings hand over a byte or two at a time: fewer bytes keep them fast.
    const std::uint64_t total = (cap < 64 ? 20'000 : 400'000) * scale;
    conservation(cap, eio::ring_mapping::plain, total, 100 + cap);
  }
  conservation(4096, eio::ring_mapping::mirrored_if_available, 400'000 * scale, 7);
}

TEST_CASE("ring_buffer: destroyed by the consumer right after the last byte", "[io][ring][threads]") {
  const int rounds = 200 * electron::test::stress_scale();
  for (int round = 0; round < rounds; ++round) {
    auto r = std::make_unique<eio::ring_buffer>(16);
    const std::size_t total = 1 + static_cast<std::size_t>(round % 40);
    std::thread producer([ptr = r.get(), total, round] {
      eio::ring_buffer& ring = *ptr;
      for (std::size_t i = 0; i < total;) {
        const auto w = ring.prepare(total - i);
        for (auto& b : w.first) b = stream_byte(static_cast<std::uint64_t>(round), i++);
        for (auto& b : w.second) b = stream_byte(static_cast<std::uint64_t>(round), i++);
        ring.commit(w.size());
        if (w.empty()) wait_a_little();
      }
    });
    std::size_t got = 0, bad = 0;
    while (got < total) {
      const auto p = r->peek();
      for (byte b : p.first) bad += b != stream_byte(static_cast<std::uint64_t>(round), got++);
      for (byte b : p.second) bad += b != stream_byte(static_cast<std::uint64_t>(round), got++);
      r->consume(p.size());
      if (p.empty()) wait_a_little();
    }
    r.reset();  // while the producer may still be returning from commit()
    producer.join();
    REQUIRE(bad == 0);
  }
}

TEST_CASE("ring_buffer: every length at every offset, copied in and out", "[io][ring]") {
  // The copies take an inline path for 8..64 bytes and memcpy otherwise, in
  // one or two pieces around the end: all of them, from every start.
  constexpr std::size_t cap = 128;
  std::vector<byte> in(cap), out(cap);
  std::uint64_t bad = 0;
  for (std::size_t offset = 0; offset < cap; ++offset) {
    for (std::size_t len = 0; len <= cap; ++len) {
      eio::ring_buffer r(cap);
      r.commit(0);
      static_cast<void>(r.prepare(offset));
      r.commit(offset);
      static_cast<void>(r.peek());
      r.consume(offset);
      for (std::size_t i = 0; i < len; ++i) in[i] = stream_byte(offset, len * cap + i);
      const bool copy_all = (offset + len) % 2 == 0;
      if (copy_all) {
        REQUIRE(r.try_write(std::span<const byte>(in.data(), len)));
      } else {
        REQUIRE(r.write_some(std::span<const byte>(in.data(), len)) == len);
      }
      std::fill(out.begin(), out.end(), byte{0});
      const std::size_t k = copy_all ? (r.try_read(std::span<byte>(out.data(), len)) ? len : 0)
                                     : r.read_some(std::span<byte>(out.data(), cap));
      REQUIRE(k == len);
      for (std::size_t i = 0; i < len; ++i) bad += in[i] != out[i];
      for (std::size_t i = len; i < cap; ++i) bad += out[i] != 0;  // nothing past the end
    }
  }
  CHECK(bad == 0);
}
