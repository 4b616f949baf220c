// SPDX-License-Identifier: MIT
// electron/cpu.hpp: run-time CPU feature detection, and the check that the
// running CPU has every instruction set extension the program was compiled
// for.
//
// Every feature Electron knows is one row of ELECTRON_DETAIL_CPU_FEATURES
// below; the enum, the struct's fields, the detection, the compiled-for set,
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

// The one table of CPU features. Columns:
//   field   the cpu_features member and the `feature` enumerator
//   name    the compilers' spelling (-m<name>, __builtin_cpu_supports)
//   macro   the predefined macro that says the TU was compiled to require it
//   leaf, subleaf, reg, bit   where CPUID reports it (Intel SDM vol. 2A,
//           CPUID; AMD APM vol. 3, appendix E); leaf 0 means "not an x86
//           feature"
//   os      what the OS must enable for it to be usable: none; xsave
//           (CR4.OSXSAVE, CPUID.1:ECX[27]); ymm (XCR0 saves XMM and YMM:
//           every VEX-encoded extension); zmm (plus opmask, ZMM_Hi256 and
//           Hi16_ZMM: AVX-512); tile (XCR0 saves TILECFG and TILEDATA: AMX);
//           or arm: present on AArch64 and on 32-bit Arm builds compiled with
//           NEON, which is all cpu() knows there.
// Every x86 macro that g++ and clang++ define for some -march beyond the
// x86-64 baseline is a row here, or is listed with its reason in
// tests/cpu_feature_macros.py, which checks the compilers against this table.
// PKU reads OSPKE (ECX[4], "the OS enabled it") rather than PKU (ECX[3]).
// The row order is the bit order of `feature`: append, never reorder.
#define ELECTRON_DETAIL_CPU_FEATURES(X)                                                  \
  X(sse42, "sse4.2", __SSE4_2__, 1, 0, ecx, 20, none)                                    \
  X(popcnt, "popcnt", __POPCNT__, 1, 0, ecx, 23, none)                                   \
  X(avx, "avx", __AVX__, 1, 0, ecx, 28, ymm)                                             \
  X(avx2, "avx2", __AVX2__, 7, 0, ebx, 5, ymm)                                           \
  X(fma, "fma", __FMA__, 1, 0, ecx, 12, ymm)                                             \
  X(bmi1, "bmi", __BMI__, 7, 0, ebx, 3, none)                                            \
  X(bmi2, "bmi2", __BMI2__, 7, 0, ebx, 8, none)                                          \
  X(lzcnt, "lzcnt", __LZCNT__, 0x80000001u, 0, ecx, 5, none)                             \
  X(avx512f, "avx512f", __AVX512F__, 7, 0, ebx, 16, zmm)                                 \
  X(avx512bw, "avx512bw", __AVX512BW__, 7, 0, ebx, 30, zmm)                              \
  X(avx512vpopcntdq, "avx512vpopcntdq", __AVX512VPOPCNTDQ__, 7, 0, ecx, 14, zmm)         \
  X(neon, "neon", __ARM_NEON, 0, 0, eax, 0, arm)                                         \
  X(sse3, "sse3", __SSE3__, 1, 0, ecx, 0, none)                                          \
  X(ssse3, "ssse3", __SSSE3__, 1, 0, ecx, 9, none)                                       \
  X(sse41, "sse4.1", __SSE4_1__, 1, 0, ecx, 19, none)                                    \
  X(crc32, "crc32", __CRC32__, 1, 0, ecx, 20, none)                                      \
  X(pclmul, "pclmul", __PCLMUL__, 1, 0, ecx, 1, none)                                    \
  X(cx16, "cx16", __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16, 1, 0, ecx, 13, none)              \
  X(movbe, "movbe", __MOVBE__, 1, 0, ecx, 22, none)                                      \
  X(aes, "aes", __AES__, 1, 0, ecx, 25, none)                                            \
  X(xsave, "xsave", __XSAVE__, 1, 0, ecx, 26, xsave)                                     \
  X(f16c, "f16c", __F16C__, 1, 0, ecx, 29, ymm)                                          \
  X(rdrnd, "rdrnd", __RDRND__, 1, 0, ecx, 30, none)                                      \
  X(fsgsbase, "fsgsbase", __FSGSBASE__, 7, 0, ebx, 0, none)                              \
  X(sgx, "sgx", __SGX__, 7, 0, ebx, 2, none)                                             \
  X(rtm, "rtm", __RTM__, 7, 0, ebx, 11, none)                                            \
  X(avx512dq, "avx512dq", __AVX512DQ__, 7, 0, ebx, 17, zmm)                              \
  X(rdseed, "rdseed", __RDSEED__, 7, 0, ebx, 18, none)                                   \
  X(adx, "adx", __ADX__, 7, 0, ebx, 19, none)                                            \
  X(avx512ifma, "avx512ifma", __AVX512IFMA__, 7, 0, ebx, 21, zmm)                        \
  X(clflushopt, "clflushopt", __CLFLUSHOPT__, 7, 0, ebx, 23, none)                       \
  X(clwb, "clwb", __CLWB__, 7, 0, ebx, 24, none)                                         \
  X(avx512pf, "avx512pf", __AVX512PF__, 7, 0, ebx, 26, zmm)                              \
  X(avx512er, "avx512er", __AVX512ER__, 7, 0, ebx, 27, zmm)                              \
  X(avx512cd, "avx512cd", __AVX512CD__, 7, 0, ebx, 28, zmm)                              \
  X(sha, "sha", __SHA__, 7, 0, ebx, 29, none)                                            \
  X(avx512vl, "avx512vl", __AVX512VL__, 7, 0, ebx, 31, zmm)                              \
  X(prefetchwt1, "prefetchwt1", __PREFETCHWT1__, 7, 0, ecx, 0, none)                     \
  X(avx512vbmi, "avx512vbmi", __AVX512VBMI__, 7, 0, ecx, 1, zmm)                         \
  X(pku, "pku", __PKU__, 7, 0, ecx, 4, none)                                             \
  X(waitpkg, "waitpkg", __WAITPKG__, 7, 0, ecx, 5, none)                                 \
  X(avx512vbmi2, "avx512vbmi2", __AVX512VBMI2__, 7, 0, ecx, 6, zmm)                      \
  X(shstk, "shstk", __SHSTK__, 7, 0, ecx, 7, none)                                       \
  X(gfni, "gfni", __GFNI__, 7, 0, ecx, 8, none)                                          \
  X(vaes, "vaes", __VAES__, 7, 0, ecx, 9, ymm)                                           \
  X(vpclmulqdq, "vpclmulqdq", __VPCLMULQDQ__, 7, 0, ecx, 10, ymm)                        \
  X(avx512vnni, "avx512vnni", __AVX512VNNI__, 7, 0, ecx, 11, zmm)                        \
  X(avx512bitalg, "avx512bitalg", __AVX512BITALG__, 7, 0, ecx, 12, zmm)                  \
  X(rdpid, "rdpid", __RDPID__, 7, 0, ecx, 22, none)                                      \
  X(kl, "kl", __KL__, 7, 0, ecx, 23, none)                                               \
  X(cldemote, "cldemote", __CLDEMOTE__, 7, 0, ecx, 25, none)                             \
  X(movdiri, "movdiri", __MOVDIRI__, 7, 0, ecx, 27, none)                                \
  X(movdir64b, "movdir64b", __MOVDIR64B__, 7, 0, ecx, 28, none)                          \
  X(enqcmd, "enqcmd", __ENQCMD__, 7, 0, ecx, 29, none)                                   \
  X(avx5124vnniw, "avx5124vnniw", __AVX5124VNNIW__, 7, 0, edx, 2, zmm)                   \
  X(avx5124fmaps, "avx5124fmaps", __AVX5124FMAPS__, 7, 0, edx, 3, zmm)                   \
  X(uintr, "uintr", __UINTR__, 7, 0, edx, 5, none)                                       \
  X(avx512vp2intersect, "avx512vp2intersect", __AVX512VP2INTERSECT__, 7, 0, edx, 8, zmm) \
  X(serialize, "serialize", __SERIALIZE__, 7, 0, edx, 14, none)                          \
  X(tsxldtrk, "tsxldtrk", __TSXLDTRK__, 7, 0, edx, 16, none)                             \
  X(pconfig, "pconfig", __PCONFIG__, 7, 0, edx, 18, none)                                \
  X(amx_bf16, "amx-bf16", __AMX_BF16__, 7, 0, edx, 22, tile)                             \
  X(avx512fp16, "avx512fp16", __AVX512FP16__, 7, 0, edx, 23, zmm)                        \
  X(amx_tile, "amx-tile", __AMX_TILE__, 7, 0, edx, 24, tile)                             \
  X(amx_int8, "amx-int8", __AMX_INT8__, 7, 0, edx, 25, tile)                             \
  X(avxvnni, "avxvnni", __AVXVNNI__, 7, 1, eax, 4, ymm)                                  \
  X(avx512bf16, "avx512bf16", __AVX512BF16__, 7, 1, eax, 5, zmm)                         \
  X(hreset, "hreset", __HRESET__, 7, 1, eax, 22, none)                                   \
  X(xsaveopt, "xsaveopt", __XSAVEOPT__, 0xD, 1, eax, 0, xsave)                           \
  X(xsavec, "xsavec", __XSAVEC__, 0xD, 1, eax, 1, xsave)                                 \
  X(xsaves, "xsaves", __XSAVES__, 0xD, 1, eax, 3, xsave)                                 \
  X(ptwrite, "ptwrite", __PTWRITE__, 0x14, 0, ebx, 4, none)                              \
  X(widekl, "widekl", __WIDEKL__, 0x19, 0, ebx, 2, none)                                 \
  X(abm, "abm", __ABM__, 0x80000001u, 0, ecx, 5, none)                                   \
  X(sse4a, "sse4a", __SSE4A__, 0x80000001u, 0, ecx, 6, none)                             \
  X(prfchw, "prfchw", __PRFCHW__, 0x80000001u, 0, ecx, 8, none)                          \
  X(xop, "xop", __XOP__, 0x80000001u, 0, ecx, 11, ymm)                                   \
  X(lwp, "lwp", __LWP__, 0x80000001u, 0, ecx, 15, none)                                  \
  X(fma4, "fma4", __FMA4__, 0x80000001u, 0, ecx, 16, ymm)                                \
  X(tbm, "tbm", __TBM__, 0x80000001u, 0, ecx, 21, none)                                  \
  X(mwaitx, "mwaitx", __MWAITX__, 0x80000001u, 0, ecx, 29, none)                         \
  X(amd3dnowa, "3dnowa", __3dNOW_A__, 0x80000001u, 0, edx, 30, none)                     \
  X(amd3dnow, "3dnow", __3dNOW__, 0x80000001u, 0, edx, 31, none)                         \
  X(clzero, "clzero", __CLZERO__, 0x80000008u, 0, ebx, 0, none)                          \
  X(wbnoinvd, "wbnoinvd", __WBNOINVD__, 0x80000008u, 0, ebx, 9, none)                    \
  X(sahf, "sahf", __LAHF_SAHF__, 0x80000001u, 0, ecx, 0, none)

ELECTRON_BEGIN_NAMESPACE

namespace detail {
enum class feature_index : std::uint8_t {
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

/// True when the compiler names the row `index` by a second macro that
/// says the same: clang++ 14 spells the AMX ones __AMXTILE__, ...
constexpr bool defined_by_other_spelling([[maybe_unused]] feature_index index) noexcept {
#if defined(__AMXTILE__)
  if (index == feature_index::amx_tile) return true;
#endif
#if defined(__AMXINT8__)
  if (index == feature_index::amx_int8) return true;
#endif
#if defined(__AMXBF16__)
  if (index == feature_index::amx_bf16) return true;
#endif
  return false;
}

enum class cpuid_reg : std::uint8_t { eax, ebx, ecx, edx };
enum class os_state : std::uint8_t { none, xsave, ymm, zmm, tile, arm };

inline constexpr std::size_t feature_words = (static_cast<std::size_t>(feature_index::count) + 63) / 64;
}  // namespace detail

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
/// The CPUID leaves and subleaves the table uses.
struct cpuid_query {
  std::uint32_t leaf, subleaf;
};
inline constexpr cpuid_query cpuid_queries[] = {{1, 0},    {7, 0},    {7, 1},           {0xD, 1},
                                                {0x14, 0}, {0x19, 0}, {0x80000001u, 0}, {0x80000008u, 0}};
inline constexpr std::size_t cpuid_query_count = sizeof(cpuid_queries) / sizeof(cpuid_queries[0]);
constexpr std::size_t cpuid_slot(std::uint32_t leaf, std::uint32_t subleaf) noexcept {
  for (std::size_t i = 0; i < cpuid_query_count; ++i) {
    if (cpuid_queries[i].leaf == leaf && cpuid_queries[i].subleaf == subleaf) return i;
  }
  return cpuid_query_count;
}
#define ELECTRON_DETAIL_X(field, name, macro, leaf, subleaf, reg, bit, os)                      \
  static_assert(os_state::os == os_state::arm || cpuid_slot(leaf, subleaf) < cpuid_query_count, \
                "add the row's CPUID leaf to cpuid_queries");                                   \
  static_assert((bit) < 32);
ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X

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
  // Members set by read_cpuid, not by initializers: an implicit constructor
  // would be compiled for -march, not for the baseline.
  cpuid_regs regs[cpuid_query_count];  // in the order of cpuid_queries
  bool osxsave;                        // CR4.OSXSAVE: XGETBV and XSAVE usable
  std::uint64_t xcr0;                  // 0 without OSXSAVE
};
ELECTRON_DETAIL_BASELINE_ISA inline cpuid_snapshot read_cpuid() noexcept {
  // Constants, so that cpuid_slot (compiled for -march) is never called.
  constexpr std::size_t leaf1 = cpuid_slot(1, 0);
  constexpr std::size_t leaf7 = cpuid_slot(7, 0);
  cpuid_snapshot s;
  for (cpuid_regs& r : s.regs) r.eax = r.ebx = r.ecx = r.edx = 0;
  const std::uint32_t max_leaf = cpuid(0, 0).eax;
  const std::uint32_t max_ext = cpuid(0x80000000u, 0).eax;
  for (std::size_t i = 0; i < cpuid_query_count; ++i) {
    const cpuid_query q = cpuid_queries[i];
    // A leaf above the maximum returns another leaf's data on Intel CPUs.
    bool valid = q.leaf >= 0x80000000u ? q.leaf <= max_ext : q.leaf <= max_leaf;
    if (q.leaf == 7 && q.subleaf != 0) valid = valid && q.subleaf <= s.regs[leaf7].eax;
    if (valid) s.regs[i] = cpuid(q.leaf, q.subleaf);
  }
  s.osxsave = ((s.regs[leaf1].ecx >> 27) & 1u) != 0;
  s.xcr0 = s.osxsave ? xgetbv0() : 0;
  return s;
}
ELECTRON_DETAIL_BASELINE_ISA inline bool cpuid_bit(const cpuid_snapshot& s, std::size_t slot, cpuid_reg reg,
                                                   unsigned bit, os_state os) noexcept {
  const cpuid_regs& r = s.regs[slot];
  const std::uint32_t word = reg == cpuid_reg::eax   ? r.eax
                             : reg == cpuid_reg::ebx ? r.ebx
                             : reg == cpuid_reg::ecx ? r.ecx
                                                     : r.edx;
  bool os_ok = false;
  switch (os) {
    case os_state::none:
      os_ok = true;
      break;
    case os_state::xsave:
      os_ok = s.osxsave;
      break;
    case os_state::ymm:
      os_ok = (s.xcr0 & 0x6u) == 0x6u;
      break;  // XMM, YMM
    case os_state::zmm:
      os_ok = (s.xcr0 & 0xE6u) == 0xE6u;
      break;  // plus opmask, ZMM_Hi256, Hi16_ZMM
    case os_state::tile:
      os_ok = (s.xcr0 & 0x60000u) == 0x60000u;
      break;  // TILECFG, TILEDATA
    case os_state::arm:
      os_ok = false;
      break;
  }
  return ((word >> bit) & 1u) != 0 && os_ok;
}
#else
struct cpuid_snapshot {};
inline cpuid_snapshot read_cpuid() noexcept { return {}; }
#endif

/// Whether a row's feature is present on the running CPU.
ELECTRON_DETAIL_BASELINE_ISA inline bool detect_feature([[maybe_unused]] const cpuid_snapshot& s,
                                                        [[maybe_unused]] std::size_t slot,
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
  return cpuid_bit(s, slot, reg, bit, os);
#else
  return false;
#endif
}

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

// Plain pointers, not std::string_view: an out-of-line string_view member
// would be compiled for -march, not for the baseline.
ELECTRON_DETAIL_BASELINE_ISA inline void append(char* out, std::size_t cap, std::size_t& n, const char* s) noexcept {
  while (*s != '\0' && n < cap) out[n++] = *s++;
}

inline constexpr char cpu_message_head[] = "this program was compiled for CPU instructions this processor lacks (";
inline constexpr char cpu_message_tail[] = "); rebuild it without -march=native or for this machine";
/// Room for the message naming every feature at once, and its NUL: it is
/// never cut short.
inline constexpr std::size_t cpu_message_size = sizeof(cpu_message_head) - 1 + sizeof(cpu_message_tail) - 1 +
                                                1
#define ELECTRON_DETAIL_X(field, name, ...) +(sizeof(name) - 1 + 2)
                                                ELECTRON_DETAIL_CPU_FEATURES(ELECTRON_DETAIL_X)
#undef ELECTRON_DETAIL_X
    ;
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
