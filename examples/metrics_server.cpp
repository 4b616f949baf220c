// SPDX-License-Identifier: MIT
// metrics_server: serves /metrics (the Prometheus text format) over HTTP/1.1
// on 127.0.0.1 with plain POSIX sockets, counting its own requests.
//
//   metrics_server [port [requests]]
//
// port 0 (the default) takes an ephemeral port; the port is printed on the
// first line ("listening on 127.0.0.1:PORT"). With `requests`, the server
// exits after answering that many; otherwise it serves until killed.
//   curl -s http://127.0.0.1:PORT/metrics
#include "electron/metrics.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace metrics = electron::metrics;

namespace {

// Sends all of s; false when the peer went away.
bool send_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads the request head (up to the blank line); empty when the peer sent
// nothing usable.
std::string read_head(int fd) {
  std::string head;
  char buf[2048];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return {};
    head.append(buf, static_cast<std::size_t>(n));
  }
  return head;
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const long max_requests = argc > 2 ? std::atol(argv[2]) : -1;

  metrics::registry reg;
  auto& requests =
      reg.counter_family("http_requests_total", "HTTP requests served, by path and status code.", {"path", "code"});
  metrics::histogram_family_options latency_options;
  latency_options.buckets = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1};
  latency_options.unit_divisor = 1e9;  // nanoseconds recorded, seconds exported
  auto& latency =
      reg.histogram_family("http_request_duration_seconds", "Time to answer a request.", {"path"}, latency_options);
  metrics::gauge& scrape_bytes = reg.gauge_family("metrics_scrape_size_bytes", "Size of the last /metrics body.").get();
  metrics::add_process_collector(reg);
  // Series created up front: the handlers below only look them up.
  metrics::counter& ok = requests.labels({"/metrics", "200"});
  metrics::counter& not_found = requests.labels({"other", "404"});
  metrics::counter& bad = requests.labels({"other", "400"});
  metrics::histogram& metrics_latency = latency.labels({"/metrics"});
  metrics::histogram& other_latency = latency.labels({"other"});

  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) {
    std::perror("socket");
    return 1;
  }
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(listener, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 16) != 0) {
    std::perror("bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);

  std::string body;
  for (long served = 0; max_requests < 0 || served < max_requests; ++served) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const auto start = std::chrono::steady_clock::now();
    const std::string head = read_head(fd);
    const std::string_view line = std::string_view(head).substr(0, head.find("\r\n"));
    std::string response;
    metrics::histogram* timing = &other_latency;
    if (line.starts_with("GET /metrics ") || line == "GET /metrics") {
      ok.inc();  // counted before writing: a scrape sees itself
      timing = &metrics_latency;
      body.clear();
      reg.write_text(body);
      scrape_bytes.set(static_cast<std::int64_t>(body.size()));
      response = "HTTP/1.1 200 OK\r\nContent-Type: ";
      response += metrics::text_content_type;
      response += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
      response += body;
    } else if (line.starts_with("GET ")) {
      not_found.inc();
      response = "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n";
    } else {
      bad.inc();
      response = "HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbad request\n";
    }
    send_all(fd, response);
    ::close(fd);
    timing->record(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  }
  ::close(listener);
  return 0;
}
