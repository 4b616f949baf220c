// SPDX-License-Identifier: MIT
// json_writer against RapidJSON's Writer, nlohmann's dump, Boost.JSON's
// serialize and a plain writer over fmt::format_to, on the nativejson
// documents (twitter, citm_catalog, canada). Electron, RapidJSON and the fmt
// writer replay the same pre-parsed event list (numbers already int64,
// uint64 or double) into a buffer reused across iterations; nlohmann and
// Boost.JSON serialize their own DOM built once from the same text (what
// their users do). Bytes/s is the output size.
#include "bench_util.hpp"

#include "electron/encoding/json_writer.hpp"
#include "electron/strings.hpp"
#include "fuzz/json_writer_property.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wall"
#pragma clang diagnostic ignored "-Wextra"
#pragma clang diagnostic ignored "-Wconversion"
#pragma clang diagnostic ignored "-Wsign-conversion"
#pragma clang diagnostic ignored "-Wshadow"
#pragma clang diagnostic ignored "-Wold-style-cast"
#pragma clang diagnostic ignored "-Wdeprecated-copy"
#pragma clang diagnostic ignored "-Wcast-align"
#pragma clang diagnostic ignored "-Wdouble-promotion"
#pragma clang diagnostic ignored "-Wnull-dereference"
#pragma clang diagnostic ignored "-Wimplicit-fallthrough"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wuseless-cast"
#endif
#if defined(ELECTRON_BENCH_HAVE_RAPIDJSON)
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#endif
#if defined(ELECTRON_BENCH_HAVE_NLOHMANN_JSON)
#include <nlohmann/json.hpp>
#endif
#if defined(ELECTRON_BENCH_HAVE_BOOST_JSON)
#include <boost/json.hpp>
#endif
#if defined(ELECTRON_BENCH_HAVE_FMT)
#include <fmt/format.h>
#endif
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace {

namespace enc = electron::encoding;

// One pre-parsed event.
struct json_event {
  enum kind_t : std::uint8_t {
    null,
    yes,
    no,
    i64,
    u64,
    dbl,
    str,
    key,
    begin_object,
    end_object,
    begin_array,
    end_array
  };
  kind_t kind;
  std::string_view text;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
};

struct json_doc {
  std::string text;
  std::vector<std::string> strings;  // owns the decoded strings
  std::vector<json_event> events;
};

json_doc load(const std::string& name) {
  json_doc doc;
#if defined(ELECTRON_BENCH_CORPUS_DIR)
  std::ifstream f(std::string(ELECTRON_BENCH_CORPUS_DIR) + "/encoding/json/nativejson-benchmark/data/" + name,
                  std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  doc.text = ss.str();
#else
  (void)name;
#endif
  std::vector<electron_fuzz::json_model::event> ev;
  if (doc.text.empty() || !electron_fuzz::json_model::parse(doc.text, ev)) return doc;
  doc.strings.reserve(ev.size());
  using E = electron_fuzz::json_model::event;
  for (const E& e : ev) {
    json_event j{};
    switch (e.kind) {
      case E::null:
        j.kind = json_event::null;
        break;
      case E::boolean_true:
        j.kind = json_event::yes;
        break;
      case E::boolean_false:
        j.kind = json_event::no;
        break;
      case E::begin_object:
        j.kind = json_event::begin_object;
        break;
      case E::end_object:
        j.kind = json_event::end_object;
        break;
      case E::begin_array:
        j.kind = json_event::begin_array;
        break;
      case E::end_array:
        j.kind = json_event::end_array;
        break;
      case E::string:
      case E::key:
        doc.strings.push_back(e.text);
        j.kind = e.kind == E::key ? json_event::key : json_event::str;
        j.text = doc.strings.back();
        break;
      case E::number: {
        if (e.text.find_first_of(".eE") == std::string::npos) {
          const auto v = electron::parse::parse_int<std::int64_t>(e.text);
          if (v) {
            j.kind = json_event::i64;
            j.i = v.value;
            break;
          }
          const auto u = electron::parse::parse_uint<std::uint64_t>(e.text);
          if (u) {
            j.kind = json_event::u64;
            j.u = u.value;
            break;
          }
        }
        j.kind = json_event::dbl;
        j.d = std::strtod(e.text.c_str(), nullptr);
        break;
      }
    }
    doc.events.push_back(j);
  }
  return doc;
}

const json_doc& document(int which) {
  static const json_doc docs[3] = {load("twitter.json"), load("citm_catalog.json"), load("canada.json")};
  return docs[which];
}

// The same loop for every event-driven writer.
template <class W>
inline void replay_electron(W& w, const std::vector<json_event>& events) {
  for (const json_event& e : events) {
    switch (e.kind) {
      case json_event::null:
        w.null();
        break;
      case json_event::yes:
        w.boolean(true);
        break;
      case json_event::no:
        w.boolean(false);
        break;
      case json_event::i64:
        w.number(e.i);
        break;
      case json_event::u64:
        w.number(e.u);
        break;
      case json_event::dbl:
        w.number(e.d);
        break;
      case json_event::str:
        w.string(e.text);
        break;
      case json_event::key:
        w.key(e.text);
        break;
      case json_event::begin_object:
        w.begin_object();
        break;
      case json_event::end_object:
        w.end_object();
        break;
      case json_event::begin_array:
        w.begin_array();
        break;
      case json_event::end_array:
        w.end_array();
        break;
    }
  }
}

void bm_electron_builder(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  electron::strings::builder b;
  std::size_t bytes = 0;
  for (auto _ : state) {
    b.clear();
    enc::json_writer<electron::strings::builder> w(b);
    replay_electron(w, doc.events);
    w.finish();
    bytes = b.size();
    electron_bench::keep(b.view().data());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void bm_electron_string(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  std::string s;
  std::size_t bytes = 0;
  for (auto _ : state) {
    s.clear();
    enc::json_writer<std::string> w(s);
    replay_electron(w, doc.events);
    w.finish();
    bytes = s.size();
    electron_bench::keep(s.data());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

// The replay loop alone (each call only counts): the floor every
// event-driven writer here pays for the dispatch over the event list.
struct counting_writer {
  std::size_t n = 0;
  void null() { ++n; }
  void boolean(bool v) { n += v ? 1 : 2; }
  template <class T>
  void number(T v) {
    n += static_cast<std::size_t>(v != T{});
  }
  void string(std::string_view v) { n += v.size(); }
  void key(std::string_view v) { n += v.size(); }
  void begin_object() { ++n; }
  void end_object() { ++n; }
  void begin_array() { ++n; }
  void end_array() { ++n; }
};

void bm_dispatch_only(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  for (auto _ : state) {
    counting_writer w;
    electron_bench::escape(w);
    replay_electron(w, doc.events);
    electron_bench::keep(w.n);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(doc.events.size()));
}

#if defined(ELECTRON_BENCH_HAVE_RAPIDJSON)
void bm_rapidjson(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  rapidjson::StringBuffer sb;
  std::size_t bytes = 0;
  for (auto _ : state) {
    sb.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    for (const json_event& e : doc.events) {
      switch (e.kind) {
        case json_event::null:
          w.Null();
          break;
        case json_event::yes:
          w.Bool(true);
          break;
        case json_event::no:
          w.Bool(false);
          break;
        case json_event::i64:
          w.Int64(e.i);
          break;
        case json_event::u64:
          w.Uint64(e.u);
          break;
        case json_event::dbl:
          w.Double(e.d);
          break;
        case json_event::str:
          w.String(e.text.data(), static_cast<rapidjson::SizeType>(e.text.size()));
          break;
        case json_event::key:
          w.Key(e.text.data(), static_cast<rapidjson::SizeType>(e.text.size()));
          break;
        case json_event::begin_object:
          w.StartObject();
          break;
        case json_event::end_object:
          w.EndObject();
          break;
        case json_event::begin_array:
          w.StartArray();
          break;
        case json_event::end_array:
          w.EndArray();
          break;
      }
    }
    bytes = sb.GetSize();
    electron_bench::keep(sb.GetString());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
#endif

#if defined(ELECTRON_BENCH_HAVE_NLOHMANN_JSON)
void bm_nlohmann(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  const nlohmann::json j = nlohmann::json::parse(doc.text);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string s = j.dump();
    bytes = s.size();
    electron_bench::keep(s.data());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
#endif

#if defined(ELECTRON_BENCH_HAVE_BOOST_JSON)
void bm_boost_json(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  const boost::json::value v = boost::json::parse(doc.text);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string s = boost::json::serialize(v);
    bytes = s.size();
    electron_bench::keep(s.data());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
#endif

#if defined(ELECTRON_BENCH_HAVE_FMT)
// A plain writer: fmt::format_to for numbers ("{}" is the shortest round
// trip), a byte loop for string escaping, commas by a first-flag stack.
struct fmt_writer {
  fmt::memory_buffer& out;
  std::vector<bool> first;
  bool after_key = false;
  void sep() {
    if (after_key) {
      after_key = false;
      return;
    }
    if (!first.empty()) {
      if (!first.back()) out.push_back(',');
      first.back() = false;
    }
  }
  void str(std::string_view s) {
    out.push_back('"');
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u == '"' || u == '\\') {
        out.push_back('\\');
        out.push_back(c);
      } else if (u < 0x20) {
        fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
      } else {
        out.push_back(c);
      }
    }
    out.push_back('"');
  }
};

void bm_fmt(benchmark::State& state, int which) {
  const json_doc& doc = document(which);
  if (doc.events.empty()) return state.SkipWithError("corpus not found");
  fmt::memory_buffer out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    fmt_writer w{out, {}};
    for (const json_event& e : doc.events) {
      switch (e.kind) {
        case json_event::null:
          w.sep();
          fmt::format_to(std::back_inserter(out), "null");
          break;
        case json_event::yes:
          w.sep();
          fmt::format_to(std::back_inserter(out), "true");
          break;
        case json_event::no:
          w.sep();
          fmt::format_to(std::back_inserter(out), "false");
          break;
        case json_event::i64:
          w.sep();
          fmt::format_to(std::back_inserter(out), "{}", e.i);
          break;
        case json_event::u64:
          w.sep();
          fmt::format_to(std::back_inserter(out), "{}", e.u);
          break;
        case json_event::dbl:
          w.sep();
          fmt::format_to(std::back_inserter(out), "{}", e.d);
          break;
        case json_event::str:
          w.sep();
          w.str(e.text);
          break;
        case json_event::key:
          w.sep();
          w.str(e.text);
          out.push_back(':');
          w.after_key = true;
          break;
        case json_event::begin_object:
        case json_event::begin_array:
          w.sep();
          out.push_back(e.kind == json_event::begin_object ? '{' : '[');
          w.first.push_back(true);
          break;
        case json_event::end_object:
        case json_event::end_array:
          out.push_back(e.kind == json_event::end_object ? '}' : ']');
          w.first.pop_back();
          break;
      }
    }
    bytes = out.size();
    electron_bench::keep(out.data());
    electron_bench::clobber();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
#endif

const int registered = [] {
  const char* names[3] = {"twitter", "citm_catalog", "canada"};
  for (int d = 0; d < 3; ++d) {
    const std::string base = std::string("json_write/") + names[d] + "/";
    benchmark::RegisterBenchmark((base + "electron").c_str(), bm_electron_builder, d);
    benchmark::RegisterBenchmark((base + "electron_std_string").c_str(), bm_electron_string, d);
    benchmark::RegisterBenchmark((base + "replay_loop_only").c_str(), bm_dispatch_only, d);
#if defined(ELECTRON_BENCH_HAVE_RAPIDJSON)
    benchmark::RegisterBenchmark((base + "rapidjson").c_str(), bm_rapidjson, d);
#endif
#if defined(ELECTRON_BENCH_HAVE_NLOHMANN_JSON)
    benchmark::RegisterBenchmark((base + "nlohmann_dump").c_str(), bm_nlohmann, d);
#endif
#if defined(ELECTRON_BENCH_HAVE_BOOST_JSON)
    benchmark::RegisterBenchmark((base + "boost_json_serialize").c_str(), bm_boost_json, d);
#endif
#if defined(ELECTRON_BENCH_HAVE_FMT)
    benchmark::RegisterBenchmark((base + "fmt_format_to").c_str(), bm_fmt, d);
#endif
  }
  return 0;
}();

}  // namespace
