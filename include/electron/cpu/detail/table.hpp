// SPDX-License-Identifier: MIT
// electron/cpu/detail/table.hpp: internal to electron/cpu.hpp. The one
// table of CPU features (ELECTRON_DETAIL_CPU_FEATURES) and the enums that
// index it.
#ifndef ELECTRON_CPU_DETAIL_TABLE_HPP
#define ELECTRON_CPU_DETAIL_TABLE_HPP

#include "electron/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

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

ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CPU_DETAIL_TABLE_HPP
