// SPDX-License-Identifier: MIT
// trace's contract cases, with the kit of electron/test.hpp
// (docs/contracts.md): a thread whose buffer cannot be allocated, buffer
// capacities at and beyond their limits, and attribute values of a user type
// with hostile operators. Every lost event is counted, none silently.
#include "electron/trace.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>

namespace et = electron::test;
namespace trace = electron::trace;

namespace {

static_assert(!std::is_copy_constructible_v<electron::trace::span> &&
              !std::is_move_constructible_v<electron::trace::span>);

// Converts to a string, and overloads unary & and the comma: an attribute
// taken with &value or (a, b) instead of std::addressof goes wrong.
struct hostile_text {
  std::string_view text;
  // NOLINTNEXTLINE(google-explicit-constructor): the point is the conversion
  operator std::string_view() const noexcept { return text; }
  const hostile_text* operator&() const noexcept { return nullptr; }  // NOLINT(google-runtime-operator)
  template <class U>
  int operator,(const U&) const noexcept {  // NOLINT(google-runtime-operator)
    return 0;
  }
};
static_assert(electron::trace::attr_value<hostile_text>);

struct counted {
  trace::drain_stats stats;
  std::uint64_t named = 0;  // events whose name is `name`
  std::string first_attr;   // the first such event's first attribute, as a string
};

counted drain_named(std::string_view name) {
  counted r;
  trace::collector c;
  r.stats = c.drain([&](const trace::thread_info&, const trace::event& e) {
    if (std::string_view(e.name) != name) return;
    if (r.named++ == 0 && e.attr_count > 0 && e.attrs[0].type == trace::attr_type::string) {
      r.first_attr = std::string(e.attrs[0].as_string());
    }
  });
  return r;
}

// Records `n` events of every kind on a new thread, the first of them under
// fail_nth_allocation(fail) when fail > 0.
void record_on_new_thread(const char* name, int n, std::int64_t fail) {
  std::thread t([&] {
    {
      std::optional<et::fail_nth_allocation> f;  // armed only when asked
      if (fail > 0) f.emplace(fail);
      trace::instant(name);
    }
    for (int i = 1; i < n; ++i) {
      switch (i % 3) {
        case 0: {
          trace::span s(name);
          s.attr("i", i);
          break;
        }
        case 1:
          trace::instant(name, "i", i);
          break;
        default:
          trace::counter(name, i);
          break;
      }
    }
  });
  t.join();
}

}  // namespace

TEST_CASE("contract: a thread whose buffer cannot be allocated counts each event it records",
          "[contract][alloc][trace]") {
  if (!et::allocation_failures_supported()) {
    WARN("skipped: allocation failures need the counting operator new without a sanitizer");
    return;
  }
  (void)drain_named("");  // start from empty buffers
  // 1: the thread's buffer header fails; 2: its event slots fail.
  for (const std::int64_t fail : {1, 2}) {
    INFO("failing allocation " << fail);
    record_on_new_thread("lost", 100, fail);
    const counted c = drain_named("lost");
    CHECK(c.named == 0);
    CHECK(c.stats.unbuffered_dropped == 100);
    CHECK(c.stats.dropped == 100);
  }
  // The next thread records normally, and its events are all there.
  record_on_new_thread("kept", 100, 0);
  const counted c = drain_named("kept");
  CHECK(c.named == 100);
  CHECK(c.stats.dropped == 0);
}

TEST_CASE("contract: buffer capacities beyond the limits are clamped, and overflow is counted exactly",
          "[contract][huge][trace]") {
  (void)drain_named("");
  for (const std::size_t asked : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    INFO("capacity asked " << asked);
    trace::set_buffer_capacity(asked);
    const std::size_t kept = asked <= 2 ? 2 : 4;
    record_on_new_thread("small", 10, 0);
    const counted c = drain_named("small");
    CHECK(c.named == kept);
    CHECK(c.stats.dropped == 10 - kept);
    CHECK(c.stats.unbuffered_dropped == 0);
  }
  if (et::allocation_failures_supported()) {
    // SIZE_MAX events: clamped to 2^24 (no overflow in the size), whose slots
    // are refused here rather than allocated: the events are counted.
    trace::set_buffer_capacity(std::numeric_limits<std::size_t>::max());
    record_on_new_thread("huge", 10, 2);
    const counted c = drain_named("huge");
    CHECK(c.named == 0);
    CHECK(c.stats.unbuffered_dropped == 10);
  }
  trace::set_buffer_capacity(8192);
}

TEST_CASE("contract: attribute values of a type with hostile operators", "[contract][addressof][trace]") {
  (void)drain_named("");
  const hostile_text value{"seen"};
  std::thread t([&] {
    trace::span s("hostile");
    s.attr("k", value);
    trace::instant("hostile", "k", value);
  });
  t.join();
  const counted c = drain_named("hostile");
  CHECK(c.named == 2);
  CHECK(c.first_attr == "seen");
}
