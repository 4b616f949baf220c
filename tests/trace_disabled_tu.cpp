// SPDX-License-Identifier: MIT
// A TU built with ELECTRON_TRACE_DISABLED, linked with trace_test.cpp (built
// without it): every recording call must vanish, and the two definitions of
// trace::span must coexist (different inline namespaces, no ODR clash).
#define ELECTRON_TRACE_DISABLED 1
#include "electron/trace.hpp"

#include <cstddef>
#include <type_traits>

namespace trace = electron::trace;

static_assert(std::is_empty_v<trace::span>);
static_assert(sizeof(trace::span) == 1);

namespace trace_test_disabled {

// Records what trace_test's model would record with tracing on: 3 spans
// (one with an attribute and a child), an instant and a counter. Returns
// sizeof(span).
std::size_t record_some() {
  trace::span s("disabled.outer");
  s.attr("n", 1);
  {
    trace::span c = s.child("disabled.child");
    c.attr("s", "text");
  }
  { trace::span inner("disabled.inner"); }
  trace::instant("disabled.instant");
  trace::counter("disabled.counter", 3);
  return sizeof(trace::span) + (s.active() ? 100 : 0);
}

}  // namespace trace_test_disabled
