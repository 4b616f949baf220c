// SPDX-License-Identifier: MIT
// parse_url on the ~48,000 real URLs of the corpus url-various-datasets
// (kasztp.txt), one URL per iteration in file order, against Boost.URL's
// parse_uri_reference, uriparser's uriParseSingleUriExA (with the
// uriFreeUriMembersA its result needs) and libcurl's curl_url_set (one
// handle reused). The time per iteration is ns per URL; bytes_per_second is
// MB/s of URL text; the *_allocs variant reports allocs/op = allocations per
// URL. Without the corpus a built-in list of 16 URLs stands in (the names say
// so). Each peer is skipped when it is not installed.
#include "bench/bench_util.hpp"
#include "electron/parse/url.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_BOOST_URL)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <boost/url/parse.hpp>
ELECTRON_BENCH_PEER_HEADERS_END
#endif
#if defined(ELECTRON_BENCH_HAVE_URIPARSER)
#include <uriparser/Uri.h>
#endif
#if defined(ELECTRON_BENCH_HAVE_CURL)
#include <curl/curl.h>
#endif

namespace {

struct url_corpus {
  std::vector<std::string> urls;  // each NUL-terminated, as curl needs
  std::size_t bytes = 0;
  bool real = false;

  url_corpus() {
#if defined(ELECTRON_BENCH_CORPUS_DIR)
    std::ifstream f(std::string(ELECTRON_BENCH_CORPUS_DIR) + "/url/url-various-datasets-kasztp.txt", std::ios::binary);
    std::string line;
    while (f && std::getline(f, line)) {
      if (urls.empty() && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) urls.push_back(line);
    }
    real = !urls.empty();
#endif
    if (urls.empty()) {
      urls = {"https://www.sec.gov/edgar.shtml",
              "https://www.taxsites.com/associations2.html",
              "https://pacioli.loyola.edu/aecm/",
              "http://user:pass@example.com:8080/a/b/c?x=1&y=2#frag",
              "https://en.wikipedia.org/wiki/Uniform_Resource_Identifier",
              "https://github.com/search?q=url+parser&type=repositories",
              "http://[2001:db8::1]:443/index.html",
              "https://www.example.org/path/to/page.php?id=123&session=abc%20def",
              "http://192.168.0.1/admin/login.cgi",
              "https://news.ycombinator.com/item?id=123456",
              "https://www.google.com/maps/place/Paris/@48.8588,2.2770,12z",
              "ftp://ftp.example.net/pub/file.tar.gz",
              "https://docs.example.com/v2/reference/#section-3",
              "https://cdn.example.com/assets/img/logo.png?v=20231201",
              "http://www.ficpa.org/content/home.aspx",
              "https://shop.example.co.uk/basket?item=42&qty=3&ref=mail"};
    }
    for (const auto& u : urls) bytes += u.size();
  }
};

const url_corpus& corpus() {
  static const url_corpus c;
  return c;
}

// One URL per iteration, in file order (as a log is read), wrapping around.
template <class Parse>
void run(benchmark::State& state, Parse&& parse) {
  const auto& c = corpus();
  const std::size_t n = c.urls.size();
  std::size_t i = 0, ok = 0, bytes = 0;
  electron_bench::alloc_report allocs;
  for (auto _ : state) {
    const std::string& u = c.urls[i];
    ok += parse(u) ? 1u : 0u;
    bytes += u.size();
    if (++i == n) i = 0;
  }
  allocs.done(state);
  electron_bench::keep(ok);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  // The share of URLs this parser accepts (1 = all).
  state.counters["accepted"] = benchmark::Counter(static_cast<double>(ok), benchmark::Counter::kAvgIterations);
  if (!c.real) state.SetLabel("built-in 16 URLs (corpus absent)");
}

void electron_strict(benchmark::State& state) {
  run(state, [](const std::string& u) {
    const auto r = electron::parse::parse_url(u);
    electron_bench::keep(r);
    return static_cast<bool>(r);
  });
}
BENCHMARK(electron_strict)->Name("parse_url/electron");

void electron_lenient(benchmark::State& state) {
  run(state, [](const std::string& u) {
    const auto r = electron::parse::parse_url(u, electron::parse::url_mode::lenient);
    electron_bench::keep(r);
    return static_cast<bool>(r);
  });
}
BENCHMARK(electron_lenient)->Name("parse_url/electron_lenient");

#if defined(ELECTRON_BENCH_HAVE_BOOST_URL)
void boost_url(benchmark::State& state) {
  run(state, [](const std::string& u) {
    const auto r = boost::urls::parse_uri_reference(boost::core::string_view(u.data(), u.size()));
    electron_bench::keep(r);
    return r.has_value();
  });
}
BENCHMARK(boost_url)->Name("parse_url/boost_url");
#endif

#if defined(ELECTRON_BENCH_HAVE_URIPARSER)
void uriparser(benchmark::State& state) {
  run(state, [](const std::string& u) {
    UriUriA uri;
    const char* error = nullptr;
    const int rc = uriParseSingleUriExA(&uri, u.data(), u.data() + u.size(), &error);
    electron_bench::keep(uri.scheme.first);
    uriFreeUriMembersA(&uri);
    return rc == URI_SUCCESS;
  });
}
BENCHMARK(uriparser)->Name("parse_url/uriparser");
#endif

#if defined(ELECTRON_BENCH_HAVE_CURL)
void curl(benchmark::State& state) {
  CURLU* h = curl_url();
  run(state, [h](const std::string& u) { return curl_url_set(h, CURLUPART_URL, u.c_str(), 0) == CURLUE_OK; });
  curl_url_cleanup(h);
}
BENCHMARK(curl)->Name("parse_url/curl_url");
#endif

}  // namespace
