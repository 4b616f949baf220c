// SPDX-License-Identifier: MIT
// Tests for the text tools of electron/strings.hpp (lines, split, split_any,
// fields, cut, cut_last, trim): tables of Python's results for the tricky
// cases, randomized comparisons with std-only reference splitters, range
// concepts and std::ranges algorithms, and the no-allocation claim.
#include "electron/strings.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>
#include <random>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace es = electron::strings;
namespace et = electron::test;
using namespace std::string_view_literals;

// The views are forward, common, borrowed views; their iterators forward
// iterators yielding string_view by value.
template <class V>
constexpr bool text_view = std::ranges::forward_range<V>&& std::ranges::borrowed_range<V>&& std::ranges::view<V>&&
    std::ranges::common_range<V>&& std::forward_iterator<std::ranges::iterator_t<V>>&&
        std::same_as<std::ranges::range_value_t<V>, std::string_view>&&
            std::same_as<std::ranges::range_reference_t<V>, std::string_view>&& std::is_nothrow_copy_constructible_v<V>;
static_assert(text_view<es::lines_view> && text_view<es::split_view> && text_view<es::split_any_view> &&
              text_view<es::fields_view>);
static_assert(!std::ranges::sized_range<es::lines_view> && !std::ranges::bidirectional_range<es::lines_view>);
static_assert(noexcept(es::lines(""sv)) && noexcept(es::split(""sv, ',')) && noexcept(es::cut(""sv, ',')) && noexcept(
    es::trim(""sv)) && noexcept(*es::fields(""sv).begin()) && noexcept(++es::lines(""sv).begin()));
static_assert(es::trim(" \t x y \r\n"sv) == "x y" && es::trim_left("  x "sv) == "x " &&
              es::trim_right("  x "sv) == "  x" && es::trim("--a-b--"sv, "-"sv) == "a-b");

namespace {

template <class R>
std::vector<std::string> collect(R&& r) {
  std::vector<std::string> out;
  for (std::string_view piece : r) out.emplace_back(piece);
  return out;
}
std::vector<std::string> strings_of(std::initializer_list<std::string_view> l) { return {l.begin(), l.end()}; }

// ---------------------------------------------------------------------------
// Reference splitters, written with std::string_view's own searches.
// ---------------------------------------------------------------------------
constexpr std::string_view ws = " \t\n\v\f\r";

std::vector<std::string> ref_lines(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
    s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
  }
  return out;
}
std::vector<std::string> ref_split_any(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  for (;;) {
    const std::size_t at = s.find_first_of(seps);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s = s.substr(at + 1);
  }
}
std::vector<std::string> ref_fields(std::string_view s) {
  std::vector<std::string> out;
  for (;;) {
    const std::size_t from = s.find_first_not_of(ws);
    if (from == std::string_view::npos) return out;
    s = s.substr(from);
    const std::size_t to = s.find_first_of(ws);
    out.emplace_back(s.substr(0, to));
    if (to == std::string_view::npos) return out;
    s = s.substr(to);
  }
}
std::vector<std::string> ref_fields_any(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  for (;;) {
    const std::size_t from = s.find_first_not_of(seps);
    if (from == std::string_view::npos) return out;
    s = s.substr(from);
    const std::size_t to = s.find_first_of(seps);
    out.emplace_back(s.substr(0, to));
    if (to == std::string_view::npos) return out;
    s = s.substr(to);
  }
}
std::string_view ref_trim_left(std::string_view s, std::string_view set) {
  const std::size_t i = s.find_first_not_of(set);
  return i == std::string_view::npos ? s.substr(s.size()) : s.substr(i);
}
std::string_view ref_trim_right(std::string_view s, std::string_view set) {
  const std::size_t i = s.find_last_not_of(set);
  return i == std::string_view::npos ? s.substr(0, 0) : s.substr(0, i + 1);
}

// Every piece lies inside the text (the views never copy).
template <class R>
bool inside(R&& r, std::string_view text) {
  for (std::string_view piece : r) {
    if (piece.data() < text.data() || piece.data() + piece.size() > text.data() + text.size()) return false;
  }
  return true;
}

struct piece_case {
  std::string_view in;
  std::vector<std::string_view> want;
};
std::vector<std::string> strings_of(const std::vector<std::string_view>& l) { return {l.begin(), l.end()}; }

}  // namespace

// Expected values below were produced by Python 3: lines as documented (no
// Python function has exactly these rules), split(',') by str.split(','),
// split_any by re.split('[=;]', s), fields by bytes.split(), trim by
// bytes.strip()/lstrip()/rstrip() and str.strip('-x').
TEST_CASE("lines: the documented cases", "[strings][text][lines]") {
  const std::vector<piece_case> cases = {
      {"", {}},
      {"a", {"a"}},
      {"a\n", {"a"}},
      {"\n", {""}},
      {"\n\n", {"", ""}},
      {"a\r\nb", {"a", "b"}},
      {"a\r", {"a\r"}},
      {"\r", {"\r"}},
      {"\r\n", {""}},
      {"\r\r\n", {"\r"}},
      {"a\nb", {"a", "b"}},
      {"a\nb\n", {"a", "b"}},
      {"a\n\nb", {"a", "", "b"}},
      {"\r\n\r\n", {"", ""}},
      {"a\rb\r\n", {"a\rb"}},
      {"\x80\n\xff", {"\x80", "\xff"}},
      {"x\r\ny\r\n", {"x", "y"}},
      {"a\0b\n\0"sv, {"a\0b"sv, "\0"sv}},
  };
  for (const auto& c : cases) {
    INFO("input of " << c.in.size() << " bytes: " << c.in);
    CHECK(collect(es::lines(c.in)) == strings_of(c.want));
    CHECK(collect(es::lines(c.in)) == ref_lines(c.in));
  }
  CHECK(collect(es::lines(std::string_view{})).empty());
}

TEST_CASE("split and split_any: Python's str.split(sep)", "[strings][text][split]") {
  const std::vector<piece_case> comma = {
      {"", {""}},
      {"a", {"a"}},
      {",", {"", ""}},
      {"a,,b", {"a", "", "b"}},
      {"a,", {"a", ""}},
      {",a", {"", "a"}},
      {",,", {"", "", ""}},
      {"a,b,c", {"a", "b", "c"}},
      {"\x80,\xff", {"\x80", "\xff"}},
  };
  for (const auto& c : comma) {
    INFO(c.in);
    CHECK(collect(es::split(c.in, ',')) == strings_of(c.want));
    CHECK(collect(es::split_any(c.in, ",")) == strings_of(c.want));
  }
  const std::vector<piece_case> any = {
      {"", {""}},
      {"k=v;x=y", {"k", "v", "x", "y"}},
      {"=;", {"", "", ""}},
      {";;", {"", "", ""}},
      {"a=;b", {"a", "", "b"}},
      {"abc", {"abc"}},
      {"=\x80;", {"", "\x80", ""}},
  };
  for (const auto& c : any) {
    INFO(c.in);
    CHECK(collect(es::split_any(c.in, "=;")) == strings_of(c.want));
  }
  CHECK(collect(es::split(std::string_view{}, ',')) == strings_of({""}));
  CHECK(collect(es::split_any("a,b", "")) == strings_of({"a,b"}));
  CHECK(collect(es::split("a\0b"sv, '\0')) == strings_of({"a", "b"}));
  CHECK(collect(es::split("\x80\xff\x80"sv, '\xff')) == strings_of({"\x80", "\x80"}));
  // More than 8 separators: the table path of index_any.
  CHECK(collect(es::split_any("a0b1c2d3e4f5g6h7i8j9k", "0123456789")) ==
        strings_of({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}));
}

TEST_CASE("fields: Python's bytes.split() (ASCII whitespace runs)", "[strings][text][fields]") {
  const std::vector<piece_case> cases = {
      {"", {}},
      {" ", {}},
      {"  a \t b\n", {"a", "b"}},
      {"a", {"a"}},
      {"a b", {"a", "b"}},
      {"\x80 \xff", {"\x80", "\xff"}},
      {"\t\n\v\f\r", {}},
      {"x\vy", {"x", "y"}},
      {"a\x1c"
       "b",
       {"a\x1c"
        "b"}},  // str.split() would split here; ASCII whitespace only
      {"  lead", {"lead"}},
      {"trail  ", {"trail"}},
      {"\xa0"
       "a\xa0",
       {"\xa0"
        "a\xa0"}},  // no-break space (Latin-1) is not ASCII whitespace
      {"a\0b"sv, {"a\0b"sv}},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(collect(es::fields(c.in)) == strings_of(c.want));
  }
  CHECK(es::ascii_whitespace == ws);
}

TEST_CASE("fields over a byte set: runs of any separator, no empty fields", "[strings][text][fields]") {
  CHECK(collect(es::fields("a,,b;", ",;")) == strings_of({"a", "b"}));
  CHECK(collect(es::fields(",;,", ",;")).empty());
  CHECK(collect(es::fields("", ",")).empty());
  CHECK(collect(es::fields("abc", "")) == strings_of({"abc"}));
  CHECK(collect(es::fields("", "")).empty());
  CHECK(collect(es::fields("x\x80y\xff\x80z", "\x80\xff")) == strings_of({"x", "y", "z"}));
  CHECK(collect(es::fields("a\0b"sv, "\0"sv)) == strings_of({"a", "b"}));
  static_assert(text_view<es::fields_any_view>);
  static_assert(noexcept(es::fields(""sv, ","sv))&& noexcept(es::cut_any(""sv, ","sv)));
}

TEST_CASE("trim, trim_left, trim_right: Python's strip, lstrip, rstrip", "[strings][text][trim]") {
  struct trim_case {
    std::string_view in, both, left, right;
  };
  const std::vector<trim_case> spaces = {
      {"", "", "", ""},
      {" ", "", "", ""},
      {" \t key \r\n", "key", "key \r\n", " \t key"},
      {"a", "a", "a", "a"},
      {"\vx\f", "x", "x\f", "\vx"},
      {"\x80 ", "\x80", "\x80 ", "\x80"},
      {"  \xa0  ", "\xa0", "\xa0  ", "  \xa0"},
      {"\0 "sv, "\0"sv, "\0 "sv, "\0"sv},
  };
  for (const auto& c : spaces) {
    INFO(c.in);
    CHECK(es::trim(c.in) == c.both);
    CHECK(es::trim_left(c.in) == c.left);
    CHECK(es::trim_right(c.in) == c.right);
    CHECK(es::trim(c.in, ws) == c.both);
  }
  const std::vector<trim_case> set = {
      {"", "", "", ""},     {"--a-b--", "a-b", "a-b--", "--a-b"}, {"xxx", "", "", ""},
      {"a", "a", "a", "a"}, {"-x-ax-x", "a", "ax-x", "-x-a"},
  };
  for (const auto& c : set) {
    INFO(c.in);
    CHECK(es::trim(c.in, "-x") == c.both);
    CHECK(es::trim_left(c.in, "-x") == c.left);
    CHECK(es::trim_right(c.in, "x-") == c.right);
  }
  CHECK(es::trim("abc", "") == "abc");
  CHECK(es::trim("\xff\x80 a\x80", "\x80\xff") == " a");
  // The results are views of the input.
  const std::string_view s = "  mid  ";
  CHECK(es::trim(s).data() == s.data() + 2);
  CHECK(es::trim_right(s).data() == s.data());
}

TEST_CASE("cut and cut_last", "[strings][text][cut]") {
  auto same = [](es::cut_result r, std::string_view before, std::string_view after, bool found) {
    return r.before == before && r.after == after && r.found == found;
  };
  CHECK(same(es::cut("key=value=x", '='), "key", "value=x", true));
  CHECK(same(es::cut("novalue", '='), "novalue", "", false));
  CHECK(same(es::cut("", '='), "", "", false));
  CHECK(same(es::cut("=", '='), "", "", true));
  CHECK(same(es::cut("a=", '='), "a", "", true));
  CHECK(same(es::cut("\x80\xff\x80", '\xff'), "\x80", "\x80", true));
  CHECK(same(es::cut("a: b: c", ": "), "a", "b: c", true));
  CHECK(same(es::cut("a: b: c", ":: "), "a: b: c", "", false));
  CHECK(same(es::cut("abc", ""), "", "abc", true));
  CHECK(same(es::cut_any("k: v=1", "=:"), "k", " v=1", true));
  CHECK(same(es::cut_any("k v", "=:"), "k v", "", false));
  CHECK(same(es::cut_any("k=v", ""), "k=v", "", false));
  CHECK(same(es::cut_any("", "="), "", "", false));
  CHECK(same(es::cut_last("/var/log/a.log", '/'), "/var/log", "a.log", true));
  CHECK(same(es::cut_last("a.log", '/'), "a.log", "", false));
  CHECK(same(es::cut_last("", '/'), "", "", false));
  CHECK(same(es::cut_last("/", '/'), "", "", true));
  // Structured bindings, and views of the input.
  const std::string_view line = "GET /index.html HTTP/1.1";
  const auto [method, rest, found] = es::cut(line, ' ');
  CHECK((method == "GET" && found && rest.data() == line.data() + 4));
  const auto not_found = es::cut(line, '#');
  CHECK(not_found.after.data() == line.data() + line.size());
  // Long inputs (the loop paths of the kernels).
  std::string big(1000, 'a');
  big[10] = '=';
  big[900] = '=';
  CHECK(es::cut(big, '=').before.size() == 10);
  CHECK(es::cut_last(big, '=').before.size() == 900);
  CHECK(es::cut(big, "a=a").before.size() == 9);
}

TEST_CASE("text views agree with the std references on random text", "[strings][text][random]") {
  std::mt19937 rng(2024);
  // Separators, whitespace, CR/LF, NUL and bytes >= 0x80, with letters.
  const char alphabet[] = {'a', 'b',  'c',  '\n', '\r', ',',    ';',    '=',
                           ' ', '\t', '\v', '\f', '\0', '\x80', '\xff', '\xa0'};
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::size_t n = round < 600 ? static_cast<std::size_t>(round % 40) : rng() % 700;
    // Mostly letters in some rounds, so that pieces are long (the loop paths).
    const unsigned dense = rng() % 4;
    std::string text(n, 'x');
    for (auto& c : text) c = (dense == 0 && rng() % 32 != 0) ? 'a' : alphabet[rng() % sizeof alphabet];
    // A copy that ends at the end of its own allocation, for ASan.
    const std::unique_ptr<char[]> exact(new char[n + 1]);
    if (n != 0) std::memcpy(exact.get() + 1, text.data(), n);
    const std::string_view s(exact.get() + 1, n);

    INFO("round " << round << ", " << n << " bytes");
    CHECK(collect(es::lines(s)) == ref_lines(s));
    CHECK(collect(es::split(s, ',')) == ref_split_any(s, ","));
    CHECK(collect(es::split(s, '\0')) == ref_split_any(s, "\0"sv));
    CHECK(collect(es::split_any(s, ",;=")) == ref_split_any(s, ",;="));
    CHECK(collect(es::split_any(s, "\n\r\x80")) == ref_split_any(s, "\n\r\x80"));
    CHECK(collect(es::split_any(s, ",;=\n\r\t\v\f\x80\xff")) == ref_split_any(s, ",;=\n\r\t\v\f\x80\xff"));
    CHECK(collect(es::fields(s)) == ref_fields(s));
    CHECK(collect(es::fields(s, ws)) == ref_fields(s));
    CHECK(collect(es::fields(s, ",;")) == ref_fields_any(s, ",;"));
    CHECK(collect(es::fields(s, "\0\x80\xff ,;=\n\r\t\v"sv)) == ref_fields_any(s, "\0\x80\xff ,;=\n\r\t\v"sv));
    const auto any = es::cut_any(s, ";\x80");
    const std::size_t any_at = s.find_first_of(";\x80");
    CHECK(any.found == (any_at != std::string_view::npos));
    CHECK(any.before == s.substr(0, any_at));
    CHECK(any.after == (any.found ? s.substr(any_at + 1) : std::string_view{}));
    CHECK(es::trim_left(s) == ref_trim_left(s, ws));
    CHECK(es::trim_right(s) == ref_trim_right(s, ws));
    CHECK(es::trim(s, "a\n\x80") == ref_trim_right(ref_trim_left(s, "a\n\x80"), "a\n\x80"));
    CHECK((inside(es::lines(s), s) && inside(es::split(s, ','), s) && inside(es::fields(s), s)));
    const auto [before, after, found] = es::cut(s, ';');
    const std::size_t at = s.find(';');
    CHECK(found == (at != std::string_view::npos));
    CHECK(before == s.substr(0, at));
    CHECK(after == (found ? s.substr(at + 1) : std::string_view{}));
    const auto last = es::cut_last(s, '\n');
    const std::size_t rat = s.rfind('\n');
    CHECK(last.found == (rat != std::string_view::npos));
    CHECK(last.before == s.substr(0, rat));
    CHECK(last.after == (last.found ? s.substr(rat + 1) : std::string_view{}));
    ++checked;
  }
  CHECK(checked == 3000);
}

TEST_CASE("text views work with range-for, std::ranges algorithms and views", "[strings][text][ranges]") {
  const std::string_view log = "a 200\nb 404\r\nc 200\n\nd 500";
  CHECK(std::ranges::distance(es::lines(log)) == 5);
  CHECK(std::ranges::count_if(es::lines(log), [](std::string_view l) { return l.ends_with("200"); }) == 2);
  CHECK(std::ranges::equal(es::split("x,y,z", ','), std::vector<std::string_view>{"x", "y", "z"}));
  // Borrowed: an iterator into a temporary view is not std::ranges::dangling.
  const auto it = std::ranges::find(es::lines(log), "c 200"sv);
  static_assert(!std::is_same_v<std::remove_const_t<decltype(it)>, std::ranges::dangling>);
  CHECK(*it == "c 200");
  CHECK((*it).data() == log.data() + 13);
#if !defined(__clang__) || __clang_major__ >= 15
  // Composes with std::views. (clang 14 cannot instantiate libstdc++ 12's
  // view adaptors over any view: their view_interface base is checked while
  // they are incomplete.)
  auto codes = es::lines(log) | std::views::filter([](std::string_view l) { return !l.empty(); }) |
               std::views::transform([](std::string_view l) { return es::cut(l, ' ').after; });
  CHECK(std::ranges::equal(codes, std::vector<std::string_view>{"200", "404", "200", "500"}));
  CHECK(std::ranges::equal(es::fields("  a  b ") | std::views::take(1), std::vector<std::string_view>{"a"}));
#endif
  // view_interface: empty(), operator bool, front().
  CHECK(es::lines("").empty());
  CHECK_FALSE(es::split("", ',').empty());
  CHECK(es::fields(" x y").front() == "x");
  CHECK(static_cast<bool>(es::fields(" \t ")) == false);
  // Forward iterators: multi-pass, copies advance independently, post-increment.
  const auto v = es::split("1,22,333", ',');
  auto a = v.begin();
  auto b = a;
  CHECK(*a++ == "1");
  CHECK(*a == "22");
  CHECK(*b == "1");
  CHECK(++b == a);
  CHECK(a != v.end());
  CHECK(std::next(a, 2) == v.end());
  CHECK(collect(v) == collect(v));
  CHECK(es::lines_view{}.begin() == es::lines_view{}.end());
  CHECK(v.text() == "1,22,333");
  CHECK(es::lines_view::iterator{} == es::lines("").end());
}

TEST_CASE("text views and functions allocate nothing", "[strings][text][alloc]") {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "10.0.0." + std::to_string(i % 7) + " - - [01/Dec/2026] \"GET /p/" + std::to_string(i % 13) +
            " HTTP/1.1\" " + (i % 5 == 0 ? "404" : "200") + " 512\r\n";
  }
  std::size_t total = 0, lines = 0, fields = 0;
  CHECK(et::check_no_alloc([&] {
    for (std::string_view line : es::lines(text)) {
      ++lines;
      for (std::string_view f : es::fields(line)) {
        ++fields;
        total += es::trim(f, "\"[]").size();
      }
      for (std::string_view f : es::split(line, '"')) total += f.size();
      for (std::string_view f : es::split_any(line, "[]")) total += f.size();
      total += es::cut(line, ' ').before.size() + es::cut_last(line, ' ').after.size() +
               es::cut(line, "HTTP/").after.size() + es::trim(line).size();
    }
    total += static_cast<std::size_t>(std::ranges::distance(es::lines(text)));
    et::do_not_optimize(total);
  }));
  CHECK(lines == 200);
  CHECK(fields == 200 * 9);
}

TEST_CASE("as_bytes and as_string_view sit next to std::as_bytes", "[strings][text]") {
  const std::string s = "abc";
  using electron::strings::as_bytes;
  using std::as_bytes;
  // Unqualified calls pick one function each: std::as_bytes takes only spans.
  const std::span<const std::byte> from_view = as_bytes(std::string_view(s));
  const std::span<const std::byte> from_span = as_bytes(std::span<const char>(s.data(), s.size()));
  CHECK(from_view.data() == from_span.data());
  CHECK(es::as_string_view(from_span) == "abc");
}

TEST_CASE("the access-log loop of docs/strings.md", "[strings][text][example]") {
  const std::string_view log =
      "10.0.0.7 - - [01/Dec/2026:12:00:00] \"GET /index.html HTTP/1.1\" 200 512 \"curl/8.0\"\r\n"
      "10.0.0.8 - - [01/Dec/2026:12:00:01] \"GET /api?id=3 HTTP/1.1\" 404 0 \"curl/8.0\"\n"
      "garbage line\n"
      "\n"
      "10.0.0.9 - - [01/Dec/2026:12:00:02] \"POST /api HTTP/1.1\" 500 17 \"Go-http-client/1.1\"";
  std::map<std::string, std::size_t, std::less<>> per_path;
  std::size_t per_status[6] = {};
  for (std::string_view line : es::lines(log)) {
    auto [before, rest, ok] = es::cut(line, '"');
    auto [request, tail, closed] = es::cut(rest, '"');
    if (!ok || !closed) continue;
    auto fields = es::fields(request);
    auto it = std::ranges::next(fields.begin());
    if (it == fields.end()) continue;
    auto [path, query, has_query] = es::cut(*it, '?');
    auto [status, bytes, _] = es::cut(es::trim(tail), ' ');
    if (status.size() == 3 && status[0] >= '1' && status[0] <= '5') ++per_status[status[0] - '0'];
    auto slot = per_path.find(path);
    if (slot == per_path.end()) slot = per_path.emplace(path, 0).first;
    ++slot->second;
  }
  CHECK(per_status[2] == 1);
  CHECK(per_status[4] == 1);
  CHECK(per_status[5] == 1);
  CHECK(per_path == std::map<std::string, std::size_t, std::less<>>{{"/index.html", 1}, {"/api", 2}});
  auto cells = es::split("a,,b", ',');
  std::vector<std::string_view> kept(cells.begin(), cells.end());
  CHECK(kept == std::vector<std::string_view>{"a", "", "b"});
  auto [dir, file, found] = es::cut_last("/var/log/access.log", '/');
  CHECK((dir == "/var/log" && file == "access.log" && found));
}
