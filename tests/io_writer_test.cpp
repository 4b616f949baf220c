// SPDX-License-Identifier: MIT
// Tests for electron/io/writer.hpp: every output (FILE*, fd over a pipe and
// a file, std::string, builder, fixed and pooled buffers, and fakes that
// write partially, are interrupted, or fail), typed writes against a
// shift-built reference, varint against known LEB128 vectors, random write
// sequences against a std::string model, large writes bypassing the buffer,
// error stickiness, the destructor's flush, and no allocation after
// construction.
#include "electron/io/writer.hpp"

#include "electron/encoding/sink.hpp"
#include "electron/parse/format_float.hpp"
#include "electron/parse/int.hpp"
#include "electron/pool.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace eio = electron::io;
namespace enc = electron::encoding;
namespace et = electron::test;
namespace ep = electron::pool;

// ---------------------------------------------------------------------------
// Concepts and noexcept
// ---------------------------------------------------------------------------
namespace {
struct no_write {};
struct throwing_write {
  std::error_code write(std::span<const char>) { return {}; }  // not noexcept
};
}  // namespace

static_assert(eio::output<eio::file_output> && eio::output<eio::fd_output> && eio::output<eio::string_output>);
static_assert(eio::output<eio::builder_output<>> && eio::output<eio::builder_output<ep::sized_pool>>);
static_assert(eio::output<eio::fixed_output> && eio::output<eio::pooled_output<ep::buffer_pool>>);
static_assert(!eio::output<int> && !eio::output<no_write> && !eio::output<throwing_write> && !eio::output<std::string>);
static_assert(eio::flushable_output<eio::file_output> && !eio::flushable_output<eio::fd_output>);
static_assert(enc::contiguous_byte_sink<eio::writer<eio::fd_output>>);
static_assert(enc::byte_sink<eio::writer<eio::string_output>>);
static_assert(std::is_nothrow_destructible_v<eio::writer<eio::file_output>>);
static_assert(!std::is_copy_constructible_v<eio::writer<eio::fd_output>>);
static_assert(noexcept(std::declval<eio::writer<eio::fd_output>&>().u64_be(1)));
static_assert(noexcept(std::declval<eio::writer<eio::fd_output>&>().write(std::span<const char>())));
static_assert(noexcept(std::declval<eio::writer<eio::fd_output>&>().flush()));
static_assert(noexcept(std::declval<eio::writer<eio::fd_output>&>().varint(1)));
// A literal through write() would carry its NUL: refused; string() takes it.
template <class W>
concept writes_literal = requires(W& w) {
  w.write("abc");
};
static_assert(!writes_literal<eio::writer<eio::fd_output>>);
static_assert(requires(eio::writer<eio::fd_output> & w) { w.string("abc"); });

namespace {

// ---------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------

// The n low bytes of v, least significant first (or most, for big endian),
// built with shifts: independent of memcpy and of the host's byte order.
std::string ref_int(std::uint64_t v, std::size_t n, bool little) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<char>(static_cast<unsigned char>(v >> (8 * i)));
    s[little ? i : n - 1 - i] = b;
  }
  return s;
}
// Unsigned LEB128 as the protobuf encoding guide describes it.
std::string ref_varint(std::uint64_t v) {
  std::string s;
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    s += static_cast<char>(b);
  } while (v != 0);
  return s;
}
std::string hex(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string h;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (!h.empty()) h += ' ';
    h += digits[b >> 4];
    h += digits[b & 15];
  }
  return h;
}

// An output that records each call (pointer and bytes) and can fail from
// the n-th call on.
struct recording_output {
  struct call {
    const char* data;
    std::string bytes;
  };
  std::vector<call>* calls;
  std::size_t fail_from = std::numeric_limits<std::size_t>::max();
  std::error_code write(std::span<const char> b) noexcept {
    if (calls->size() >= fail_from) {
      calls->push_back({b.data(), "<failed>"});
      return std::make_error_code(std::errc::no_space_on_device);
    }
    calls->push_back({b.data(), std::string(b.data(), b.size())});
    return {};
  }
};
std::string joined(const std::vector<recording_output::call>& calls) {
  std::string s;
  for (const auto& c : calls) s += c.bytes;
  return s;
}

// A fake write() for basic_fd_output: takes a random 1..max_chunk bytes of
// each request, and is interrupted (EINTR) on some calls; can fail with a
// given errno after a number of bytes, or return 0.
struct fake_sys {
  static inline std::string taken;
  static inline std::mt19937_64 rng{1};
  static inline std::size_t max_chunk = 7;
  static inline int interrupt_one_in = 3;
  static inline std::size_t fail_after = std::numeric_limits<std::size_t>::max();
  static inline int fail_errno = ENOSPC;
  static inline bool return_zero = false;
  static inline std::size_t calls = 0;
  static inline std::size_t interrupts = 0;
  static void reset() {
    taken.clear();
    rng.seed(1);
    max_chunk = 7;
    interrupt_one_in = 3;
    fail_after = std::numeric_limits<std::size_t>::max();
    fail_errno = ENOSPC;
    return_zero = false;
    calls = 0;
    interrupts = 0;
  }
  static ::ssize_t write(int fd, const void* p, std::size_t n) noexcept {
    (void)fd;
    ++calls;
    if (return_zero) return 0;
    if (interrupt_one_in != 0 && rng() % static_cast<unsigned>(interrupt_one_in) == 0) {
      ++interrupts;
      errno = EINTR;
      return -1;
    }
    if (taken.size() >= fail_after) {
      errno = fail_errno;
      return -1;
    }
    std::size_t k = 1 + static_cast<std::size_t>(rng() % max_chunk);
    if (k > n) k = n;
    if (taken.size() + k > fail_after) k = fail_after - taken.size();
    taken.append(static_cast<const char*>(p), k);
    return static_cast<::ssize_t>(k);
  }
};
using fake_fd_output = eio::basic_fd_output<fake_sys>;

std::string read_all_fd(int fd) {
  std::string s;
  char buf[4096];
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  for (;;) {
    const ::ssize_t r = ::read(fd, buf, sizeof buf);
    REQUIRE(r >= 0);
    if (r == 0) break;
    s.append(buf, static_cast<std::size_t>(r));
  }
  return s;
}
std::string read_all_file(std::FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  std::size_t r;
  while ((r = std::fread(buf, 1, sizeof buf, f)) != 0) s.append(buf, r);
  return s;
}

// One random operation on a writer, mirrored on the model string.
template <class W>
void random_op(W& w, std::string& model, std::mt19937_64& rng, const std::string& text) {
  const auto pick = rng() % 16;
  const std::uint64_t v = rng() >> (rng() % 64);
  switch (pick) {
    case 0:
    case 1:
    case 2: {  // a short string
      const std::size_t n = rng() % 65;
      const std::size_t at = rng() % (text.size() - n);
      w.string(std::string_view(text).substr(at, n));
      model.append(text, at, n);
      break;
    }
    case 3: {  // a long one, possibly above the capacity
      const std::size_t n = rng() % 3000;
      const std::size_t at = rng() % (text.size() - n);
      w.write(std::span<const char>(text.data() + at, n));
      model.append(text, at, n);
      break;
    }
    case 4:
      w.u8(static_cast<std::uint8_t>(v));
      model += ref_int(v, 1, true);
      break;
    case 5:
      w.u16_be(static_cast<std::uint16_t>(v));
      model += ref_int(v, 2, false);
      break;
    case 6:
      w.u32_le(static_cast<std::uint32_t>(v));
      model += ref_int(v, 4, true);
      break;
    case 7:
      w.u64_be(v);
      model += ref_int(v, 8, false);
      break;
    case 8:
      w.i64_le(static_cast<std::int64_t>(v));
      model += ref_int(v, 8, true);
      break;
    case 9:
    case 10:
      w.varint(v);
      model += ref_varint(v);
      break;
    case 11: {
      const auto s = static_cast<std::int64_t>(v);
      w.zigzag(s);
      model += ref_varint(s >= 0 ? 2 * v : 2 * ~v + 1);
      break;
    }
    case 12: {  // prepare/commit, sometimes above the capacity
      const std::size_t n = rng() % (rng() % 8 == 0 ? 5000 : 100);
      char* p = enc::sink_prepare(w, n);
      const std::size_t k = n == 0 ? 0 : rng() % (n + 1);
      const std::size_t at = rng() % (text.size() - k);
      if (k != 0) std::memcpy(p, text.data() + at, k);
      enc::sink_commit(w, k);
      model.append(text, at, k);
      break;
    }
    case 13:
      if (rng() % 4 == 0) REQUIRE(!w.flush());
      break;
    case 14:
      w.f64_be(std::bit_cast<double>(v));
      model += ref_int(v, 8, false);
      break;
    default:
      w.i16_le(static_cast<std::int16_t>(v));
      model += ref_int(v, 2, true);
      break;
  }
}

std::string random_text(std::size_t n) {
  std::mt19937_64 rng(7);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// Typed writes
// ---------------------------------------------------------------------------
TEST_CASE("io::writer typed writes match the byte-order reference", "[io][writer]") {
  std::mt19937_64 rng(42);
  std::vector<std::uint64_t> values = {0, 1, 0x80, 0xff, 0x100, 0x0102030405060708ull, ~0ull, 1ull << 63};
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  for (std::uint64_t v : values) {
    std::string out;
    {
      eio::writer w(eio::string_output(out), 64);
      w.u8(static_cast<std::uint8_t>(v));
      w.i8(static_cast<std::int8_t>(v));
      w.u16_le(static_cast<std::uint16_t>(v));
      w.u16_be(static_cast<std::uint16_t>(v));
      w.u32_le(static_cast<std::uint32_t>(v));
      w.u32_be(static_cast<std::uint32_t>(v));
      w.u64_le(v);
      w.u64_be(v);
      w.i16_le(static_cast<std::int16_t>(v));
      w.i16_be(static_cast<std::int16_t>(v));
      w.i32_le(static_cast<std::int32_t>(v));
      w.i32_be(static_cast<std::int32_t>(v));
      w.i64_le(static_cast<std::int64_t>(v));
      w.i64_be(static_cast<std::int64_t>(v));
      w.f32_le(std::bit_cast<float>(static_cast<std::uint32_t>(v)));
      w.f32_be(std::bit_cast<float>(static_cast<std::uint32_t>(v)));
      w.f64_le(std::bit_cast<double>(v));
      w.f64_be(std::bit_cast<double>(v));
      REQUIRE(!w.flush());
    }
    std::string ref;
    static constexpr std::pair<std::size_t, bool> layout[] = {
        {1, true},  {1, true}, {2, true},  {2, false}, {4, true},  {4, false}, {8, true},  {8, false}, {2, true},
        {2, false}, {4, true}, {4, false}, {8, true},  {8, false}, {4, true},  {4, false}, {8, true},  {8, false}};
    for (auto [n, little] : layout) ref += ref_int(v, n, little);
    INFO(v);
    REQUIRE(hex(out) == hex(ref));
    // The same through memcpy and a byte reversal.
    std::uint64_t le = 0;
    std::memcpy(&le, out.data() + 14, 8);
    if constexpr (std::endian::native == std::endian::little) REQUIRE(le == v);
  }
}

TEST_CASE("io::writer f32/f64 keep the bits, NaN payloads and signs included", "[io][writer]") {
  const double dvals[] = {0.0,
                          -0.0,
                          1.5,
                          -2.25,
                          std::numeric_limits<double>::infinity(),
                          std::numeric_limits<double>::denorm_min(),
                          std::bit_cast<double>(0x7ff8000000000123ull)};
  for (double d : dvals) {
    std::string out;
    eio::writer w(eio::string_output(out), 16);
    w.f64_le(d);
    w.f64_be(d);
    w.f32_le(static_cast<float>(d));
    w.f32_be(static_cast<float>(d));
    REQUIRE(!w.flush());
    const auto bits = std::bit_cast<std::uint64_t>(d);
    const auto fbits = std::bit_cast<std::uint32_t>(static_cast<float>(d));
    REQUIRE(out ==
            ref_int(bits, 8, true) + ref_int(bits, 8, false) + ref_int(fbits, 4, true) + ref_int(fbits, 4, false));
  }
}

TEST_CASE("io::writer varint and zigzag write the known LEB128 vectors", "[io][writer][varint]") {
  struct vec {
    std::uint64_t v;
    std::string_view hex;
  };
  // Protobuf encoding guide (150 -> 96 01, 300 -> AC 02) and the edges.
  const vec vectors[] = {{0, "00"},
                         {1, "01"},
                         {127, "7F"},
                         {128, "80 01"},
                         {150, "96 01"},
                         {300, "AC 02"},
                         {16383, "FF 7F"},
                         {16384, "80 80 01"},
                         {(1ull << 32) - 1, "FF FF FF FF 0F"},
                         {1ull << 63, "80 80 80 80 80 80 80 80 80 01"},
                         {~0ull, "FF FF FF FF FF FF FF FF FF 01"}};
  for (const auto& t : vectors) {
    for (std::size_t cap : {0u, 1u, 3u, 10u, 64u}) {
      std::string out;
      {
        eio::writer w(eio::string_output(out), cap);
        w.u8(0xEE);  // offsets the varint so it straddles small buffers
        w.varint(t.v);
      }
      INFO(t.v << " capacity " << cap);
      REQUIRE(hex(out) == "EE " + std::string(t.hex));
    }
  }
  // Zigzag as protobuf's sint64: 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, ...
  struct zvec {
    std::int64_t v;
    std::string_view hex;
  };
  const zvec zvectors[] = {{0, "00"},
                           {-1, "01"},
                           {1, "02"},
                           {-2, "03"},
                           {2147483647, "FE FF FF FF 0F"},
                           {-2147483648LL, "FF FF FF FF 0F"},
                           {std::numeric_limits<std::int64_t>::max(), "FE FF FF FF FF FF FF FF FF 01"},
                           {std::numeric_limits<std::int64_t>::min(), "FF FF FF FF FF FF FF FF FF 01"}};
  for (const auto& t : zvectors) {
    std::string out;
    {
      eio::writer w(eio::string_output(out), 16);
      w.zigzag(t.v);
    }
    INFO(t.v);
    REQUIRE(hex(out) == t.hex);
  }
  std::mt19937_64 rng(3);
  std::string out, ref;
  {
    eio::writer w(eio::string_output(out), 37);
    for (int i = 0; i < 20000; ++i) {
      const std::uint64_t v = rng() >> (rng() % 64);
      w.varint(v);
      ref += ref_varint(v);
    }
  }
  REQUIRE(out == ref);
}

// ---------------------------------------------------------------------------
// Random sequences against a model, over every output
// ---------------------------------------------------------------------------
TEST_CASE("io::writer random write sequences equal a std::string model", "[io][writer][random]") {
  const std::string text = random_text(8192);
  for (std::size_t cap : {0u, 1u, 2u, 7u, 10u, 16u, 64u, 1000u, 4096u}) {
    std::mt19937_64 rng(cap + 1);
    INFO("capacity " << cap);
    SECTION("string_output") {
      std::string out, model;
      {
        eio::writer w(eio::string_output(out), cap);
        for (int i = 0; i < 3000; ++i) random_op(w, model, rng, text);
        REQUIRE(!w.flush());
        REQUIRE(w.buffered() == 0);
      }
      REQUIRE(out == model);
    }
    SECTION("builder_output over a sized_pool, in a caller's span") {
      ep::sized_pool pool;
      electron::strings::basic_builder<ep::sized_pool> b(pool);
      std::vector<char> storage(cap);
      std::string model;
      {
        eio::writer w{eio::builder_output<ep::sized_pool>(b), std::span<char>(storage)};
        for (int i = 0; i < 3000; ++i) random_op(w, model, rng, text);
      }
      REQUIRE(b.view() == model);
    }
    SECTION("fd_output over a temporary file") {
      std::FILE* f = std::tmpfile();
      REQUIRE(f != nullptr);
      std::string model;
      {
        eio::writer w(eio::fd_output(::fileno(f)), cap);
        for (int i = 0; i < 3000; ++i) random_op(w, model, rng, text);
        REQUIRE(!w.flush());
      }
      REQUIRE(read_all_fd(::fileno(f)) == model);
      std::fclose(f);
    }
    SECTION("file_output over tmpfile()") {
      std::FILE* f = std::tmpfile();
      REQUIRE(f != nullptr);
      std::string model;
      {
        eio::writer w(eio::file_output(f), cap);
        for (int i = 0; i < 3000; ++i) random_op(w, model, rng, text);
        REQUIRE(!w.flush());
      }
      REQUIRE(read_all_file(f) == model);
      std::fclose(f);
    }
    SECTION("fd_output through a fake write() that is partial and interrupted") {
      fake_sys::reset();
      std::string model;
      {
        fake_fd_output o(5);
        REQUIRE(o.fd() == 5);
        eio::writer w(o, cap);
        for (int i = 0; i < 1000; ++i) random_op(w, model, rng, text);
        REQUIRE(!w.flush());
      }
      REQUIRE(fake_sys::taken == model);
      REQUIRE(fake_sys::interrupts > 0);
    }
    SECTION("fixed_output large enough, then pooled_output") {
      std::vector<char> big(1 << 22);
      std::string model;
      {
        eio::writer w(eio::fixed_output(std::span<char>(big)), cap);
        for (int i = 0; i < 1000; ++i) random_op(w, model, rng, text);
        REQUIRE(!w.flush());
        REQUIRE(w.output().view() == model);
      }
      ep::buffer_pool pool;
      std::string model2;
      eio::writer w2(eio::pooled_output<ep::buffer_pool>(pool, 1 << 22), cap);
      for (int i = 0; i < 1000; ++i) random_op(w2, model2, rng, text);
      REQUIRE(!w2.flush());
      REQUIRE(w2.output().view() == model2);
    }
  }
}

TEST_CASE("io::writer random sequences from fuzz bytes equal the model", "[io][writer][fuzz]") {
  const std::string text = random_text(8192);
  auto prop = [&](std::span<const std::byte> in) -> bool {
    std::uint64_t seed = 0;
    for (std::byte b : in) seed = seed * 131 + static_cast<std::uint64_t>(b);
    std::mt19937_64 rng(seed);
    const std::size_t cap = in.empty() ? 0 : static_cast<std::size_t>(in[0]);
    std::string out, model;
    {
      eio::writer w(eio::string_output(out), cap);
      for (std::size_t i = 0; i < in.size() && i < 64; ++i) random_op(w, model, rng, text);
    }
    return out == model;
  };
  CHECK(et::fuzz_bytes(prop));
}

// ---------------------------------------------------------------------------
// Short copies never read past the source
// ---------------------------------------------------------------------------
TEST_CASE("io::writer short writes read only their bytes (a guard page after them)", "[io][writer]") {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void* map = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(map != MAP_FAILED);
  char* base = static_cast<char*>(map);
  for (std::size_t i = 0; i < page; ++i) base[i] = static_cast<char>(i * 7 + 1);
  REQUIRE(::mprotect(base + page, page, PROT_NONE) == 0);  // reading past the first page faults
  for (std::size_t n = 0; n <= 64; ++n) {
    const char* src = base + page - n;
    for (int path = 0; path < 2; ++path) {
      std::array<char, 64> dst{};
      if (path == 0) {
        eio::detail::copy_short(dst.data(), src, n);
      } else {
        eio::detail::copy_short_scalar(dst.data(), src, n);
      }
      INFO("n " << n << " path " << path);
      REQUIRE(std::string_view(dst.data(), n) == std::string_view(src, n));
    }
    std::string out;
    {
      eio::writer w(eio::string_output(out), 256);
      w.u8(0);  // every alignment of the destination too
      for (std::size_t k = 0; k < 70; ++k) w.string(std::string_view(src + (k % (n + 1)), n - k % (n + 1)));
    }
    std::string ref(1, '\0');
    for (std::size_t k = 0; k < 70; ++k) ref.append(src + (k % (n + 1)), n - k % (n + 1));
    REQUIRE(out == ref);
  }
  ::munmap(map, 2 * page);
}

// ---------------------------------------------------------------------------
// Large writes bypass the buffer; small ones fill it
// ---------------------------------------------------------------------------
TEST_CASE("io::writer hands large writes to the output without copying them", "[io][writer]") {
  std::vector<recording_output::call> calls;
  const std::string big(1000, 'x');
  const std::string text = random_text(200);
  {
    eio::writer w(recording_output{&calls}, 64);
    w.string(std::string_view(text).substr(0, 10));
    REQUIRE(calls.empty());
    w.string(big);  // flushes the 10 buffered bytes, then big in one call
    REQUIRE(calls.size() == 2);
    REQUIRE(calls[0].bytes == text.substr(0, 10));
    REQUIRE(calls[1].data == big.data());
    REQUIRE(calls[1].bytes == big);
    // Exactly capacity() bytes into the empty buffer: it fits, so it is copied.
    w.string(std::string_view(text).substr(0, 64));
    REQUIRE(calls.size() == 2);
    REQUIRE(w.buffered() == 64);
    // The next write finds the buffer full: it is handed over whole.
    w.string(std::string_view(text).substr(0, 50));
    REQUIRE(calls.size() == 3);
    REQUIRE(calls[2].bytes == text.substr(0, 64));
    REQUIRE(calls[2].data != text.data());
    // Shorter than the free room allows: topped up, handed over full, rest kept.
    w.string(std::string_view(text).substr(50, 20));
    REQUIRE(calls.size() == 4);
    REQUIRE(calls[3].bytes == text.substr(0, 64));
    REQUIRE(w.buffered() == 6);
    w.u32_le(1);
    REQUIRE(w.buffered() == 10);
    REQUIRE(!w.flush());
    REQUIRE(calls.size() == 5);
    REQUIRE(!w.flush());  // nothing buffered: no empty call
    REQUIRE(calls.size() == 5);
  }
  REQUIRE(calls.size() == 5);  // the destructor had nothing left
  REQUIRE(joined(calls) ==
          text.substr(0, 10) + big + text.substr(0, 64) + text.substr(0, 70) + std::string("\x01\0\0\0", 4));
}

TEST_CASE("io::writer prepare/commit write in place; above the capacity the buffer grows", "[io][writer]") {
  std::vector<recording_output::call> calls;
  std::array<char, 32> storage{};
  eio::writer w(recording_output{&calls}, std::span<char>(storage));
  char* p = w.prepare(5);
  REQUIRE(p == storage.data());
  std::memcpy(p, "hello", 5);
  w.commit(3);
  REQUIRE(w.buffered() == 3);
  p = w.prepare(30);  // 3 + 30 > 32: the 3 bytes go out first
  REQUIRE(calls.size() == 1);
  REQUIRE(calls[0].bytes == "hel");
  REQUIRE(p == storage.data());
  w.commit(0);
  p = w.prepare(100);  // above the capacity: a heap buffer of 100
  REQUIRE(p != storage.data());
  REQUIRE(w.capacity() >= 100);
  std::memset(p, 'z', 100);
  w.commit(100);
  REQUIRE(!w.flush());
  REQUIRE(joined(calls) == "hel" + std::string(100, 'z'));
  // json_writer's way in: the generic sink helpers.
  enc::sink_append(w, "ab");
  char* q = enc::sink_prepare(w, 2);
  q[0] = 'c';
  enc::sink_commit(w, 1);
  REQUIRE(!w.flush());
  REQUIRE(joined(calls).substr(103) == "abc");
}

TEST_CASE("io::writer takes text from the parse formatters (a text_sink)", "[io][writer]") {
  static_assert(electron::parse::text_sink<eio::writer<eio::fd_output>>);
  std::string out;
  {
    eio::writer w(eio::string_output(out), 8);
    electron::parse::append_int(w, -1234567);
    w.string(",");
    electron::parse::append_float(w, 0.1);
    w.string(",");
    electron::parse::append_int(w, 255, 16);
  }
  REQUIRE(out == "-1234567,0.1,ff");
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------
TEST_CASE("io::writer errors are kept, sticky, and drop later writes", "[io][writer][errors]") {
  std::vector<recording_output::call> calls;
  eio::writer w(recording_output{&calls, 1}, 16);  // the second call fails
  w.string("0123456789abcdef");                    // fills the buffer
  REQUIRE(w.ok());
  w.string("xy");  // call 1 takes the full buffer
  REQUIRE(w.ok());
  REQUIRE(w.flush() == std::errc::no_space_on_device);  // call 2 fails
  REQUIRE(w.error() == std::errc::no_space_on_device);
  REQUIRE(calls.size() == 2);
  // Sticky: nothing more reaches the output, the error stays.
  for (int i = 0; i < 100; ++i) {
    w.u64_le(1);
    w.varint(300);
    w.string(std::string(40, 'q'));
    char* p = w.prepare(8);
    std::memset(p, 0, 8);
    w.commit(8);
  }
  REQUIRE(w.flush() == std::errc::no_space_on_device);
  REQUIRE(calls.size() == 2);
  REQUIRE(!w.ok());
  w.clear_error();
  REQUIRE(w.ok());
  w.string("z");
  REQUIRE(w.flush() == std::errc::no_space_on_device);  // the output still fails
  REQUIRE(calls.size() == 3);
}

TEST_CASE("io::fd_output retries EINTR, continues partial writes, keeps errno", "[io][writer][errors]") {
  const std::string text = random_text(5000);
  SECTION("partial and interrupted") {
    fake_sys::reset();
    fake_sys::interrupt_one_in = 2;
    fake_sys::max_chunk = 3;
    {
      eio::writer w(fake_fd_output(3), 0);
      w.string(text);
      REQUIRE(w.ok());
    }
    REQUIRE(fake_sys::taken == text);
    REQUIRE(fake_sys::interrupts > 100);
  }
  SECTION("a failure after some bytes") {
    fake_sys::reset();
    fake_sys::fail_after = 1234;
    fake_sys::fail_errno = EPIPE;
    eio::writer w(fake_fd_output(3), 100);
    w.string(text);
    REQUIRE(w.error() == std::errc::broken_pipe);
    REQUIRE(fake_sys::taken == text.substr(0, 1234));
    const std::size_t calls = fake_sys::calls;
    w.string(text);
    w.u8(1);
    REQUIRE(w.flush() == std::errc::broken_pipe);
    REQUIRE(fake_sys::calls == calls);  // dropped without calling write()
  }
  SECTION("write() returning 0 is EIO, not a loop") {
    fake_sys::reset();
    fake_sys::return_zero = true;
    eio::writer w(fake_fd_output(3), 8);
    w.string("abc");
    REQUIRE(w.flush() == std::errc::io_error);
    REQUIRE(fake_sys::calls == 1);
  }
}

TEST_CASE("io::fd_output and file_output report real errors", "[io][writer][errors]") {
  SECTION("fd open for reading only: EBADF") {
    const int fd = ::open("/dev/null", O_RDONLY);
    REQUIRE(fd >= 0);
    {
      eio::writer w(eio::fd_output(fd), 8);
      w.string("abc");
      REQUIRE(w.flush() == std::errc::bad_file_descriptor);
      w.string("more");
      REQUIRE(w.error() == std::errc::bad_file_descriptor);
    }  // the destructor's flush does not throw and does not retry
    ::close(fd);
  }
  SECTION("FILE* open for reading only") {
    std::FILE* f = std::fopen("/dev/null", "r");
    REQUIRE(f != nullptr);
    {
      eio::writer w(eio::file_output(f), 8);
      w.string("0123456789");
      REQUIRE(w.error());
      REQUIRE(w.flush());
    }
    std::fclose(f);
  }
  SECTION("a full fixed_output, then cleared") {
    std::array<char, 10> small{};
    eio::writer w(eio::fixed_output(std::span<char>(small)), 4);
    w.string("0123456789abcdef");
    REQUIRE(w.flush() == std::errc::no_buffer_space);
    REQUIRE(w.output().view() == "0123456789");
    REQUIRE(w.output().capacity() == 10);
    w.output().clear();
    w.clear_error();
    w.string("xyz");
    REQUIRE(!w.flush());
    REQUIRE(w.output().view() == "xyz");
  }
  SECTION("a full pooled_output gives its buffer back") {
    ep::buffer_pool pool;
    {
      eio::writer w(eio::pooled_output<ep::buffer_pool>(pool, 100), 16);
      const std::size_t cap = w.output().capacity();
      REQUIRE(cap >= 100);
      w.string(std::string(cap + 1, 'p'));
      REQUIRE(w.error() == std::errc::no_buffer_space);
      REQUIRE(w.output().view() == std::string(cap, 'p'));
    }
  }
#if ELECTRON_HAS_EXCEPTIONS
  SECTION("a sink whose append throws") {
    struct throwing_sink {
      int what = 0;
      void append(std::string_view) {
        if (what == 0) throw std::bad_alloc();
        if (what == 1) throw std::length_error("long");
        throw std::runtime_error("other");
      }
    };
    for (int what : {0, 1, 2}) {
      throwing_sink s{what};
      eio::writer w(eio::sink_output<throwing_sink>(s), 4);
      w.string("abcdef");
      const std::errc expected = what == 0   ? std::errc::not_enough_memory
                                 : what == 1 ? std::errc::value_too_large
                                             : std::errc::io_error;
      REQUIRE(w.error() == expected);
    }
  }
#endif
}

// ---------------------------------------------------------------------------
// Real descriptors, destruction, allocation
// ---------------------------------------------------------------------------
TEST_CASE("io::fd_output over a pipe", "[io][writer]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string text = random_text(3000);  // below the pipe's capacity
  {
    eio::writer w(eio::fd_output(fds[1]), 256);
    w.string(text);
    w.u32_be(0xdeadbeef);
    w.varint(300);
  }
  ::close(fds[1]);
  std::string got;
  char buf[1024];
  ::ssize_t r;
  while ((r = ::read(fds[0], buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(r));
  ::close(fds[0]);
  REQUIRE(got == text + "\xde\xad\xbe\xef\xac\x02");
}

TEST_CASE("io::writer flushes on destruction; file_output's flush reaches the FILE", "[io][writer]") {
  std::string out;
  {
    eio::writer w{eio::string_output(out)};
    w.string("kept");
    REQUIRE(out.empty());
  }
  REQUIRE(out == "kept");
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    eio::writer w(eio::file_output(f), 1024);
    w.string("abc");
    REQUIRE(!w.flush());
    // fflush ran: the bytes are in the file, visible through the fd.
    char buf[8] = {};
    REQUIRE(::pread(::fileno(f), buf, sizeof buf, 0) == 3);
    REQUIRE(std::string_view(buf, 3) == "abc");
    w.string("def");
  }
  REQUIRE(read_all_file(f) == "abcdef");
  std::fclose(f);
}

TEST_CASE("io::writer allocates nothing after construction over fd and FILE outputs", "[io][writer][alloc]") {
  const int fd = ::open("/dev/null", O_WRONLY);
  REQUIRE(fd >= 0);
  std::FILE* f = std::fopen("/dev/null", "w");
  REQUIRE(f != nullptr);
  std::fputs("warm", f);  // stdio allocates its own buffer on first use
  std::fflush(f);
  const std::string text = random_text(5000);
  {
    eio::writer wfd(eio::fd_output(fd), 4096);
    eio::writer wf(eio::file_output(f), 4096);
    std::array<char, 512> storage{};
    std::array<std::error_code, 3> errors{};
    CHECK(et::check_no_alloc([&] {
      eio::writer ws{eio::fd_output(fd), std::span<char>(storage)};  // caller's storage: none at all
      for (int i = 0; i < 2000; ++i) {
        const auto n = static_cast<std::size_t>(i) % 5000;
        wfd.string(std::string_view(text).substr(0, n));
        wfd.u64_be(static_cast<std::uint64_t>(i));
        wfd.varint(static_cast<std::uint64_t>(i) * 977);
        wf.string(std::string_view(text).substr(0, n));
        wf.zigzag(-i);
        ws.string(std::string_view(text).substr(0, n % 700));
        ws.f64_le(1.5);
        char* p = wfd.prepare(64);
        p[0] = 'x';
        wfd.commit(1);
      }
      errors[0] = wfd.flush();
      errors[1] = wf.flush();
      errors[2] = ws.flush();
    }));
    for (const auto& e : errors) REQUIRE(!e);
  }
  std::fclose(f);
  ::close(fd);
}
