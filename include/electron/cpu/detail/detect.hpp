// SPDX-License-Identifier: MIT
// electron/cpu/detail/detect.hpp: internal to electron/cpu.hpp. Reading the
// table's features from CPUID and XCR0 (x86) or from the target (Arm),
// compiled for the baseline ISA, and the size of the check's message.
#ifndef ELECTRON_CPU_DETAIL_DETECT_HPP
#define ELECTRON_CPU_DETAIL_DETECT_HPP

#include "electron/config.hpp"
#include "electron/cpu/detail/table.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
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
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CPU_DETAIL_DETECT_HPP
