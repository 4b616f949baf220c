#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Parses Electron's Prometheus text exposition with prometheus_client.

Usage: metrics_prometheus_parse.py <metrics_export_test binary> [corpus dir]

Runs the binary's hidden "[.python]" test case, which writes a registry
with every metric type, awkward label values and special floats (and the
process collector) to exposition.txt, and what it recorded to
expected.json. The text is parsed with prometheus_client's
text_string_to_metric_families (Debian's python3-prometheus-client) and
every recorded sample must come back with its labels, value and family
type.

With the corpus directory, the Go server's text of
metrics/prometheus-common-expfmt-testdata-text.txt is parsed too, its
families handed to the binary's hidden "[.python_rebuild]" test, and what
Electron's text_writer writes from them must be byte-equal to the original.
Exit 77 (skipped) when prometheus_client is missing.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("skipped: the prometheus_client module is missing (Debian: python3-prometheus-client)")
    sys.exit(77)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, ELECTRON_METRICS_EXPORT_OUT=d)
        subprocess.run([binary, "[.python]"], env=env, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, "exposition.txt"), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(d, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)

    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in samples:
                print("duplicate sample", key)
                return 1
            samples[key] = (family.type, s.value)

    failures = 0
    for type_, _family, name, labels, value in expected:
        key = (name, tuple(sorted(labels.items())))
        if key not in samples:
            print("missing sample", key)
            failures += 1
            continue
        got_type, got = samples.pop(key)
        want = float(value)
        if got_type != type_ or not same(got, want):
            print("mismatch", key, "parsed", got_type, got, "recorded", type_, want)
            failures += 1

    process = {
        "process_cpu_seconds_total": "counter",
        "process_open_fds": "gauge",
        "process_max_fds": "gauge",
        "process_virtual_memory_bytes": "gauge",
        "process_resident_memory_bytes": "gauge",
        "process_start_time_seconds": "gauge",
    }
    for (name, labels), (type_, value) in samples.items():
        if name not in process or labels or process[name] != type_ or not value >= 0:
            print("unexpected sample", name, labels, type_, value)
            failures += 1
    if sys.platform.startswith("linux") and len(samples) != len(process):
        print("process families missing:", sorted(set(process) - {n for n, _ in samples}))
        failures += 1

    if failures:
        print(failures, "failures")
        return 1
    print(len(expected), "recorded samples and", len(samples), "process samples parsed back by prometheus_client")
    if len(sys.argv) > 2:
        return rebuild(binary, os.path.join(sys.argv[2], "metrics", "prometheus-common-expfmt-testdata-text.txt"))
    return 0


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def rebuild(binary, path):
    if not os.path.exists(path):
        print("skipped the rebuild: corpus file not found:", path)
        return 0
    with open(path, encoding="utf-8") as f:
        original = f.read()
    lines = []
    families = 0
    for family in text_string_to_metric_families(original):
        families += 1
        type_ = "untyped" if family.type == "unknown" else family.type
        name = family.name
        if type_ == "counter" and family.samples and all(s.name == name + "_total" for s in family.samples):
            name += "_total"
        lines.append("\t".join(["F", type_, escape(name), escape(family.documentation)]))
        for s in family.samples:
            fields = ["S", escape(s.name), repr(s.value), str(len(s.labels))]
            for k, v in s.labels.items():
                fields += [escape(k), escape(v)]
            fields.append("" if s.timestamp is None else str(int(round(float(s.timestamp) * 1000))))
            lines.append("\t".join(fields))
    with tempfile.TemporaryDirectory() as d:
        spec = os.path.join(d, "spec.tsv")
        with open(spec, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        env = dict(os.environ, ELECTRON_METRICS_EXPORT_OUT=d, ELECTRON_METRICS_REBUILD_SPEC=spec)
        subprocess.run([binary, "[.python_rebuild]"], env=env, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, "rebuilt.txt"), encoding="utf-8") as f:
            rebuilt = f.read()
    if rebuilt != original:
        a, b = original.splitlines(), rebuilt.splitlines()
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                print("rebuilt text differs at line", i + 1, ":", repr(x), "vs", repr(y))
                break
        print("lengths", len(original), len(rebuilt))
        return 1
    print(families, "families of the Go server's text rebuilt byte for byte (%d bytes)" % len(original))
    return 0


if __name__ == "__main__":
    sys.exit(main())
