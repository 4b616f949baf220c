// SPDX-License-Identifier: MIT
// encoding's contract cases: json_writer and the varint encoders tried with
// the kit of electron/test.hpp (sinks whose allocation fails, sinks that
// overload operator&, sizes near SIZE_MAX). docs/contracts.md lists them.
#include "electron/encoding.hpp"
#include "electron/io.hpp"
#include "electron/pool.hpp"
#include "electron/strings.hpp"
#include "electron/test.hpp"

#include "electron_catch.hpp"

#include <cstddef>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

namespace et = electron::test;
namespace ep = electron::pool;
namespace es = electron::strings;
namespace eio = electron::io;
namespace enc = electron::encoding;

namespace {
// One small document through json_writer<S>: objects, arrays, escapes, numbers, bytes.
template <class W>
void write_document(W& w) {
  w.begin_object();
  w.write("id", 42);
  w.write("name", "caf\xc3\xa9 \"q\"\n");
  w.key("values");
  w.begin_array();
  for (int i = 0; i < 200; ++i) w.number(i * 0.25);
  w.end_array();
  w.key("blob");
  w.bytes(std::string_view("\x00\x01\x02 binary"));
  w.end_object();
}
using failing_string = std::basic_string<char, std::char_traits<char>, et::failing_allocator<char>>;

// A sink whose unary operator& and operator, are hostile: the writer must
// reach it through std::addressof.
struct hostile_sink {
  std::string text;
  void append(std::string_view s) { text.append(s); }
  hostile_sink* operator&() noexcept { return nullptr; }
  const hostile_sink* operator&() const noexcept { return nullptr; }
  template <class U>
  et::useless operator,(U&&) const noexcept {
    return {};
  }
};
}  // namespace

TEST_CASE("contract: json_writer over a sink whose allocation fails passes bad_alloc through and leaves a prefix",
          "[contract][alloc][json_writer]") {
  std::string expected;
  {
    enc::json_writer<std::string> w(expected);
    write_document(w);
    REQUIRE(w.finish() == enc::json_error::none);
  }
  et::allocation_control ctl;
  {
    failing_string out{et::failing_allocator<char>(ctl)};
    const auto op = [&] {
      out.clear();
      out.shrink_to_fit();
      enc::json_writer<failing_string> w(out, {});
      write_document(w);
      (void)w.finish();
    };
    // After any failure the sink holds a prefix of the document, never other bytes.
    CHECK(et::check_allocation_failures(ctl, op, [&] {
      return std::string_view(out.data(), out.size()) == std::string_view(expected).substr(0, out.size());
    }));
    CHECK(std::string_view(out.data(), out.size()) == expected);
  }
  CHECK(ctl.live() == 0);  // every buffer the sink took, given back

  // A contiguous sink: a builder whose buffer source fails.
  et::failing_resource r;
  ep::buffer_pool pool({}, &r);
  es::basic_builder<ep::buffer_pool> b(pool, 16);
  CHECK(et::check_allocation_failures(
      r.control(),
      [&] {
        b.clear();
        enc::json_writer<es::basic_builder<ep::buffer_pool>> w(b);
        write_document(w);
        (void)w.finish();
      },
      [&] { return b.view() == std::string_view(expected).substr(0, b.size()); }));
  CHECK(b.view() == expected);
}

TEST_CASE("contract: json_writer, append_varint and io::writer reach a sink that overloads operator&",
          "[contract][addressof][encoding]") {
  hostile_sink sink;
  {
    enc::json_writer<hostile_sink> w(sink);
    write_document(w);
    CHECK(w.finish() == enc::json_error::none);
  }
  std::string expected;
  {
    enc::json_writer<std::string> w(expected);
    write_document(w);
    (void)w.finish();
  }
  CHECK(sink.text == expected);
  hostile_sink v;
  enc::append_varint(v, 300);
  enc::append_zigzag(v, -1);
  CHECK(v.text == "\xac\x02\x01");
  hostile_sink w_out;
  {
    eio::writer<eio::sink_output<hostile_sink>> w(eio::sink_output<hostile_sink>(w_out), 64);
    w.u16_le(0x4142);
    w.varint(300);
    CHECK(!w.flush());
  }
  CHECK(w_out.text == "BA\xac\x02");
}

TEST_CASE("contract: encoders refuse sizes near SIZE_MAX before writing anything", "[contract][huge][encoding]") {
  et::failing_resource r;
  {
    ep::buffer_pool pool({}, &r);
    es::basic_builder<ep::buffer_pool> b(pool, 16);
    b.append("kept");
    for (const std::size_t n : et::huge_sizes(64)) {
      CHECK_THROWS_AS((void)enc::sink_prepare(b, n), std::length_error);
      CHECK(b.view() == "kept");
    }
    // A json_writer whose contiguous sink refuses the room it asks for
    // leaves the sink as it was.
    enc::json_writer<es::basic_builder<ep::buffer_pool>> w(b);
    r.control().fail_above(0);
    CHECK_THROWS_AS(w.begin_array(), std::bad_alloc);
    r.control().disarm();
    CHECK(b.view() == "kept");
  }
  CHECK(r.control().live() == 0);
  // Decoding a varint from a huge claimed length reads only what is there.
  const char one[] = {'\x80'};
  const auto d = enc::decode_varint(std::string_view(one, 1));
  CHECK(d.error == enc::varint_error::truncated);
  eio::reader rd(
      std::string_view("\x05"
                       "ab"));
  CHECK(rd.string(static_cast<std::size_t>(-1)).empty());
  CHECK((!rd.ok() && rd.error_offset() == 0));
}
