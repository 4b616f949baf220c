// SPDX-License-Identifier: MIT
// The request loop of Electron's memory strategy: every request takes a
// context from an object pool, buffers from a buffer pool and strings from an
// arena, and gives everything back at the end. Once warm, a request allocates
// nothing from the system; the program checks that with the allocation counter.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/pool.hpp"
#include "electron/test.hpp"

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

struct request_context {
  int id = 0;
  std::vector<std::string_view> headers;  // views into the arena
  void reset() {
    id = 0;
    headers.clear();  // keeps its capacity for the next request
  }
};

struct request {
  int id;
  const char* path;
  std::size_t body_size;
};

// Handles one request; returns a checksum so the work cannot be optimised away.
std::size_t handle(electron::pool::arena_of_pools<request_context>& mem, const request& req) {
  request_context* ctx = mem.allocate_context();
  ctx->id = req.id;
  ctx->headers.push_back(mem.make_string(req.path));
  ctx->headers.push_back(mem.make_string("accept: application/json"));
  auto body = mem.allocate_buffer(req.body_size);  // from the 4 KiB or 16 KiB class
  auto reply = mem.allocate_buffer(req.body_size * 2);
  std::memset(body.data(), req.id & 0xff, body.size());
  std::memcpy(reply.data(), body.data(), body.size());
  std::size_t sum = static_cast<std::size_t>(reply[0]) + ctx->headers[0].size() + ctx->headers[1].size();
  mem.release_context(ctx);
  mem.reset();  // strings gone; body and reply return to the pool as they leave scope
  return sum;
}

}  // namespace

int main() {
  electron::pool::arena_of_pools<request_context> mem;
  const request requests[] = {{1, "/index.html", 3000}, {2, "/api/v1/users", 8000}, {3, "/static/app.js", 5000}};

  std::size_t sum = 0;
  for (int warm = 0; warm < 3; ++warm)
    for (const request& r : requests) sum += handle(mem, r);

  electron::test::alloc_scope scope;
  for (int i = 0; i < 100000; ++i) sum += handle(mem, requests[i % 3]);
  const std::uint64_t allocations = scope.allocations();

  std::printf("100000 requests handled (checksum %zu), %llu allocations from the system after warm-up\n", sum,
              static_cast<unsigned long long>(allocations));
  std::printf("arena: %zu block(s), %zu bytes reserved, high water %zu bytes\n", mem.get_arena().block_count(),
              mem.get_arena().bytes_reserved(), mem.get_arena().high_water());
  return allocations == 0 ? 0 : 1;
}
