// SPDX-License-Identifier: MIT
// electron/config.hpp: version, ELECTRON_* macros, the ABI namespace and the
// compile-time SIMD choice. Run-time CPU feature detection (cpu(),
// check_cpu()) is in electron/cpu.hpp.
//
// Guarantees: nothing here allocates.
//
//   std::printf("compiled for %s (ABI %s)\n", electron::simd_arch_name.data(),
//               electron::abi_namespace.data());
#ifndef ELECTRON_CONFIG_HPP
#define ELECTRON_CONFIG_HPP

#include "electron/version.hpp"

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <type_traits>

#if !defined(__cplusplus) || (__cplusplus < 202002L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 202002L))
#error "Electron needs C++20 (-std=c++20)"
#endif

// ---------------------------------------------------------------------------
// Preprocessor helpers
// ---------------------------------------------------------------------------
#define ELECTRON_PP_CAT_IMPL(a, b) a##b
#define ELECTRON_PP_CAT(a, b) ELECTRON_PP_CAT_IMPL(a, b)
#define ELECTRON_PP_STR_IMPL(x) #x
#define ELECTRON_PP_STR(x) ELECTRON_PP_STR_IMPL(x)

// 1 when the compiler has builtin x (clang, g++ 10 and later, which have
// __has_builtin); 0 elsewhere, where the portable code is used.
#if defined(__has_builtin)
#define ELECTRON_DETAIL_HAS_BUILTIN(x) __has_builtin(x)
#else
#define ELECTRON_DETAIL_HAS_BUILTIN(x) 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ELECTRON_ALWAYS_INLINE inline __attribute__((always_inline))
#define ELECTRON_NOINLINE __attribute__((noinline))
#define ELECTRON_COLD __attribute__((cold))
#define ELECTRON_LIKELY(x) __builtin_expect(!!(x), 1)
#define ELECTRON_UNLIKELY(x) __builtin_expect(!!(x), 0)
#elif defined(_MSC_VER)
// __forceinline also makes the function inline, as header definitions need.
#define ELECTRON_ALWAYS_INLINE __forceinline
#define ELECTRON_NOINLINE __declspec(noinline)
#define ELECTRON_COLD
#define ELECTRON_LIKELY(x) (x)
#define ELECTRON_UNLIKELY(x) (x)
#else
#define ELECTRON_ALWAYS_INLINE inline
#define ELECTRON_NOINLINE
#define ELECTRON_COLD
#define ELECTRON_LIKELY(x) (x)
#define ELECTRON_UNLIKELY(x) (x)
#endif

// Process-wide state must be one object even when Electron is used from
// several shared libraries built with -fvisibility=hidden.
#if defined(__GNUC__) || defined(__clang__)
#define ELECTRON_VISIBLE __attribute__((visibility("default")))
#else
#define ELECTRON_VISIBLE
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define ELECTRON_HAS_EXCEPTIONS 1
#else
#define ELECTRON_HAS_EXCEPTIONS 0
#endif

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#define ELECTRON_ARCH_X86 1
#else
#define ELECTRON_ARCH_X86 0
#endif
#if defined(__aarch64__) || defined(_M_ARM64) || defined(__arm__) || defined(_M_ARM)
#define ELECTRON_ARCH_ARM 1
#else
#define ELECTRON_ARCH_ARM 0
#endif

// The detection and the check must not themselves use the instructions they
// look for: they are compiled for the baseline ISA whatever -march says.
// target("arch=x86-64") alone is not enough: GCC and Clang keep the
// extensions -march enabled and only change the base CPU, so each extension
// beyond x86-64 that a compiler emits on its own is turned off by name
// (no-sse3 also turns off everything built on it: SSSE3, SSE4, AVX, FMA,
// F16C, AVX-512; cx16 is CMPXCHG16B, sahf is LAHF/SAHF in 64-bit mode).
// noinline: Clang inlines a function into a caller whose features are a
// superset of its own, and the inlined copy is then compiled for the
// caller's -march; GCC refuses (the arch differs), Clang must be told.
#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
#define ELECTRON_DETAIL_BASELINE_ISA \
  __attribute__((target("arch=x86-64,no-sse3,no-popcnt,no-bmi,no-bmi2,no-lzcnt,no-movbe,no-cx16,no-sahf"), noinline))
#else
#define ELECTRON_DETAIL_BASELINE_ISA
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ELECTRON_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define ELECTRON_TSAN 1
#endif
#endif
#if !defined(ELECTRON_ASAN) && defined(__SANITIZE_ADDRESS__)
#define ELECTRON_ASAN 1
#endif
#if !defined(ELECTRON_TSAN) && defined(__SANITIZE_THREAD__)
#define ELECTRON_TSAN 1
#endif
#ifndef ELECTRON_ASAN
#define ELECTRON_ASAN 0
#endif
#ifndef ELECTRON_TSAN
#define ELECTRON_TSAN 0
#endif

// ---------------------------------------------------------------------------
// Compile-time SIMD choice.
//
// Kernels are templates on an xsimd architecture; the public functions call
// the one for the best architecture in the list below that the compiler flags
// enable (xsimd's own default_arch, as long as xsimd knows nothing newer).
// Without xsimd, on a target xsimd does not support, on one where xsimd
// enables only architectures this list lacks, or with ELECTRON_DISABLE_SIMD
// defined, every kernel is the scalar one. Never an #error: a new xsimd on a
// new target still builds.
// ---------------------------------------------------------------------------
#if !defined(ELECTRON_DISABLE_SIMD) && defined(__has_include)
#if __has_include(<xsimd/config/xsimd_config.hpp>)
#include <xsimd/config/xsimd_config.hpp>
#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define ELECTRON_HAS_SIMD 1
#endif
#endif
#endif
#ifndef ELECTRON_HAS_SIMD
#define ELECTRON_HAS_SIMD 0
#endif

// The tag mirrors the order in which xsimd picks its default_arch, and the
// name is xsimd's own name for that architecture (checked by a test). The
// kernels use ELECTRON_DETAIL_XSIMD_ARCH, the architecture the tag names,
// not xsimd::default_arch: a newer xsimd may rank an architecture above
// these (SVE above NEON64, AVX512-VNNI above AVX512BW), whose kernels
// Electron has never run and whose code the tag would not tell apart.
// Without SIMD kernels the compiler still auto-vectorises scalar loops for
// whatever the flags allow, so the scalar tag names the vector ISA too.
#if defined(__AVX512BW__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_avx512bw
#elif defined(__AVX512F__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_avx512f
#elif defined(__AVX2__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_avx2
#elif defined(__AVX__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_avx
#elif defined(__SSE4_2__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_sse4_2
#elif defined(__SSE4_1__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_sse4_1
#elif defined(__SSSE3__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_ssse3
#elif defined(__SSE3__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_sse3
#elif defined(__ARM_NEON) || defined(__ARM_NEON__)
#define ELECTRON_DETAIL_SCALAR_ISA scalar_neon
#else
#define ELECTRON_DETAIL_SCALAR_ISA scalar
#endif

#if !ELECTRON_HAS_SIMD
#define ELECTRON_DETAIL_ARCH_TAG ELECTRON_DETAIL_SCALAR_ISA
#define ELECTRON_SIMD_ARCH_NAME "scalar"
#define ELECTRON_SIMD_WIDTH 8
#elif defined(ELECTRON_DETAIL_TEST_UNKNOWN_XSIMD_ARCH)
// For tests only: behave as if xsimd had enabled an architecture missing
// from the list below (the same fallback as the #else at its end).
#define ELECTRON_DETAIL_UNKNOWN_SIMD 1
#elif XSIMD_WITH_AVX512BW
#define ELECTRON_DETAIL_ARCH_TAG avx512bw
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx512bw
#define ELECTRON_SIMD_ARCH_NAME "avx512bw"
#define ELECTRON_SIMD_WIDTH 64
#elif XSIMD_WITH_AVX512DQ
#define ELECTRON_DETAIL_ARCH_TAG avx512dq
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx512dq
#define ELECTRON_SIMD_ARCH_NAME "avx512dq"
#define ELECTRON_SIMD_WIDTH 64
#elif XSIMD_WITH_AVX512CD
#define ELECTRON_DETAIL_ARCH_TAG avx512cd
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx512cd
#define ELECTRON_SIMD_ARCH_NAME "avx512cd"
#define ELECTRON_SIMD_WIDTH 64
#elif XSIMD_WITH_AVX512F
#define ELECTRON_DETAIL_ARCH_TAG avx512f
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx512f
#define ELECTRON_SIMD_ARCH_NAME "avx512f"
#define ELECTRON_SIMD_WIDTH 64
#elif XSIMD_WITH_FMA3_AVX2
#define ELECTRON_DETAIL_ARCH_TAG fma3_avx2
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::fma3<xsimd::avx2>
#define ELECTRON_SIMD_ARCH_NAME "fma3+avx2"
#define ELECTRON_SIMD_WIDTH 32
#elif XSIMD_WITH_AVX2
#define ELECTRON_DETAIL_ARCH_TAG avx2
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx2
#define ELECTRON_SIMD_ARCH_NAME "avx2"
#define ELECTRON_SIMD_WIDTH 32
#elif XSIMD_WITH_FMA3_AVX
#define ELECTRON_DETAIL_ARCH_TAG fma3_avx
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::fma3<xsimd::avx>
#define ELECTRON_SIMD_ARCH_NAME "fma3+avx"
#define ELECTRON_SIMD_WIDTH 32
#elif XSIMD_WITH_AVX
#define ELECTRON_DETAIL_ARCH_TAG avx
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::avx
#define ELECTRON_SIMD_ARCH_NAME "avx"
#define ELECTRON_SIMD_WIDTH 32
#elif XSIMD_WITH_FMA4
#define ELECTRON_DETAIL_ARCH_TAG fma4
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::fma4
#define ELECTRON_SIMD_ARCH_NAME "fma4"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_FMA3_SSE
#define ELECTRON_DETAIL_ARCH_TAG fma3_sse42
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::fma3<xsimd::sse4_2>
#define ELECTRON_SIMD_ARCH_NAME "fma3+sse4.2"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_SSE4_2
#define ELECTRON_DETAIL_ARCH_TAG sse4_2
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::sse4_2
#define ELECTRON_SIMD_ARCH_NAME "sse4.2"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_SSE4_1
#define ELECTRON_DETAIL_ARCH_TAG sse4_1
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::sse4_1
#define ELECTRON_SIMD_ARCH_NAME "sse4.1"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_SSSE3
#define ELECTRON_DETAIL_ARCH_TAG ssse3
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::ssse3
#define ELECTRON_SIMD_ARCH_NAME "ssse3"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_SSE3
#define ELECTRON_DETAIL_ARCH_TAG sse3
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::sse3
#define ELECTRON_SIMD_ARCH_NAME "sse3"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_SSE2
#define ELECTRON_DETAIL_ARCH_TAG sse2
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::sse2
#define ELECTRON_SIMD_ARCH_NAME "sse2"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_NEON64
#define ELECTRON_DETAIL_ARCH_TAG neon64
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::neon64
#define ELECTRON_SIMD_ARCH_NAME "arm64+neon"
#define ELECTRON_SIMD_WIDTH 16
#elif XSIMD_WITH_NEON
#define ELECTRON_DETAIL_ARCH_TAG neon
#define ELECTRON_DETAIL_XSIMD_ARCH xsimd::neon
#define ELECTRON_SIMD_ARCH_NAME "arm32+neon"
#define ELECTRON_SIMD_WIDTH 16
#else
#define ELECTRON_DETAIL_UNKNOWN_SIMD 1
#endif

// xsimd enables an architecture Electron has no tested kernels for (VSX,
// WebAssembly, RISC-V vectors, ...): every kernel is the scalar one, as
// without xsimd. The tag says so, and differs from the tag of a build without
// a vector ISA, since the compiler still auto-vectorises the scalar loops.
#if defined(ELECTRON_DETAIL_UNKNOWN_SIMD)
#undef ELECTRON_HAS_SIMD
#define ELECTRON_HAS_SIMD 0
#define ELECTRON_DETAIL_ARCH_TAG ELECTRON_PP_CAT(ELECTRON_DETAIL_SCALAR_ISA, _unknown_simd)
#define ELECTRON_SIMD_ARCH_NAME "scalar"
#define ELECTRON_SIMD_WIDTH 8
#endif

// Scalar instructions that change the code of inline functions (std::popcount
// becomes POPCNT, std::countr_zero becomes TZCNT, which differs from BSF on
// zero) also go into the ABI tag, so a TU built without them never links to a
// copy built with them.
#if defined(__POPCNT__)
#define ELECTRON_DETAIL_TAG_POPCNT _popcnt
#else
#define ELECTRON_DETAIL_TAG_POPCNT
#endif
#if defined(__BMI__)
#define ELECTRON_DETAIL_TAG_BMI _bmi
#else
#define ELECTRON_DETAIL_TAG_BMI
#endif
#if defined(__BMI2__)
#define ELECTRON_DETAIL_TAG_BMI2 _bmi2
#else
#define ELECTRON_DETAIL_TAG_BMI2
#endif
#if defined(__LZCNT__)
#define ELECTRON_DETAIL_TAG_LZCNT _lzcnt
#else
#define ELECTRON_DETAIL_TAG_LZCNT
#endif
#if defined(__AVX512VPOPCNTDQ__)
#define ELECTRON_DETAIL_TAG_VPOPCNT _vpopcnt
#else
#define ELECTRON_DETAIL_TAG_VPOPCNT
#endif

// Other macros that change the code of inline functions: lockfree's blocking
// push/pop sleep differently without membarrier(2), and every parking
// primitive sleeps on a mutex and condition variable with
// ELECTRON_WAITER_PORTABLE (electron/detail/waiter.hpp).
#if defined(ELECTRON_LOCKFREE_NO_MEMBARRIER) && defined(ELECTRON_WAITER_PORTABLE)
#define ELECTRON_DETAIL_TAG_NO_MEMBARRIER _nomembarrier_portablewait
#elif defined(ELECTRON_LOCKFREE_NO_MEMBARRIER)
#define ELECTRON_DETAIL_TAG_NO_MEMBARRIER _nomembarrier
#elif defined(ELECTRON_WAITER_PORTABLE)
#define ELECTRON_DETAIL_TAG_NO_MEMBARRIER _portablewait
#else
#define ELECTRON_DETAIL_TAG_NO_MEMBARRIER
#endif
// Without exceptions, throw_error (and every inline function that reaches it)
// prints and aborts: a TU built with -fno-exceptions must not lend its copy
// to one that catches.
#if ELECTRON_HAS_EXCEPTIONS
#define ELECTRON_DETAIL_TAG_NO_EXCEPTIONS
#else
#define ELECTRON_DETAIL_TAG_NO_EXCEPTIONS _noexceptions
#endif

/// The arch (and configuration) part of the ABI namespace, e.g.
/// `avx512bw_popcnt_bmi_bmi2_lzcnt_vpopcnt`, `sse2_nomembarrier`, `sse2_noexceptions`.
#define ELECTRON_ARCH_NS ELECTRON_PP_CAT(ELECTRON_DETAIL_ARCH_NS_1, ELECTRON_DETAIL_TAG_NO_EXCEPTIONS)
#define ELECTRON_DETAIL_ARCH_NS_1                                                                                  \
  ELECTRON_PP_CAT(                                                                                                 \
      ELECTRON_PP_CAT(ELECTRON_PP_CAT(ELECTRON_PP_CAT(ELECTRON_PP_CAT(ELECTRON_PP_CAT(ELECTRON_DETAIL_ARCH_TAG,    \
                                                                                      ELECTRON_DETAIL_TAG_POPCNT), \
                                                                      ELECTRON_DETAIL_TAG_BMI),                    \
                                                      ELECTRON_DETAIL_TAG_BMI2),                                   \
                                      ELECTRON_DETAIL_TAG_LZCNT),                                                  \
                      ELECTRON_DETAIL_TAG_VPOPCNT),                                                                \
      ELECTRON_DETAIL_TAG_NO_MEMBARRIER)

/// Opens `electron::<version>::<arch>`, both inline: every public entity that
/// has code lives there, so TUs built with different -march flags link into
/// one program without sharing (ODR-merging) differently compiled copies.
#define ELECTRON_BEGIN_NAMESPACE         \
  namespace electron {                   \
  inline namespace ELECTRON_VERSION_NS { \
  inline namespace ELECTRON_ARCH_NS {
#define ELECTRON_END_NAMESPACE \
  }                            \
  }                            \
  }

// ---------------------------------------------------------------------------
// Assertions. On unless NDEBUG (or ELECTRON_DISABLE_ASSERTS); force them on in
// release builds with ELECTRON_ENABLE_ASSERTS. A failed assertion calls the
// handler set with electron::set_assert_handler, then aborts.
// ---------------------------------------------------------------------------
#if defined(ELECTRON_ENABLE_ASSERTS) || (!defined(NDEBUG) && !defined(ELECTRON_DISABLE_ASSERTS))
#define ELECTRON_ASSERTS_ENABLED 1
#define ELECTRON_ASSERT(cond, msg) \
  (ELECTRON_LIKELY(cond) ? static_cast<void>(0) : ::electron::detail::assert_fail(#cond, msg, __FILE__, __LINE__))
#else
#define ELECTRON_ASSERTS_ENABLED 0
#define ELECTRON_ASSERT(cond, msg) static_cast<void>(0)
#endif

namespace electron {
inline namespace ELECTRON_VERSION_NS {
/// State shared by every ABI variant of one Electron version (data only, no
/// code, so it means the same thing whatever the flags of the TU).
namespace shared {
/// Called with the failed expression, the message, file and line.
using assert_handler = void (*)(const char* expr, const char* msg, const char* file, int line);
ELECTRON_VISIBLE inline std::atomic<assert_handler> g_assert_handler{nullptr};
}  // namespace shared
}  // namespace ELECTRON_VERSION_NS
}  // namespace electron

ELECTRON_BEGIN_NAMESPACE

using shared::assert_handler;

/// Replaces the handler called by a failed ELECTRON_ASSERT (nullptr restores
/// the default, which prints to stderr). Returns the previous handler. The
/// process aborts when the handler returns. Thread-safe.
inline assert_handler set_assert_handler(assert_handler h) noexcept {
  return shared::g_assert_handler.exchange(h, std::memory_order_acq_rel);
}

/// The "no position" value every Electron search returns when nothing
/// matches (index_byte, find, index_any, ...), like std::string::npos.
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// A raw byte as the kernels read it (std::byte is for storage in public
/// signatures; arithmetic and table lookups use this).
using byte = unsigned char;

namespace detail {
/// The SplitMix64 finalizer (Steele, Lea and Flood, "Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014): a bijective 64-bit mixer
/// in which every input bit affects every output bit. Electron's one mixer:
/// sharded_mutex's shard choice and the test kit's generator use it.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace detail

/// Electron's cache-line size: the alignment for hot shared words.
/// (std::hardware_destructive_interference_size moves with -mtune.)
#if defined(__aarch64__) && defined(__APPLE__)
inline constexpr std::size_t cache_line_size = 128;
#else
inline constexpr std::size_t cache_line_size = 64;
#endif

/// True when the kernels are SIMD (xsimd) ones.
inline constexpr bool simd_enabled = ELECTRON_HAS_SIMD != 0;
/// xsimd's name of the architecture the kernels were compiled for, or "scalar".
inline constexpr std::string_view simd_arch_name = ELECTRON_SIMD_ARCH_NAME;
/// Width in bytes of the registers the kernels use (8 for scalar: one word).
inline constexpr std::size_t simd_width = ELECTRON_SIMD_WIDTH;
/// Name of the ABI namespace this TU uses, e.g. "v0_1::avx2_popcnt".
inline constexpr std::string_view abi_namespace =
    ELECTRON_PP_STR(ELECTRON_VERSION_NS) "::" ELECTRON_PP_STR(ELECTRON_ARCH_NS);
/// The library version, "major.minor.patch".
inline constexpr std::string_view version_string = ELECTRON_VERSION_STRING;

namespace detail {
[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD inline void assert_fail(const char* expr, const char* msg,
                                                                     const char* file, int line) noexcept {
  if (auto h = shared::g_assert_handler.load(std::memory_order_acquire)) {
    h(expr, msg, file, line);
  } else {
    std::fprintf(stderr, "electron: assertion failed: %s (%s) at %s:%d\n", expr, msg, file, line);
  }
  std::abort();
}

/// Tells the core that the caller is in a spin-wait loop (x86 PAUSE, Arm
/// YIELD): a sibling hyper-thread gets the core's resources, and leaving the
/// loop does not flush the pipeline. Every spinning primitive uses it.
ELECTRON_ALWAYS_INLINE void cpu_relax() noexcept {
#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
  __builtin_ia32_pause();
#elif (defined(__aarch64__) || defined(__arm__)) && (defined(__GNUC__) || defined(__clang__))
  __asm__ volatile("yield" ::: "memory");
#endif
}

/// The largest block of memory Electron asks for on behalf of a size its
/// caller gave (a pooled buffer, a queue's ring, a builder's storage): 2^47
/// bytes (128 TiB) on 64-bit targets, 2^30 bytes on 32-bit ones: more than
/// the memory of any machine today, and all of x86-64 Linux's default user
/// address space. It keeps every size a module derives from a request
/// (rounded up to an alignment, a power of two or a size class, plus a
/// header) far below SIZE_MAX, where none can wrap around into a small
/// allocation. A module that uses it says so in its max_size() (or
/// max_capacity()) and names the exception it throws above it.
inline constexpr std::size_t max_allocation_size = std::size_t{1}
                                                   << (sizeof(std::size_t) >= 8 ? 47 : sizeof(std::size_t) * 8 - 2);

/// Asks the core to bring the cache line at address p + ahead into the cache
/// for a coming read. A hint: it never faults, and p + ahead may lie past
/// the end of p's object (the address is computed as an integer); no effect
/// where the compiler offers no prefetch builtin.
ELECTRON_ALWAYS_INLINE void prefetch_read(const void* p, std::size_t ahead = 0) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(p) + ahead), 0, 3);
#else
  static_cast<void>(p);
  static_cast<void>(ahead);
#endif
}

/// Throws E(msg) (or E() for exception types without a message constructor,
/// such as std::bad_alloc), or prints msg and aborts when exceptions are off.
template <class E>
[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD void throw_error(const char* msg) {
#if ELECTRON_HAS_EXCEPTIONS
  if constexpr (std::is_constructible_v<E, const char*>) {
    throw E(msg);
  } else {
    throw E();
  }
#else
  std::fprintf(stderr, "electron: %s\n", msg);
  std::abort();
#endif
}

}  // namespace detail

ELECTRON_END_NAMESPACE

// Overflow-checked size arithmetic, used by every module that sizes memory.
#include "electron/detail/checked.hpp"

#endif  // ELECTRON_CONFIG_HPP
