// SPDX-License-Identifier: MIT
// electron/cpu.hpp: run-time CPU feature detection, and the check that the
// running CPU has every instruction set extension the program was compiled
// for.
//
// Every feature Electron knows is one row of ELECTRON_DETAIL_CPU_FEATURES
// below; the enum, the struct's fields, the detection, the compiled-for mask,
// the names and feature_table are all generated from that row.
//
// Guarantees: nothing here allocates or throws; cpu() and check_cpu() are
// thread-safe.
//
//   if (auto c = electron::check_cpu(); !c) { std::fputs(c.message(), stderr); return 1; }
//   std::printf("CPU has AVX2: %d\n", electron::cpu().avx2);
#ifndef ELECTRON_CPU_HPP
#define ELECTRON_CPU_HPP

#include "electron/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

/// 1 where cpu() reads the real features (x86 with GCC or Clang, Arm); 0
/// elsewhere, where every feature reads false and check_cpu() cannot judge.
#if (ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))) || defined(__aarch64__) || defined(_M_ARM64) || \
    defined(__ARM_NEON) || defined(__ARM_NEON__)
#define ELECTRON_CPU_DETECTION 1
#else
#define ELECTRON_CPU_DETECTION 0
#endif

// The one table of CPU features. Columns:
//   field   the cpu_features member and the `feature` enumerator
//   name    the compilers' spelling (-m<name>, __builtin_cpu_supports)
//   macro   the predefined macro that says the TU was compiled to require it
//   leaf, reg, bit   where CPUID reports it (Intel SDM vol. 2A, CPUID; AMD
//           APM vol. 3, E.4); leaf 0 means "not an x86 feature"
//   os      the register state the OS must save (XGETBV) for it to be usable:
//           none, ymm (AVX), zmm (AVX-512), or arm: present on AArch64 and
//           on 32-bit Arm builds compiled with NEON, which is all cpu() knows
//           there.
// The row order is the bit order of `feature`: append, never reorder.
#define ELECTRON_DETAIL_CPU_FEATURES(X)                                       \
  X(sse42, "sse4.2", __SSE4_2__, 1, ecx, 20, none)                            \
  X(popcnt, "popcnt", __POPCNT__, 1, ecx, 23, none)                           \
  X(avx, "avx", __AVX__, 1, ecx, 28, ymm)                                     \
  X(avx2, "avx2", __AVX2__, 7, ebx, 5, ymm)                                   \
  X(fma, "fma", __FMA__, 1, ecx, 12, ymm)                                     \
  X(bmi1, "bmi", __BMI__, 7, ebx, 3, none)                                    \
  X(bmi2, "bmi2", __BMI2__, 7, ebx, 8, none)                                  \
  X(lzcnt, "lzcnt", __LZCNT__, 0x80000001u, ecx, 5, none)                     \
  X(avx512f, "avx512f", __AVX512F__, 7, ebx, 16, zmm)                         \
  X(avx512bw, "avx512bw", __AVX512BW__, 7, ebx, 30, zmm)                      \
  X(avx512vpopcntdq, "avx512vpopcntdq", __AVX512VPOPCNTDQ__, 7, ecx, 14, zmm) \
  X(neon, "neon", __ARM_NEON, 0, eax, 0, arm)

ELECTRON_BEGIN_NAMESPACE

namespace detail {
enum class feature_index : std::uint32_t {
#define ELECTRON_DETAIL_X(field, ...) field,
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
      count
};

/// True when `expanded` (a macro's replacement, stringized) differs from
/// `spelled` (its name): the macro is defined. An undefined name stringizes
/// to itself. This lets the table carry the macro itself rather than a
/// separate #if per feature.
constexpr bool macro_defined(std::string_view spelled, std::string_view expanded) noexcept {
  return spelled != expanded;
}

enum class cpuid_reg : std::uint8_t { eax, ebx, ecx, edx };
enum class os_state : std::uint8_t { none, ymm, zmm, arm };
}  // namespace detail

/// One instruction-set extension, as a bit of a feature mask.
enum class feature : std::uint32_t {
#define ELECTRON_DETAIL_X(field, ...) field = 1u << static_cast<std::uint32_t>(detail::feature_index::field),
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
};

/// How many features Electron knows (the rows of feature_table).
inline constexpr std::size_t feature_count = static_cast<std::size_t>(detail::feature_index::count);

/// A row of feature_table: what Electron knows about one feature.
struct feature_info {
  feature id;                ///< the feature's bit
  const char* name;          ///< the compilers' spelling: "avx2", "bmi", "sse4.2", ...
  const char* macro;         ///< the predefined macro that means "compiled to require it"
  bool compiled;             ///< whether this TU was compiled to require it
  std::uint32_t cpuid_leaf;  ///< the CPUID leaf that reports it; 0 for non-x86 features
};

/// Every feature Electron detects, in bit order: feature_table[i].id is
/// `feature(1u << i)`. Per TU (`compiled` follows the TU's flags).
///
///   for (const auto& f : electron::feature_table) std::printf("%s ", f.name);
inline constexpr feature_info feature_table[] = {
#define ELECTRON_DETAIL_X(field, name, macro, leaf, reg, bit, os) \
  {feature::field, name, #macro, detail::macro_defined(#macro, ELECTRON_PP_STR(macro)), leaf},
    ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
};
static_assert(sizeof(feature_table) / sizeof(feature_table[0]) == feature_count);
static_assert(feature_count <= 32, "feature masks are 32 bits");

/// Name of a feature as compilers spell it ("avx2", "avx512bw", ...); "?"
/// for a value that is not a single known feature. NUL-terminated.
ELECTRON_DETAIL_BASELINE_ISA constexpr const char* feature_name(feature f) noexcept {
  for (std::size_t i = 0; i < feature_count; ++i) {
    if (feature_table[i].id == f) return feature_table[i].name;
  }
  return "?";
}

/// What the CPU running this process supports, and the OS enables (AVX and
/// AVX-512 count only when the OS saves their registers, per XGETBV).
struct cpu_features {
#define ELECTRON_DETAIL_X(field, ...) bool field = false;
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X

  /// The features as a mask of `feature` bits. Compiled for the baseline
  /// ISA, like the detection, so check_cpu() never runs an instruction the
  /// CPU may lack.
  ELECTRON_DETAIL_BASELINE_ISA constexpr std::uint32_t mask() const noexcept {
    std::uint32_t m = 0;
#define ELECTRON_DETAIL_X(field, ...) m |= field ? static_cast<std::uint32_t>(feature::field) : 0u;
    ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
    return m;
  }
  /// True when the feature (or, for a mask of several, any of them) is present.
  constexpr bool has(feature f) const noexcept { return (mask() & static_cast<std::uint32_t>(f)) != 0; }
};

/// The features this TU was compiled to require (from the compiler's
/// predefined macros), as a mask of `feature` bits.
inline constexpr std::uint32_t compiled_features = [] {
  std::uint32_t m = 0;
  for (const feature_info& f : feature_table) m |= f.compiled ? static_cast<std::uint32_t>(f.id) : 0u;
  return m;
}();

namespace detail {
#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
struct cpuid_regs {
  std::uint32_t eax, ebx, ecx, edx;
};
ELECTRON_DETAIL_BASELINE_ISA inline cpuid_regs cpuid(std::uint32_t leaf, std::uint32_t subleaf) noexcept {
  cpuid_regs r{};
#if defined(__i386__) && defined(__PIC__)
  // ebx is the PIC register on 32-bit x86: save it around cpuid.
  __asm__ volatile("xchg{l}\t{%%}ebx, %k1\n\tcpuid\n\txchg{l}\t{%%}ebx, %k1"
                   : "=a"(r.eax), "=&r"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                   : "0"(leaf), "2"(subleaf));
#else
  __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "0"(leaf), "2"(subleaf));
#endif
  return r;
}
ELECTRON_DETAIL_BASELINE_ISA inline std::uint64_t xgetbv0() noexcept {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0u));  // xgetbv
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

/// The CPUID leaves the table uses, read once, and the OS's register state.
struct cpuid_snapshot {
  // Members zeroed by read_cpuid, not by initializers: an implicit
  // constructor would be compiled for -march, not for the baseline.
  cpuid_regs leaf1, leaf7, ext1;
  bool os_ymm;  // XCR0: XMM and YMM state
  bool os_zmm;  // plus opmask, ZMM_Hi256, Hi16_ZMM
};
ELECTRON_DETAIL_BASELINE_ISA inline cpuid_snapshot read_cpuid() noexcept {
  cpuid_snapshot s;
  s.leaf1 = s.leaf7 = s.ext1 = cpuid_regs{0, 0, 0, 0};
  s.os_ymm = s.os_zmm = false;
  const std::uint32_t max_leaf = cpuid(0, 0).eax;
  if (max_leaf >= 1) {
    s.leaf1 = cpuid(1, 0);
    const bool osxsave = ((s.leaf1.ecx >> 27) & 1u) != 0;
    const std::uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    s.os_ymm = (xcr0 & 0x6u) == 0x6u;
    s.os_zmm = (xcr0 & 0xE6u) == 0xE6u;
  }
  if (max_leaf >= 7) s.leaf7 = cpuid(7, 0);
  if (cpuid(0x80000000u, 0).eax >= 0x80000001u) s.ext1 = cpuid(0x80000001u, 0);
  return s;
}
ELECTRON_DETAIL_BASELINE_ISA inline bool cpuid_bit(const cpuid_snapshot& s, std::uint32_t leaf, cpuid_reg reg,
                                                   unsigned bit, os_state os) noexcept {
  const cpuid_regs* r = leaf == 1 ? &s.leaf1 : leaf == 7 ? &s.leaf7 : leaf == 0x80000001u ? &s.ext1 : nullptr;
  if (r == nullptr) return false;
  const std::uint32_t word = reg == cpuid_reg::eax   ? r->eax
                             : reg == cpuid_reg::ebx ? r->ebx
                             : reg == cpuid_reg::ecx ? r->ecx
                                                     : r->edx;
  const bool os_ok = os == os_state::none || (os == os_state::ymm && s.os_ymm) || (os == os_state::zmm && s.os_zmm);
  return ((word >> bit) & 1u) != 0 && os_ok;
}
#else
struct cpuid_snapshot {};
inline cpuid_snapshot read_cpuid() noexcept { return {}; }
#endif

/// Whether a row's feature is present on the running CPU.
ELECTRON_DETAIL_BASELINE_ISA inline bool detect_feature([[maybe_unused]] const cpuid_snapshot& s,
                                                        [[maybe_unused]] std::uint32_t leaf,
                                                        [[maybe_unused]] cpuid_reg reg, [[maybe_unused]] unsigned bit,
                                                        os_state os) noexcept {
  if (os == os_state::arm) {
#if defined(__aarch64__) || defined(_M_ARM64) || defined(__ARM_NEON) || defined(__ARM_NEON__)
    return true;  // Advanced SIMD is mandatory on AArch64
#else
    return false;
#endif
  }
#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
  return cpuid_bit(s, leaf, reg, bit, os);
#else
  return false;
#endif
}

ELECTRON_DETAIL_BASELINE_ISA inline cpu_features detect_cpu_features() noexcept {
  cpu_features f;
  const cpuid_snapshot s = read_cpuid();
#define ELECTRON_DETAIL_X(field, name, macro, leaf, reg, bit, os) \
  f.field = detect_feature(s, leaf, cpuid_reg::reg, bit, os_state::os);
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
  return f;
}

// Plain pointers, not std::string_view: an out-of-line string_view member
// would be compiled for -march, not for the baseline.
ELECTRON_DETAIL_BASELINE_ISA inline void append(char* out, std::size_t cap, std::size_t& n, const char* s) noexcept {
  while (*s != '\0' && n < cap) out[n++] = *s++;
}
}  // namespace detail

/// The features of the CPU running this process. Detected once (thread-safe
/// static initialisation), then a load. Never executes an instruction it tests.
ELECTRON_DETAIL_BASELINE_ISA inline const cpu_features& cpu() noexcept {
  static const cpu_features features = detail::detect_cpu_features();
  return features;
}

/// Result of check_cpu(): true when this CPU has every feature the program was
/// compiled for; otherwise `missing()` names them and `message()` is a ready
/// sentence for the user.
class cpu_check {
 public:
  /// Success: nothing missing. (Compiled for the baseline ISA: check_cpu()
  /// constructs one before it knows what the CPU has.)
  ELECTRON_DETAIL_BASELINE_ISA constexpr cpu_check() noexcept {}
  constexpr explicit operator bool() const noexcept { return m_missing == 0; }
  constexpr bool ok() const noexcept { return m_missing == 0; }
  /// Mask of `feature` bits compiled for but absent.
  constexpr std::uint32_t missing() const noexcept { return m_missing; }
  /// NUL-terminated; "" when ok().
  constexpr const char* message() const noexcept { return m_message; }

 private:
  // The attribute must be on the first declaration too: GCC ignores a target
  // attribute that only a later declaration adds.
  template <std::uint32_t>
  friend ELECTRON_DETAIL_BASELINE_ISA cpu_check check_cpu_for(const cpu_features&) noexcept;
  std::uint32_t m_missing = 0;
  char m_message[256] = {};
};

/// Checks a CPU's features against `Required` (a feature mask). Compiled for
/// the baseline ISA, without library calls, so it runs on any x86-64 CPU.
template <std::uint32_t Required>
ELECTRON_DETAIL_BASELINE_ISA cpu_check check_cpu_for(const cpu_features& have) noexcept {
  cpu_check r;
  r.m_missing = Required & ~have.mask();
  if (r.m_missing == 0) return r;
  constexpr std::size_t cap = sizeof(r.m_message) - 1;
  std::size_t n = 0;
  detail::append(r.m_message, cap, n, "this program was compiled for CPU instructions this processor lacks (");
  bool first = true;
  for (const feature_info& f : feature_table) {
    if ((r.m_missing & static_cast<std::uint32_t>(f.id)) == 0) continue;
    if (!first) detail::append(r.m_message, cap, n, ", ");
    detail::append(r.m_message, cap, n, f.name);
    first = false;
  }
  detail::append(r.m_message, cap, n, "); rebuild it without -march=native or for this machine");
  r.m_message[n] = '\0';
  return r;
}

/// Returns an error (with a ready message) when this binary's TU was compiled
/// for instructions the running CPU lacks, so a program can stop with a clear
/// sentence instead of SIGILL. Call it first thing in main(), from a TU whose
/// own code does not need those instructions before the call.
/// Where the features cannot be detected (ELECTRON_CPU_DETECTION == 0) it
/// reports success rather than a false alarm.
ELECTRON_DETAIL_BASELINE_ISA inline cpu_check check_cpu() noexcept {
#if ELECTRON_CPU_DETECTION
  return check_cpu_for<compiled_features>(cpu());
#else
  return cpu_check{};
#endif
}

ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CPU_HPP
