// SPDX-License-Identifier: MIT
// electron/simd.hpp: vectorized byte operations.
//
// equal, index_byte, last_index_byte, count, find/contains (substring
// search) over std::string_view or std::span<const std::byte>, and batch
// operations over many keys or needles. Kernels are chosen at compile time
// (SSE2 to AVX-512BW on x86; scalar elsewhere or with ELECTRON_DISABLE_SIMD);
// every one is tested against its scalar twin. Nothing here allocates except the
// convenience overloads that return a std::vector.
//
//   std::string_view log = ...;
//   std::size_t lines = electron::simd::count(log, '\n');
//   bool has_error = electron::simd::contains(log, "ERROR");
//
// Guarantees: noexcept; no read outside the given ranges (tested with inputs
// that end at a protected page); find/contains run in O(n + m) time even on
// adversarial input (candidate verification is budgeted, then a linear-time
// search takes over; on platforms without memmem that fallback is a plain
// scan).
#ifndef ELECTRON_SIMD_HPP
#define ELECTRON_SIMD_HPP

#include "electron/config.hpp"
#include "electron/cpu.hpp"
#include "electron/detail/byte_kernels.hpp"
#include "electron/hash/functions.hpp"
#include "electron/hash/hasher.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace simd {

/// CPU features, read from electron::cpu().
inline bool has_sse42() noexcept { return cpu().sse42; }
inline bool has_avx() noexcept { return cpu().avx; }
inline bool has_avx2() noexcept { return cpu().avx2; }
/// AVX-512 F and BW (what the byte kernels use).
inline bool has_avx512() noexcept { return cpu().avx512f && cpu().avx512bw; }

/// True when a and b have the same size and bytes.
inline bool equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         detail::equal(detail::kernel_arch{}, detail::bytes_of(a), detail::bytes_of(b), a.size());
}
inline bool equal(std::span<const std::byte> a, std::span<const std::byte> b) noexcept {
  return a.size() == b.size() &&
         detail::equal(detail::kernel_arch{}, detail::bytes_of(a), detail::bytes_of(b), a.size());
}

/// Index of the first byte equal to c, or npos. Inputs up to 256 bytes
/// (AVX2, AVX-512BW; 64 with SSE2 or NEON) are scanned inline without a loop
/// or a branch on their length; longer ones call the loop.
ELECTRON_ALWAYS_INLINE std::size_t index_byte(std::string_view s, char c) noexcept {
  return detail::index_byte(detail::kernel_arch{}, detail::bytes_of(s), s.size(), static_cast<electron::byte>(c));
}
ELECTRON_ALWAYS_INLINE std::size_t index_byte(std::span<const std::byte> s, std::byte c) noexcept {
  return detail::index_byte(detail::kernel_arch{}, detail::bytes_of(s), s.size(), std::to_integer<electron::byte>(c));
}

/// Index of the last byte equal to c, or npos. Scans vectors from the end
/// (SWAR or a masked load below one vector).
///
///   std::string_view path = "/var/log/access.log";
///   std::string_view file = path.substr(electron::simd::last_index_byte(path, '/') + 1);  // "access.log"
ELECTRON_ALWAYS_INLINE std::size_t last_index_byte(std::string_view s, char c) noexcept {
  return detail::last_index_byte(detail::kernel_arch{}, detail::bytes_of(s), s.size(), static_cast<electron::byte>(c));
}
ELECTRON_ALWAYS_INLINE std::size_t last_index_byte(std::span<const std::byte> s, std::byte c) noexcept {
  return detail::last_index_byte(detail::kernel_arch{}, detail::bytes_of(s), s.size(),
                                 std::to_integer<electron::byte>(c));
}

/// Number of bytes equal to c.
ELECTRON_ALWAYS_INLINE std::size_t count(std::string_view s, char c) noexcept {
  return detail::count(detail::kernel_arch{}, detail::bytes_of(s), s.size(), static_cast<electron::byte>(c));
}
ELECTRON_ALWAYS_INLINE std::size_t count(std::span<const std::byte> s, std::byte c) noexcept {
  return detail::count(detail::kernel_arch{}, detail::bytes_of(s), s.size(), std::to_integer<electron::byte>(c));
}

/// Index of the first occurrence of needle in haystack, or npos (0 for an
/// empty needle). O(n + m).
inline std::size_t find(std::string_view haystack, std::string_view needle) noexcept {
  return detail::find(detail::kernel_arch{}, detail::bytes_of(haystack), haystack.size(), detail::bytes_of(needle),
                      needle.size());
}
inline std::size_t find(std::span<const std::byte> haystack, std::span<const std::byte> needle) noexcept {
  return detail::find(detail::kernel_arch{}, detail::bytes_of(haystack), haystack.size(), detail::bytes_of(needle),
                      needle.size());
}

/// True when needle occurs in haystack.
inline bool contains(std::string_view haystack, std::string_view needle) noexcept {
  return find(haystack, needle) != npos;
}
inline bool contains(std::span<const std::byte> haystack, std::span<const std::byte> needle) noexcept {
  return find(haystack, needle) != npos;
}

/// out[i] = hash::xxhash64(keys[i], seed). Precondition:
/// out.size() >= keys.size() (checked by ELECTRON_ASSERT).
inline void batch_hash(std::span<const std::string_view> keys, std::span<std::uint64_t> out,
                       std::uint64_t seed = 0) noexcept {
  ELECTRON_ASSERT(out.size() >= keys.size(), "batch_hash: output span too small");
  for (std::size_t i = 0; i < keys.size(); ++i) out[i] = hash::xxhash64(keys[i], seed);
}
/// Convenience: the hashes as a vector (allocates).
inline std::vector<std::uint64_t> batch_hash(std::span<const std::string_view> keys, std::uint64_t seed = 0) {
  std::vector<std::uint64_t> out(keys.size());
  batch_hash(keys, out, seed);
  return out;
}
/// out[i] = h(keys[i]) for any hash::hasher (an Electron hasher, std::hash,
/// one of the user's own). Precondition: out.size() >= keys.size() (checked
/// by ELECTRON_ASSERT). noexcept when h is.
///
///   electron::simd::batch_hash(keys, out, electron::hash::xxh3_64_hasher{});
template <hash::hasher H>
void batch_hash(std::span<const std::string_view> keys, std::span<std::uint64_t> out,
                const H& h) noexcept(std::is_nothrow_invocable_v<const H&, const std::string_view&>) {
  ELECTRON_ASSERT(out.size() >= keys.size(), "batch_hash: output span too small");
  for (std::size_t i = 0; i < keys.size(); ++i) out[i] = static_cast<std::uint64_t>(h(keys[i]));
}
/// Convenience: the hashes by h as a vector (allocates).
template <hash::hasher H>
std::vector<std::uint64_t> batch_hash(std::span<const std::string_view> keys, const H& h) {
  std::vector<std::uint64_t> out(keys.size());
  batch_hash(keys, std::span<std::uint64_t>(out), h);
  return out;
}

/// out[i] = contains(haystack, needles[i]).
/// Precondition: out.size() >= needles.size() (checked by ELECTRON_ASSERT).
inline void batch_compare(std::span<const std::string_view> needles, std::string_view haystack,
                          std::span<bool> out) noexcept {
  ELECTRON_ASSERT(out.size() >= needles.size(), "batch_compare: output span too small");
  for (std::size_t i = 0; i < needles.size(); ++i) out[i] = contains(haystack, needles[i]);
}
/// Convenience: the results as a vector (allocates).
inline std::vector<bool> batch_compare(std::span<const std::string_view> needles, std::string_view haystack) {
  std::vector<bool> out(needles.size());
  for (std::size_t i = 0; i < needles.size(); ++i) out[i] = contains(haystack, needles[i]);
  return out;
}

}  // namespace simd
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SIMD_HPP
