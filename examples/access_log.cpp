// SPDX-License-Identifier: MIT
// An access-log analyzer, twice: once with Electron and once with the
// standard library only. Both count requests and bytes per (path, status) in
// a Common Log Format text, on the same number of threads, and must print
// the same table; the program says how long each took.
//
//   access_log                 # 64 MiB of generated log, all hardware threads
//   access_log 200 2           # 200 MiB, 2 threads in total
//   access_log --file my.log 2 # a real log
//
// A line looks like
//   10.0.0.7 - - [01/Dec/2026:10:00:00 +0000] "GET /api/v1/items HTTP/1.1" 200 5120
// and fields 6, 8 and 9 (whitespace-separated, from 0) are path, status and
// bytes. Lines with fewer fields are counted as malformed.
#include "electron/hash.hpp"
#include "electron/sched.hpp"
#include "electron/strings.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace {

struct row {
  std::string path;
  int status = 0;
  std::uint64_t requests = 0;
  std::uint64_t bytes = 0;
  friend bool operator==(const row&, const row&) = default;
};

struct report {
  std::vector<row> rows;  // sorted by (path, status)
  std::uint64_t malformed = 0;
  friend bool operator==(const report&, const report&) = default;
};

void sort_rows(std::vector<row>& rows) {
  std::sort(rows.begin(), rows.end(),
            [](const row& a, const row& b) { return std::tie(a.path, a.status) < std::tie(b.path, b.status); });
}

/// [begin, end) offsets of about `pieces` chunks of text, each ending just
/// after a '\n' (or at the end of the text).
std::vector<std::pair<std::size_t, std::size_t>> chunks(std::string_view text, std::size_t pieces) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t step = std::max<std::size_t>(1, text.size() / std::max<std::size_t>(1, pieces));
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = std::min(text.size(), begin + step);
    if (end < text.size()) {
      const std::size_t nl = text.find('\n', end - 1);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    out.emplace_back(begin, end);
    begin = end;
  }
  return out;
}

bool parse_u64(std::string_view s, std::uint64_t& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size();
}

// ---------------------------------------------------------------------------
// Electron: lines() and fields() over the byte kernels, one interner and one
// counter table per thread (indexed by this_worker_index(), so no lock), the
// per-thread interners merged at the end.
// ---------------------------------------------------------------------------
struct status_count {
  int status;
  std::uint64_t requests;
  std::uint64_t bytes;
};

struct electron_table {
  electron::hash::string_interner paths;
  std::vector<std::vector<status_count>> counts;  // by path id; a path has few statuses
  std::uint64_t malformed = 0;

  void add(std::string_view path, int status, std::uint64_t bytes) {
    const auto [id, inserted] = paths.intern(path);
    if (inserted) counts.emplace_back();
    auto& per = counts[id];
    for (auto& c : per) {
      if (c.status == status) {
        ++c.requests;
        c.bytes += bytes;
        return;
      }
    }
    per.push_back({status, 1, bytes});
  }
};

void electron_scan(std::string_view text, electron_table& t) {
  for (const std::string_view line : electron::strings::lines(text)) {
    std::string_view path, status, bytes;
    int i = 0;
    for (const std::string_view f : electron::strings::fields(line)) {
      if (i == 6) path = f;
      if (i == 8) status = f;
      if (i == 9) {
        bytes = f;
        break;
      }
      ++i;
    }
    std::uint64_t st = 0, n = 0;
    if (bytes.empty() || !parse_u64(status, st) || !parse_u64(bytes, n)) {
      ++t.malformed;
      continue;
    }
    t.add(path, static_cast<int>(st), n);
  }
}

report electron_version(std::string_view text, electron::sched::scheduler& s) {
  const auto parts = chunks(text, 8 * s.concurrency());
  std::vector<electron_table> tables(s.concurrency());
  electron::sched::parallel_for(s, 0, parts.size(), 1, [&](std::size_t c) {
    electron_scan(text.substr(parts[c].first, parts[c].second - parts[c].first), tables[s.this_worker_index()]);
  });
  // Merge: intern every thread's paths into the first table's interner, in
  // id order (docs/hash.md, "Merging two interners").
  electron_table& all = tables[0];
  for (std::size_t w = 1; w < tables.size(); ++w) {
    electron_table& t = tables[w];
    all.malformed += t.malformed;
    for (std::uint32_t id = 0; id < t.paths.size(); ++id) {
      const std::string_view path = t.paths.at(id);
      for (const status_count& c : t.counts[id]) {
        const auto [to, inserted] = all.paths.intern(path);
        if (inserted) all.counts.emplace_back();
        bool found = false;
        for (auto& d : all.counts[to]) {
          if (d.status == c.status) {
            d.requests += c.requests;
            d.bytes += c.bytes;
            found = true;
            break;
          }
        }
        if (!found) all.counts[to].push_back(c);
      }
    }
  }
  report r;
  r.malformed = all.malformed;
  for (std::uint32_t id = 0; id < all.paths.size(); ++id) {
    for (const status_count& c : all.counts[id]) {
      r.rows.push_back({std::string(all.paths.at(id)), c.status, c.requests, c.bytes});
    }
  }
  sort_rows(r.rows);
  return r;
}

// ---------------------------------------------------------------------------
// The standard library only: string_view::find for lines and fields, one
// std::unordered_map<std::string, ...> per thread, merged at the end.
// ---------------------------------------------------------------------------
struct std_table {
  std::unordered_map<std::string, std::vector<status_count>> counts;
  std::uint64_t malformed = 0;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

void std_scan(std::string_view text, std_table& t) {
  std::string key;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::string_view f[10];
    int n = 0;
    std::size_t i = 0;
    while (n < 10) {
      while (i < line.size() && is_space(line[i])) ++i;
      if (i == line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      f[n++] = line.substr(start, i - start);
    }
    std::uint64_t st = 0, bytes = 0;
    if (n < 10 || !parse_u64(f[8], st) || !parse_u64(f[9], bytes)) {
      ++t.malformed;
      continue;
    }
    key.assign(f[6]);
    auto& per = t.counts[key];
    bool found = false;
    for (auto& c : per) {
      if (c.status == static_cast<int>(st)) {
        ++c.requests;
        c.bytes += bytes;
        found = true;
        break;
      }
    }
    if (!found) per.push_back({static_cast<int>(st), 1, bytes});
  }
}

report std_version(std::string_view text, unsigned threads) {
  const auto parts = chunks(text, 8 * threads);
  std::vector<std_table> tables(threads);
  std::atomic<std::size_t> next{0};
  auto work = [&](unsigned w) {
    for (std::size_t c; (c = next.fetch_add(1)) < parts.size();) {
      std_scan(text.substr(parts[c].first, parts[c].second - parts[c].first), tables[w]);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  std_table& all = tables[0];
  for (std::size_t w = 1; w < tables.size(); ++w) {
    all.malformed += tables[w].malformed;
    for (auto& [path, per] : tables[w].counts) {
      auto& to = all.counts[path];
      for (const status_count& c : per) {
        auto it = std::find_if(to.begin(), to.end(), [&](const status_count& d) { return d.status == c.status; });
        if (it == to.end()) {
          to.push_back(c);
        } else {
          it->requests += c.requests;
          it->bytes += c.bytes;
        }
      }
    }
  }
  report r;
  r.malformed = all.malformed;
  for (auto& [path, per] : all.counts) {
    for (const status_count& c : per) r.rows.push_back({path, c.status, c.requests, c.bytes});
  }
  sort_rows(r.rows);
  return r;
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------
std::string generate(std::size_t bytes) {
  static constexpr const char* methods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  static constexpr int statuses[] = {200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 404, 500, 503};
  std::uint64_t state = 42;
  auto next = [&] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);  // SplitMix64 (Steele, Lea and Flood, 2014)
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::vector<std::string> paths;
  for (int i = 0; i < 2000; ++i) {
    std::string p = "/api/v" + std::to_string(i % 3 + 1) + "/";
    p += (i % 5 == 0) ? "users/" : (i % 5 == 1) ? "orders/" : (i % 5 == 2) ? "static/img/" : "items/";
    p += std::to_string(next() % 100000);
    if (i % 7 == 0) p += "?page=" + std::to_string(i % 13);
    paths.push_back(std::move(p));
  }
  std::string out;
  out.reserve(bytes + 256);
  char buf[256];
  std::uint64_t n = 0;
  while (out.size() < bytes) {
    const std::uint64_t r = next();
    // A skewed path choice: a few hot paths, a long tail.
    const std::size_t pi = (r & 1) ? (r >> 8) % 20 : (r >> 8) % paths.size();
    const int len = std::snprintf(
        buf, sizeof buf, "10.%u.%u.%u - - [01/Dec/2026:10:%02u:%02u +0000] \"%s %s HTTP/1.1\" %d %u%s",
        static_cast<unsigned>((r >> 16) & 255), static_cast<unsigned>((r >> 24) & 255),
        static_cast<unsigned>((r >> 32) & 255), static_cast<unsigned>(n / 60 % 60), static_cast<unsigned>(n % 60),
        methods[(r >> 40) % 6], paths[pi].c_str(), statuses[(r >> 44) % 13], static_cast<unsigned>((r >> 48) % 100000),
        (n % 10 == 9) ? "\r\n" : "\n");
    out.append(buf, static_cast<std::size_t>(len));
    if (n % 100000 == 99999) out += "malformed line\n";
    ++n;
  }
  return out;
}

template <class F>
double median_seconds(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string text;
  int arg = 1;
  if (argc > 2 && std::string_view(argv[1]) == "--file") {
    std::FILE* f = std::fopen(argv[2], "rb");
    if (f == nullptr) {
      std::fprintf(stderr, "access_log: cannot read %s\n", argv[2]);
      return 2;
    }
    char buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    arg = 3;
  } else {
    const std::size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 64;
    text = generate(mib << 20);
    arg = 2;
  }
  const unsigned threads = argc > arg ? static_cast<unsigned>(std::strtoul(argv[arg], nullptr, 10))
                                      : std::max(1u, std::thread::hardware_concurrency());

  electron::sched::scheduler s(threads);  // `threads` in total, this one included
  report e, r;
  const double te = median_seconds(3, [&] { e = electron_version(text, s); });
  const double ts = median_seconds(3, [&] { r = std_version(text, threads); });
  if (!(e == r)) {
    std::fprintf(stderr, "access_log: the two versions disagree (%zu vs %zu rows)\n", e.rows.size(), r.rows.size());
    return 1;
  }
  std::uint64_t requests = 0;
  for (const row& x : e.rows) requests += x.requests;
  std::printf("%.1f MiB, %u threads: %llu requests, %zu (path, status) rows, %llu malformed lines\n",
              static_cast<double>(text.size()) / (1 << 20), threads, static_cast<unsigned long long>(requests),
              e.rows.size(), static_cast<unsigned long long>(e.malformed));
  std::printf("electron %.1f ms, std %.1f ms (median of 3): electron takes %.2fx the std version's time\n", te * 1e3,
              ts * 1e3, te / ts);
  return 0;
}
