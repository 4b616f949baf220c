// SPDX-License-Identifier: MIT
// electron::pool against the standard library and peers on the same work:
// - object get/put pairs: object_pool vs new/delete, boost::object_pool
//   (single-threaded only), std::pmr::unsynchronized_pool_resource, mimalloc;
// - 4 KiB buffer get/put pairs: buffer_pool vs new[]/delete[], malloc/free,
//   std::pmr::unsynchronized_pool_resource, mimalloc;
// - 4 KiB buffers got on one thread and put on another (2 threads);
// - a request cycle (context, three buffers, four strings, then release)
//   through arena_of_pools vs new/delete/std::string.
#include "bench_util.hpp"
#include "electron/pool.hpp"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstring>
#include <memory_resource>
#include <string>
#include <thread>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_BOOST)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <boost/pool/object_pool.hpp>
ELECTRON_BENCH_PEER_HEADERS_END
#endif

namespace {

struct context {
  std::uint64_t id = 0;
  std::uint64_t flags = 0;
  char scratch[48] = {};
  void reset() {
    id = 0;
    flags = 0;
  }
};

// ---- object get/put pair ---------------------------------------------------
void object_electron(benchmark::State& state) {
  electron::pool::object_pool<context> pool;
  pool.put(pool.get());
  electron_bench::alloc_report r;
  for (auto _ : state) {
    context* c = pool.get();
    electron_bench::keep(c);
    pool.put(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void object_new_delete(benchmark::State& state) {
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto* c = new context{};
    electron_bench::keep(c);
    delete c;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void object_pmr_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource res;
  std::pmr::polymorphic_allocator<context> alloc(&res);
  electron_bench::alloc_report r;
  for (auto _ : state) {
    context* c = alloc.new_object<context>();
    electron_bench::keep(c);
    alloc.delete_object(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void object_mimalloc(benchmark::State& state) {
  const auto& mi = electron_bench::mimalloc();
  if (!mi) {
    state.SkipWithError("mimalloc not installed");
    return;
  }
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto* c = ::new (mi.malloc(sizeof(context))) context{};
    electron_bench::keep(c);
    c->~context();
    mi.free(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
#if defined(ELECTRON_BENCH_HAVE_BOOST)
void object_boost(benchmark::State& state) {
  boost::object_pool<context> pool;
  electron_bench::alloc_report r;
  for (auto _ : state) {
    context* c = pool.construct();
    electron_bench::keep(c);
    pool.destroy(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
#endif

// ---- 4 KiB buffer get/put pair ---------------------------------------------
constexpr std::size_t buf_size = 4096;

void buffer_electron(benchmark::State& state) {
  electron::pool::buffer_pool pool;
  pool.put(pool.get(buf_size));
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto b = pool.get(buf_size);
    electron_bench::keep(b.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
// The same pool over an upstream memory_resource: the resource is only on
// the slow paths, so the pair should cost what it costs above.
void buffer_electron_upstream(benchmark::State& state) {
  std::pmr::synchronized_pool_resource upstream;
  electron::pool::buffer_pool pool({}, &upstream);
  pool.put(pool.get(buf_size));
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto b = pool.get(buf_size);
    electron_bench::keep(b.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void buffer_new_delete(benchmark::State& state) {
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto* b = new std::byte[buf_size];
    electron_bench::keep(b);
    delete[] b;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void buffer_malloc(benchmark::State& state) {
  electron_bench::alloc_report r;
  for (auto _ : state) {
    void* b = std::malloc(buf_size);
    electron_bench::keep(b);
    std::free(b);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void buffer_pmr_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource res;
  electron_bench::alloc_report r;
  for (auto _ : state) {
    void* b = res.allocate(buf_size, 64);
    electron_bench::keep(b);
    res.deallocate(b, buf_size, 64);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}
void buffer_mimalloc(benchmark::State& state) {
  const auto& mi = electron_bench::mimalloc();
  if (!mi) {
    state.SkipWithError("mimalloc not installed");
    return;
  }
  electron_bench::alloc_report r;
  for (auto _ : state) {
    void* b = mi.malloc(buf_size);
    electron_bench::keep(b);
    mi.free(b);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}

// ---- cross-thread: thread 0 gets, thread 1 puts ----------------------------
// A bounded single-producer single-consumer ring carries the buffers.
template <class T>
class ring {
 public:
  bool push(T&& v) {
    const std::size_t h = m_head.load(std::memory_order_relaxed);
    if (h - m_tail.load(std::memory_order_acquire) == size) return false;
    m_items[h % size] = std::move(v);
    m_head.store(h + 1, std::memory_order_release);
    return true;
  }
  bool pop(T& out) {
    const std::size_t t = m_tail.load(std::memory_order_relaxed);
    if (t == m_head.load(std::memory_order_acquire)) return false;
    out = std::move(m_items[t % size]);
    m_tail.store(t + 1, std::memory_order_release);
    return true;
  }

 private:
  static constexpr std::size_t size = 256;
  T m_items[size];
  alignas(64) std::atomic<std::size_t> m_head{0};
  alignas(64) std::atomic<std::size_t> m_tail{0};
};

template <class Get, class Put, class Item>
void cross_thread(benchmark::State& state, ring<Item>& q, Get get, Put put) {
  if (state.thread_index() == 0) {
    for (auto _ : state) {
      Item it = get();
      while (!q.push(std::move(it))) std::this_thread::yield();
    }
  } else {
    for (auto _ : state) {
      Item it{};
      while (!q.pop(it)) std::this_thread::yield();
      put(it);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

electron::pool::buffer_pool g_cross_pool;
ring<electron::pool::pooled_buffer> g_cross_ring_electron;
ring<void*> g_cross_ring_malloc;
ring<void*> g_cross_ring_mimalloc;

void cross_electron(benchmark::State& state) {
  cross_thread(
      state, g_cross_ring_electron, [] { return g_cross_pool.get(buf_size); },
      [](electron::pool::pooled_buffer& b) { b.give_back(); });
}
void cross_malloc(benchmark::State& state) {
  cross_thread(
      state, g_cross_ring_malloc, [] { return std::malloc(buf_size); }, [](void* p) { std::free(p); });
}
void cross_mimalloc(benchmark::State& state) {
  const auto& mi = electron_bench::mimalloc();
  if (!mi) {
    state.SkipWithError("mimalloc not installed");
    return;
  }
  cross_thread(
      state, g_cross_ring_mimalloc, [&] { return mi.malloc(buf_size); }, [&](void* p) { mi.free(p); });
}

// ---- a request cycle -----------------------------------------------------------
const char* const k_strings[4] = {"/api/v1/users/12345/orders", "Mozilla/5.0 (X11; Linux x86_64) Electron",
                                  "application/json; charset=utf-8", "session=0123456789abcdef0123456789"};

void request_electron(benchmark::State& state) {
  electron::pool::arena_of_pools<context> mem;
  electron_bench::alloc_report r;
  for (auto _ : state) {
    context* ctx = mem.allocate_context();
    auto a = mem.allocate_buffer(512);
    auto b = mem.allocate_buffer(4096);
    auto c = mem.allocate_buffer(16384);
    std::size_t total = 0;
    for (const char* s : k_strings) total += mem.make_string(s).size();
    ctx->id = total;
    electron_bench::keep(a.data());
    electron_bench::keep(b.data());
    electron_bench::keep(c.data());
    electron_bench::keep(ctx);
    mem.release_context(ctx);
    mem.reset();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}

void request_new_delete(benchmark::State& state) {
  electron_bench::alloc_report r;
  for (auto _ : state) {
    auto* ctx = new context{};
    auto* a = new std::byte[512];
    auto* b = new std::byte[4096];
    auto* c = new std::byte[16384];
    std::size_t total = 0;
    std::string strings[4];
    for (int i = 0; i < 4; ++i) {
      strings[i] = k_strings[i];
      total += strings[i].size();
    }
    ctx->id = total;
    electron_bench::keep(a);
    electron_bench::keep(b);
    electron_bench::keep(c);
    electron_bench::keep(ctx);
    electron_bench::keep(strings);
    delete[] c;
    delete[] b;
    delete[] a;
    delete ctx;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  r.done(state);
}

}  // namespace

BENCHMARK(object_electron)->Name("object_pair/electron");
BENCHMARK(object_new_delete)->Name("object_pair/new_delete");
BENCHMARK(object_pmr_pool)->Name("object_pair/pmr_unsync_pool");
BENCHMARK(object_mimalloc)->Name("object_pair/mimalloc");
#if defined(ELECTRON_BENCH_HAVE_BOOST)
BENCHMARK(object_boost)->Name("object_pair/boost_object_pool");
#endif

BENCHMARK(buffer_electron)->Name("buffer_4KiB_pair/electron");
BENCHMARK(buffer_electron_upstream)->Name("buffer_4KiB_pair/electron_pmr_upstream");
BENCHMARK(buffer_new_delete)->Name("buffer_4KiB_pair/new_delete");
BENCHMARK(buffer_malloc)->Name("buffer_4KiB_pair/malloc_free");
BENCHMARK(buffer_pmr_pool)->Name("buffer_4KiB_pair/pmr_unsync_pool");
BENCHMARK(buffer_mimalloc)->Name("buffer_4KiB_pair/mimalloc");

BENCHMARK(cross_electron)->Name("buffer_4KiB_cross_thread/electron")->Threads(2)->UseRealTime();
BENCHMARK(cross_malloc)->Name("buffer_4KiB_cross_thread/malloc_free")->Threads(2)->UseRealTime();
BENCHMARK(cross_mimalloc)->Name("buffer_4KiB_cross_thread/mimalloc")->Threads(2)->UseRealTime();

BENCHMARK(request_electron)->Name("request_cycle/electron");
BENCHMARK(request_new_delete)->Name("request_cycle/new_delete_string");

BENCHMARK_MAIN();
