// SPDX-License-Identifier: MIT
// electron/cpu.hpp: run-time CPU feature detection, and the check that the
// running CPU has every instruction set extension the program was compiled
// for.
//
// Every feature Electron knows is one row of ELECTRON_DETAIL_CPU_FEATURES
// (electron/cpu/detail/table.hpp); the enum, the struct's fields, the detection, the compiled-for set,
// the names and feature_table are all generated from that row.
//
// Guarantees: nothing here allocates or throws; cpu() and check_cpu() are
// thread-safe and may run from a static initialiser.
//
//   if (auto c = electron::check_cpu(); !c) { std::fputs(c.message(), stderr); return 1; }
//   std::printf("CPU has AVX2: %d\n", electron::cpu().avx2);
#ifndef ELECTRON_CPU_HPP
#define ELECTRON_CPU_HPP

#include "electron/config.hpp"
#include "electron/cpu/detail/detect.hpp"
#include "electron/cpu/detail/table.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <type_traits>

/// 1 where cpu() reads the real features (x86 with GCC or Clang, Arm); 0
/// elsewhere, where every feature reads false and check_cpu() cannot judge.
#if (ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))) || defined(__aarch64__) || defined(_M_ARM64) || \
    defined(__ARM_NEON) || defined(__ARM_NEON__)
#define ELECTRON_CPU_DETECTION 1
#else
#define ELECTRON_CPU_DETECTION 0
#endif

ELECTRON_BEGIN_NAMESPACE

/// One instruction-set extension: its position in feature_table and in a
/// feature_set.
enum class feature : std::uint8_t {
#define ELECTRON_DETAIL_X(field, ...) field = static_cast<std::uint8_t>(detail::feature_index::field),
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
};

/// How many features Electron knows (the rows of feature_table).
inline constexpr std::size_t feature_count = static_cast<std::size_t>(detail::feature_index::count);

/// A set of features (a fixed-size bit set, one bit per row of
/// feature_table). Compiled for the baseline ISA like the check that uses it.
///
///   electron::feature_set s{electron::feature::avx2, electron::feature::bmi2};
class feature_set {
 public:
  /// The empty set.
  ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set() noexcept : m_words{} {}
  /// The set of the listed features.
  ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set(std::initializer_list<feature> fs) noexcept : m_words{} {
    for (feature f : fs) insert(f);
  }
  /// Whether `f` is in the set.
  ELECTRON_DETAIL_BASELINE_ISA constexpr bool has(feature f) const noexcept {
    const auto i = static_cast<std::size_t>(f);
    return i < feature_count && ((m_words[i / 64] >> (i % 64)) & 1u) != 0;
  }
  /// Adds `f` (a value that is not a feature is ignored).
  ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set& insert(feature f) noexcept {
    const auto i = static_cast<std::size_t>(f);
    if (i < feature_count) m_words[i / 64] |= std::uint64_t{1} << (i % 64);
    return *this;
  }
  /// Whether the set is empty.
  ELECTRON_DETAIL_BASELINE_ISA constexpr bool empty() const noexcept {
    std::uint64_t any = 0;
    for (std::size_t w = 0; w < detail::feature_words; ++w) any |= m_words[w];
    return any == 0;
  }
  /// Number of features in the set.
  ELECTRON_DETAIL_BASELINE_ISA constexpr std::size_t size() const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < feature_count; ++i) n += has(static_cast<feature>(i)) ? std::size_t{1} : std::size_t{0};
    return n;
  }
  /// Union, intersection, and difference (the features of `a` not in `b`).
  friend ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set operator|(feature_set a, const feature_set& b) noexcept {
    for (std::size_t w = 0; w < detail::feature_words; ++w) a.m_words[w] |= b.m_words[w];
    return a;
  }
  friend ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set operator&(feature_set a, const feature_set& b) noexcept {
    for (std::size_t w = 0; w < detail::feature_words; ++w) a.m_words[w] &= b.m_words[w];
    return a;
  }
  friend ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set operator-(feature_set a, const feature_set& b) noexcept {
    for (std::size_t w = 0; w < detail::feature_words; ++w) a.m_words[w] &= ~b.m_words[w];
    return a;
  }
  friend ELECTRON_DETAIL_BASELINE_ISA constexpr bool operator==(const feature_set& a, const feature_set& b) noexcept {
    for (std::size_t w = 0; w < detail::feature_words; ++w) {
      if (a.m_words[w] != b.m_words[w]) return false;
    }
    return true;
  }

 private:
  std::uint64_t m_words[detail::feature_words];
};

/// A row of feature_table: what Electron knows about one feature.
struct feature_info {
  feature id;                   ///< the feature's position
  const char* name;             ///< the compilers' spelling: "avx2", "bmi", "sse4.2", ...
  const char* macro;            ///< the predefined macro that means "compiled to require it"
  bool compiled;                ///< whether this TU was compiled to require it
  std::uint32_t cpuid_leaf;     ///< the CPUID leaf that reports it; 0 for non-x86 features
  std::uint32_t cpuid_subleaf;  ///< the subleaf (ECX input)
  char cpuid_register;          ///< 'a', 'b', 'c' or 'd': the output register (EAX...EDX)
  std::uint8_t cpuid_bit;       ///< the bit in that register
};

/// Every feature Electron detects, in order: feature_table[i].id is
/// `feature(i)`. Per TU (`compiled` follows the TU's flags).
///
///   for (const auto& f : electron::feature_table) std::printf("%s ", f.name);
inline constexpr feature_info feature_table[] = {
#define ELECTRON_DETAIL_X(field, name, macro, leaf, subleaf, reg, bit, os)   \
  {feature::field,                                                           \
   name,                                                                     \
   #macro,                                                                   \
   (detail::macro_defined(#macro, ELECTRON_PP_STR(macro)) ||                 \
    detail::defined_by_other_spelling(detail::feature_index::field)) &&      \
       (detail::os_state::os == detail::os_state::arm || ELECTRON_ARCH_X86), \
   leaf,                                                                     \
   subleaf,                                                                  \
   #reg[1],                                                                  \
   bit},
    ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
};
static_assert(sizeof(feature_table) / sizeof(feature_table[0]) == feature_count);

/// Name of a feature as compilers spell it ("avx2", "avx512bw", ...); "?"
/// for a value that is not a known feature. NUL-terminated.
ELECTRON_DETAIL_BASELINE_ISA constexpr const char* feature_name(feature f) noexcept {
  const auto i = static_cast<std::size_t>(f);
  return i < feature_count ? feature_table[i].name : "?";
}

/// What the CPU running this process supports, and the OS enables (AVX,
/// AVX-512 and AMX count only when the OS saves their registers, per XGETBV).
struct cpu_features {
#define ELECTRON_DETAIL_X(field, ...) bool field = false;
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X

  /// No feature. User-provided and compiled for the baseline ISA: an
  /// implicit constructor would be compiled for -march (vector stores).
  ELECTRON_DETAIL_BASELINE_ISA constexpr cpu_features() noexcept {}

  /// The features as a feature_set.
  ELECTRON_DETAIL_BASELINE_ISA constexpr feature_set as_set() const noexcept {
    feature_set s;
#define ELECTRON_DETAIL_X(field, ...) \
  if (field) s.insert(feature::field);
    ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
    return s;
  }
  /// True when the feature is present.
  constexpr bool has(feature f) const noexcept {
    switch (f) {
#define ELECTRON_DETAIL_X(field, ...) \
  case feature::field:                \
    return field;
      ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
    }
    return false;
  }
};

/// The features this TU was compiled to require (from the compiler's
/// predefined macros).
inline constexpr feature_set compiled_features = [] {
  feature_set s;
  for (const feature_info& f : feature_table) {
    if (f.compiled) s.insert(f.id);
  }
  return s;
}();

namespace detail {
/// The features of the running CPU, from one read of the table's CPUID leaves.
ELECTRON_DETAIL_BASELINE_ISA inline cpu_features detect_cpu_features() noexcept {
  cpu_features f;
  const cpuid_snapshot s = read_cpuid();
  // The slot is a template argument so that no -O0 build calls cpuid_slot
  // (compiled for -march) at run time.
#define ELECTRON_DETAIL_X(field, name, macro, leaf, subleaf, reg, bit, os)                                           \
  f.field = detect_feature(s, std::integral_constant<std::size_t, cpuid_slot(leaf, subleaf)>::value, cpuid_reg::reg, \
                           bit, os_state::os);
  ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
  return f;
}
}  // namespace detail

/// The features of the CPU running this process. Detected once (thread-safe
/// static initialisation), then a load. Never executes an instruction it
/// tests. Safe to call from a static initialiser.
ELECTRON_DETAIL_BASELINE_ISA inline const cpu_features& cpu() noexcept {
  static const cpu_features features = detail::detect_cpu_features();
  return features;
}

class cpu_check;
namespace detail {
struct cpu_check_access;
}

/// Result of check_cpu(): true when this CPU has every feature the program was
/// compiled for; otherwise `missing()` names them and `message()` is a ready
/// sentence for the user.
class cpu_check {
 public:
  /// Success: nothing missing. (Compiled for the baseline ISA: check_cpu()
  /// constructs one before it knows what the CPU has.)
  ELECTRON_DETAIL_BASELINE_ISA constexpr cpu_check() noexcept : m_missing(), m_message{} {}
  constexpr explicit operator bool() const noexcept { return m_missing.empty(); }
  constexpr bool ok() const noexcept { return m_missing.empty(); }
  /// The features compiled for but absent.
  constexpr feature_set missing() const noexcept { return m_missing; }
  /// NUL-terminated; "" when ok(). Names every missing feature, never cut
  /// short.
  constexpr const char* message() const noexcept { return m_message; }

 private:
  // A friend class, not a friend check_cpu_for: GCC ignores a target
  // attribute that only a later declaration adds, and warns when an inline
  // definition follows a noinline declaration.
  friend struct detail::cpu_check_access;
  feature_set m_missing;
  char m_message[detail::cpu_message_size];
};

namespace detail {
struct cpu_check_access {
  ELECTRON_DETAIL_BASELINE_ISA static cpu_check make(const feature_set& required, const cpu_features& have) noexcept {
    cpu_check r;
    r.m_missing = required - have.as_set();
    if (r.m_missing.empty()) return r;
    constexpr std::size_t cap = sizeof(r.m_message) - 1;
    std::size_t n = 0;
    append(r.m_message, cap, n, cpu_message_head);
    bool first = true;
    for (std::size_t i = 0; i < feature_count; ++i) {
      if (!r.m_missing.has(static_cast<feature>(i))) continue;
      if (!first) append(r.m_message, cap, n, ", ");
      append(r.m_message, cap, n, feature_table[i].name);
      first = false;
    }
    append(r.m_message, cap, n, cpu_message_tail);
    r.m_message[n] = '\0';
    return r;
  }
};
}  // namespace detail

/// Checks a CPU's features `have` against the set `required`. Compiled for
/// the baseline ISA, and calls nothing compiled for -march (at most memset,
/// which libc picks for the running CPU), so it runs on any x86-64 CPU.
ELECTRON_DETAIL_BASELINE_ISA inline cpu_check check_cpu_for(const feature_set& required,
                                                            const cpu_features& have) noexcept {
  return detail::cpu_check_access::make(required, have);
}

/// Returns an error (with a ready message) when this binary's TU was compiled
/// for instructions the running CPU lacks, so a program can stop with a clear
/// sentence instead of SIGILL. Call it first thing in main(), or from a static
/// initialiser, in a TU whose own code does not need those instructions
/// before the call. Where the features cannot be detected
/// (ELECTRON_CPU_DETECTION == 0) it reports success rather than a false alarm.
ELECTRON_DETAIL_BASELINE_ISA inline cpu_check check_cpu() noexcept {
#if ELECTRON_CPU_DETECTION
  return check_cpu_for(compiled_features, cpu());
#else
  return cpu_check{};
#endif
}

ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CPU_HPP
