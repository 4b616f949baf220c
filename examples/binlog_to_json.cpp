// SPDX-License-Identifier: MIT
// Reads a binary request log with io::reader and writes it as JSON Lines
// through encoding::json_writer into an io::writer: bytes in, bytes out, with
// no copy of a field and no allocation per record.
//
//   binlog_to_json                 # 5 generated records to stdout
//   binlog_to_json 100000 out.jsonl
//   binlog_to_json --file in.bin out.jsonl
//
// A record is, in order:
//   u64 LE   time in microseconds since the epoch
//   u8       method (0 GET, 1 POST, 2 PUT, 3 DELETE)
//   varint   status
//   zigzag   change in the client's queue length (signed)
//   varint   path length, then the path's bytes (UTF-8, may need escaping)
//   f64 LE   latency in milliseconds
// A truncated or malformed record stops the conversion with its offset.
#include "electron/encoding.hpp"
#include "electron/io.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

namespace eio = electron::io;
namespace enc = electron::encoding;

constexpr std::array<std::string_view, 4> methods = {"GET", "POST", "PUT", "DELETE"};

// The generator: n records with paths that need escaping now and then.
std::string make_log(std::size_t n) {
  std::string bytes;
  eio::writer out(eio::string_output(bytes), 16 * 1024);
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  std::uint64_t t = 1764547200000000ULL;  // 2025-12-01T00:00:00Z
  const std::array<std::string_view, 6> paths = {
      "/", "/api/v1/items", "/search?q=caf\xc3\xa9", "/a\"quoted\"/b", "/tab\there", "/\xe2\x82\xac/price"};
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    t += 1 + (x & 0xffff);
    const std::string_view path = paths[(x >> 20) % paths.size()];
    out.u64_le(t);
    out.u8(static_cast<std::uint8_t>((x >> 8) % methods.size()));
    out.varint((x >> 30) % 7 == 0 ? 404 : 200);
    out.zigzag(static_cast<std::int64_t>((x >> 40) % 21) - 10);
    out.varint(path.size());
    out.string(path);
    out.f64_le(static_cast<double>((x >> 12) % 100000) / 1000.0);
  }
  out.flush();
  return bytes;
}

// Converts every record of `log` to one JSON line on `out`. Returns the
// number of records, or prints the error and returns SIZE_MAX.
template <class Sink>
std::size_t convert(std::string_view log, Sink& out) {
  eio::reader in(log);
  enc::json_writer<Sink> json(out);
  std::size_t records = 0;
  while (!in.empty()) {
    const std::uint64_t time_us = in.u64_le();
    const std::uint8_t method = in.u8();
    const std::uint64_t status = in.varint();
    const std::int64_t queue_delta = in.zigzag();
    const std::string_view path = in.string(in.varint());
    const double latency_ms = in.f64_le();
    if (!in.ok() || method >= methods.size()) {
      std::fprintf(stderr, "binlog_to_json: bad record %zu at byte %zu (%s)\n", records,
                   in.ok() ? in.offset() : in.error_offset(), in.ok() ? "unknown method" : "truncated or bad varint");
      return SIZE_MAX;
    }
    if (records != 0) json.next_document("\n");
    json.begin_object();
    json.write("time_us", time_us);
    json.write("method", methods[method]);
    json.write("status", status);
    json.write("queue_delta", queue_delta);
    json.write("path", path);  // escaped as JSON needs; invalid UTF-8 becomes U+FFFD
    json.write("latency_ms", latency_ms);
    json.end_object();
    ++records;
  }
  if (records == 0) return 0;
  // The last document is complete: finish() checks that and hands every
  // byte to the writer, which then takes the last newline itself.
  if (json.finish() != enc::json_error::none) {
    std::fprintf(stderr, "binlog_to_json: %s\n", enc::json_error_message(json.error()));
    return SIZE_MAX;
  }
  out.append("\n");
  return records;
}

}  // namespace

int main(int argc, char** argv) {
  std::string log;
  const char* out_path = nullptr;
  if (argc >= 3 && std::strcmp(argv[1], "--file") == 0) {
    std::FILE* in = std::fopen(argv[2], "rb");
    if (in == nullptr) {
      std::fprintf(stderr, "binlog_to_json: cannot read %s\n", argv[2]);
      return 1;
    }
    char chunk[64 * 1024];
    for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, in)) != 0;) log.append(chunk, n);
    std::fclose(in);
    if (argc >= 4) out_path = argv[3];
  } else {
    const std::size_t n = argc >= 2 ? std::strtoull(argv[1], nullptr, 10) : 5;
    log = make_log(n);
    if (argc >= 3) out_path = argv[2];
  }

  std::FILE* file = out_path != nullptr ? std::fopen(out_path, "wb") : stdout;
  if (file == nullptr) {
    std::fprintf(stderr, "binlog_to_json: cannot write %s\n", out_path);
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  std::size_t records = 0;
  {
    eio::writer out(eio::file_output(file), 64 * 1024);
    records = convert(log, out);
    if (const std::error_code ec = out.flush()) {
      std::fprintf(stderr, "binlog_to_json: write failed: %s\n", ec.message().c_str());
      return 1;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (out_path != nullptr) std::fclose(file);
  if (records == SIZE_MAX) return 1;
  std::fprintf(stderr, "binlog_to_json: %zu records, %zu bytes in, %.1f MB/s\n", records, log.size(),
               seconds > 0 ? static_cast<double>(log.size()) / seconds / 1e6 : 0.0);
  return 0;
}
