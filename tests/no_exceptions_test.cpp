// SPDX-License-Identifier: MIT
// Built with -fno-exceptions -fno-rtti: what throws in a normal build (bad
// arguments, sizes that overflow) aborts with a message on stderr instead.
// A plain program, since Catch2 itself needs exceptions.
#include "child_process.hpp"
#include "electron/electron.hpp"

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

static_assert(ELECTRON_HAS_EXCEPTIONS == 0, "this test must be built with -fno-exceptions");
// Its inline functions abort where a normal build's throw: they must not be
// merged with a normal TU's copies, so the ABI namespace says so.
static_assert(electron::abi_namespace.ends_with("_noexceptions"), "-fno-exceptions must be in the ABI namespace");

namespace {
int failures = 0;

// Runs fn in a child; it must die of SIGABRT after printing `message`
// (or, with an empty message, exit normally).
template <class Fn>
void expect_abort(const char* what, std::string_view message, Fn fn) {
  std::string err;
  const electron_tests::child_status st = electron_tests::run_in_child(fn, &err);
  while (!err.empty() && err.back() == '\n') err.pop_back();
  const bool should_abort = !message.empty();
  const bool ok = should_abort ? (st.signaled && st.signal == SIGABRT && err.find(message) != std::string::npos)
                               : (!st.signaled && st.exit_code == 0);
  std::printf("%s: %s (signal %d, exit %d, stderr \"%s\")\n", ok ? "ok" : "FAILED", what, st.signaled ? st.signal : 0,
              st.exit_code, err.c_str());
  if (!ok) ++failures;
}
}  // namespace

int main() {
  namespace ea = electron::arena;
  expect_abort("arena: a good allocation returns", "", [] {
    ea::arena a;
    if (a.allocate(64, 16) == nullptr) std::abort();
  });
  expect_abort("arena: allocate_slice whose n * size overflows", "electron::arena: array length overflows", [] {
    ea::arena a;
    static_cast<void>(a.allocate_slice(SIZE_MAX / 2, 3, 8));
  });
  expect_abort("arena: size above max_size", "electron::arena: allocation size too large", [] {
    ea::arena a;
    static_cast<void>(a.allocate(SIZE_MAX - 64, 8));
  });
  expect_abort("lockfree: queue capacity too large", "electron::lockfree: queue capacity too large", [] {
    electron::lockfree::mpmc_queue<int> q(SIZE_MAX);
    static_cast<void>(q.try_push(1));
  });
  std::printf("%s\n", failures == 0 ? "no_exceptions: every throwing path aborts with its message" : "FAILED");
  return failures == 0 ? 0 : 1;
}
