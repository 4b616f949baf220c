#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Side-by-side summary of a Google Benchmark JSON file.

Benchmarks are named group/implementation[/args], or with the implementation
at another position (find_hit/u64/1000/electron): a name whose part is one of
REFERENCES marks that position for every name of the same shape. For each
group and args the reference implementation ("electron"; "soa" for the
struct-of-arrays layouts) gets no ratio, and every other one gets its median
time divided by the reference's (above 1: Electron is faster).

    scripts/bench_summary.py build/release/bench-results/bits_bench.json [--markdown]
"""
import json
import sys
from collections import OrderedDict

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


REFERENCES = ("electron", "soa")


def shape(parts, i):
    return tuple(p if j != i else "*" for j, p in enumerate(parts))


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    runs = []
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        if b.get("error_occurred"):
            continue
        parts = b.get("run_name", b["name"]).split("/")
        if len(parts) >= 2:
            runs.append((parts, b))
    # Where the implementation sits in each shape of name: at the reference's part.
    shapes = {}
    for parts, _ in runs:
        for i, p in enumerate(parts):
            if i > 0 and p in REFERENCES:
                shapes.setdefault(shape(parts, i), (i, p))
    rows = OrderedDict()
    refs = {}
    for parts, b in runs:
        at, ref = next((shapes[shape(parts, i)] for i in range(1, len(parts)) if shape(parts, i) in shapes),
                       (1, "electron"))
        impl = parts[at]
        rest = parts[:at] + parts[at + 1:]
        group, args = rest[0], "/".join(rest[1:])
        ns = b["real_time"] * UNIT_NS.get(b.get("time_unit", "ns"), 1.0)
        extra = {k: b[k] for k in ("bytes_per_second", "items_per_second", "allocs/op", "bytes/op") if k in b}
        rows.setdefault((group, args), OrderedDict())[impl] = (ns, extra)
        refs[(group, args)] = ref
    return data.get("context", {}), rows, refs


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:9.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:9.2f} us"
    return f"{ns:9.2f} ns"


def fmt_extra(extra):
    out = []
    if "bytes_per_second" in extra:
        out.append(f"{extra['bytes_per_second'] / 1e9:7.2f} GB/s")
    elif "items_per_second" in extra:
        out.append(f"{extra['items_per_second'] / 1e6:7.1f} M/s")
    if "allocs/op" in extra:
        out.append(f"{extra['allocs/op']:.2f} allocs/op, {extra.get('bytes/op', 0):.0f} B/op")
    return "  ".join(out)


def main(argv):
    paths = [a for a in argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in argv
    if not paths:
        print(__doc__)
        return 2
    for path in paths:
        context, rows, refs = load(path)
        title = path.rsplit("/", 1)[-1].replace(".json", "")
        cpus = context.get("num_cpus", "?")
        mhz = context.get("mhz_per_cpu", "?")
        if markdown:
            print(f"\n**{title}** ({cpus} CPUs at {mhz} MHz; median; ratio = other time / Electron time)\n")
            print("| benchmark | implementation | median | throughput | ratio |")
            print("|---|---|---:|---:|---:|")
        else:
            print(f"\n{title}  ({cpus} CPUs at {mhz} MHz; ratio = other time / Electron time, >1: Electron faster)")
        for (group, args), impls in rows.items():
            ref_name = refs[(group, args)]
            ref = impls.get(ref_name)
            label = f"{group}/{args}" if args else group
            first = True
            for impl, (ns, extra) in impls.items():
                ratio = ""
                if ref and impl != ref_name:
                    r = ns / ref[0]
                    ratio = f"{r:.2f}x"
                if markdown:
                    print(f"| {label if first else ''} | {impl} | {fmt_time(ns).strip()} | {fmt_extra(extra)} | {ratio} |")
                else:
                    print(f"  {label if first else '':<26} {impl:<26} {fmt_time(ns)}  {fmt_extra(extra):<22} {ratio}")
                first = False
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
