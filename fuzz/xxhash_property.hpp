// SPDX-License-Identifier: MIT
// A property over bytes, shared by tests/hash_test.cpp (fuzz_bytes) and
// fuzz/xxhash_fuzz.cpp (libFuzzer): xxhash64_state fed in pieces whose
// lengths come from the input agrees with the one-shot xxhash64 after every
// piece; xxhash64 and xxh3_64 give the same value at another alignment,
// through both overloads and through their hashers; and, when a reference
// is given (libxxhash's XXH64 and XXH3_64bits_withSeed), both are bit-exact
// with it. There is no streaming XXH3 to check.
//
// Layout of the input: [seed mode][cuts][repeats], an 8-byte seed when the
// mode asks for one, the piece lengths, then the payload. The data hashed is
// the payload repeated (each copy XORed with its index, so it is not
// periodic): with libFuzzer's 512-byte inputs that still reaches every
// length class of XXH3, including more than one 1 KiB block.
#ifndef ELECTRON_FUZZ_XXHASH_PROPERTY_HPP
#define ELECTRON_FUZZ_XXHASH_PROPERTY_HPP

#include "electron/hash.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace electron_fuzz {

/// No reference implementation: only the self-consistency checks run.
struct no_xxhash_reference {};

/// The property; Reference is no_xxhash_reference, or has
/// xxh64(const void*, std::size_t, std::uint64_t) and
/// xxh3_64(const void*, std::size_t, std::uint64_t) returning the
/// reference values.
template <class Reference = no_xxhash_reference>
struct xxhash_property {
  Reference reference{};

  bool operator()(std::span<const std::byte> data) const {
    namespace eh = electron::hash;
    std::size_t pc = 0;
    auto next = [&]() -> std::uint8_t { return pc < data.size() ? static_cast<std::uint8_t>(data[pc++]) : 0; };
    const std::uint8_t seed_mode = next(), cuts_byte = next(), repeats_byte = next();
    std::uint64_t seed = 0;
    switch (seed_mode & 3) {
      case 0:
        break;
      case 1:
        seed = seed_mode >> 2;
        break;
      case 2:
        for (int i = 0; i < 8; ++i) seed |= std::uint64_t{next()} << (8 * i);
        break;
      default:  // near 2^64: the seed arithmetic wraps
        seed = ~std::uint64_t{0} - (seed_mode >> 2);
        break;
    }
    std::vector<std::size_t> pieces(cuts_byte & 7);
    for (auto& p : pieces) p = next();
    const std::size_t repeats = (repeats_byte & 0x80) != 0 ? 1 + (repeats_byte & 7) : 1;
    const std::span<const std::byte> payload = data.subspan(std::min(pc, data.size()));
    std::vector<std::byte> text;
    text.reserve(payload.size() * repeats);
    for (std::size_t r = 0; r < repeats; ++r) {
      for (const std::byte b : payload) text.push_back(b ^ static_cast<std::byte>(r));
    }
    const std::span<const std::byte> all(text);
    const std::string_view all_chars(reinterpret_cast<const char*>(text.data()), text.size());

    const std::uint64_t want = eh::xxhash64(all, seed);
    if (eh::xxhash64(all_chars, seed) != want || eh::xxhash64_hasher{seed}(all_chars) != want) return false;

    // Streaming: the given piece lengths (clamped), then the rest; string and
    // byte overloads in turn; the digest of every prefix on the way.
    eh::xxhash64_state state(seed);
    std::size_t done = 0;
    for (std::size_t i = 0; i <= pieces.size(); ++i) {
      const std::size_t n = i < pieces.size() ? std::min(pieces[i], all.size() - done) : all.size() - done;
      if (i % 2 == 0) {
        state.update(all.subspan(done, n));
      } else {
        state.update(all_chars.substr(done, n));
      }
      done += n;
      if (state.digest() != eh::xxhash64(all.first(done), seed)) return false;
    }
    if (state.digest() != want) return false;
    state.reset(seed ^ 1);
    state.update(all).reset(seed);
    if (state.update(all_chars).digest() != want) return false;

    // The same bytes at another alignment.
    const std::size_t offset = 1 + (cuts_byte >> 3);
    std::vector<std::byte> moved(offset + text.size());
    std::copy(text.begin(), text.end(), moved.begin() + static_cast<std::ptrdiff_t>(offset));
    const std::span<const std::byte> shifted = std::span<const std::byte>(moved).subspan(offset);
    if (eh::xxhash64(shifted, seed) != want) return false;

    const std::uint64_t want3 = eh::xxh3_64(all, seed);
    if (eh::xxh3_64(all_chars, seed) != want3 || eh::xxh3_64(shifted, seed) != want3) return false;
    if (eh::xxh3_64_hasher{seed}(all_chars) != static_cast<std::size_t>(want3)) return false;

    if constexpr (!std::is_same_v<Reference, no_xxhash_reference>) {
      if (reference.xxh64(text.data(), text.size(), seed) != want) return false;
      if (reference.xxh3_64(text.data(), text.size(), seed) != want3) return false;
    }
    return true;
  }
};

}  // namespace electron_fuzz

#endif  // ELECTRON_FUZZ_XXHASH_PROPERTY_HPP
