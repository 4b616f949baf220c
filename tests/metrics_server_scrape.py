#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Scrapes examples/metrics_server with urllib and parses the text.

Usage: metrics_server_scrape.py <metrics_server binary>

Starts the server on an ephemeral port for 4 requests: /metrics twice, a
404, then /metrics again; each scrape is parsed with prometheus_client and
the server's own request counts must match what was sent. Exit 77
(skipped) when prometheus_client is missing.
"""
import subprocess
import sys
import urllib.error
import urllib.request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("skipped: the prometheus_client module is missing (Debian: python3-prometheus-client)")
    sys.exit(77)


def scrape(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
        assert r.status == 200, r.status
        ctype = r.headers["Content-Type"]
        assert ctype.startswith("text/plain; version=0.0.4"), ctype
        text = r.read().decode("utf-8")
    samples = {}
    types = {}
    for family in text_string_to_metric_families(text):
        types[family.name] = family.type
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples, types


def main():
    server = subprocess.Popen([sys.argv[1], "0", "4"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1])
        ok = ("http_requests_total", (("code", "200"), ("path", "/metrics")))
        missing = ("http_requests_total", (("code", "404"), ("path", "other")))

        first, types = scrape(port)
        assert first[ok] == 1, first[ok]
        assert first[missing] == 0
        assert types["http_requests"] == "counter"
        assert types["http_request_duration_seconds"] == "histogram"
        for name in ("process_cpu_seconds", "process_resident_memory_bytes", "process_open_fds",
                     "process_start_time_seconds"):
            assert name in types, name
        second, _ = scrape(port)
        assert second[ok] == 2
        # The first scrape was timed after it was answered: one observation.
        count = ("http_request_duration_seconds_count", (("path", "/metrics"),))
        assert second[count] == 1, second[count]
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/nope" % port, timeout=10)
            raise AssertionError("no 404")
        except urllib.error.HTTPError as e:
            assert e.code == 404
        third, _ = scrape(port)
        assert third[ok] == 3 and third[missing] == 1, (third[ok], third[missing])
        assert third[("metrics_scrape_size_bytes", ())] > 0
        server.wait(timeout=10)
        assert server.returncode == 0, server.returncode
    finally:
        if server.poll() is None:
            server.kill()
    print("scraped metrics_server 3 times; counts and types as sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
