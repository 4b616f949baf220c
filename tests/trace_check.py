#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Checks a Chrome Trace Event JSON file written by electron::trace:
#   trace_check.py FILE [key=value ...]
# Parses it with Python's json (numbers as exact decimals) and checks the
# structure the viewers need: the JSON object format, the fields of each
# event form, per-thread nesting of complete events (a child lies within its
# parent; two events of a thread never partly overlap), strictly increasing
# begin times per thread in recording order of the spans' begins, and counts.
# Expected counts, when given: X=<n> i=<n> (instants other than the drop
# reports) C=<n> M=<n> dropped=<n>
# threads=<n> (threads with a thread_name event). With forms=<dir> (a
# directory of reference traces, e.g. catapult's test data), every event must
# use a phase, keys, metadata names and instant scopes that the references
# use too. Exit 0 when all holds.
import collections
import decimal
import glob
import json
import os
import sys


def fail(msg):
    print("trace_check: " + msg)
    sys.exit(1)


def reference_forms(directory):
    """Per phase: the keys, metadata names and instant scopes the reference traces use."""
    keys = collections.defaultdict(set)
    values = collections.defaultdict(set)
    files = sorted(glob.glob(os.path.join(directory, "*.json")))
    if not files:
        fail("no reference traces in %s" % directory)
    for path in files:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
        for ev in doc["traceEvents"] if isinstance(doc, dict) else doc:
            ph = ev.get("ph")
            keys[ph].update(ev.keys())
            if ph == "M":
                values["M"].add(ev.get("name"))
            if ph == "i" and "s" in ev:
                values["i"].add(ev["s"])
    return keys, values


def check_forms(events, directory):
    keys, values = reference_forms(directory)
    for ev in events:
        ph = ev["ph"]
        if ph not in keys:
            fail("phase %r is in no reference trace" % ph)
        extra = set(ev.keys()) - keys[ph]
        if extra:
            fail("keys %r of a %r event are in no reference trace" % (sorted(extra), ph))
        if ph == "M" and ev["name"] not in values["M"]:
            fail("metadata %r is in no reference trace" % ev["name"])
        if ph == "i" and ev.get("s") not in values["i"]:
            fail("instant scope %r is in no reference trace" % ev.get("s"))


def main():
    if len(sys.argv) < 2:
        fail("usage: trace_check.py FILE [key=value ...]")
    expect = {}
    forms = None
    for kv in sys.argv[2:]:
        k, v = kv.split("=", 1)
        if k == "forms":
            forms = v
        else:
            expect[k] = int(v)
    with open(sys.argv[1], "rb") as f:
        doc = json.loads(f.read().decode("utf-8"), parse_float=decimal.Decimal)
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("not the JSON object format with a traceEvents array")
    if doc.get("displayTimeUnit") != "ns":
        fail("displayTimeUnit is not ns")
    other = doc.get("otherData", {})
    counts = collections.Counter()
    spans = collections.defaultdict(list)   # (pid, tid) -> [(begin_ns, end_ns, name)]
    points = collections.defaultdict(list)  # (pid, tid) -> [ts_ns] of instants
    named = set()
    dropped_instants = 0
    ns = decimal.Decimal(1000)
    for ev in doc["traceEvents"]:
        ph = ev.get("ph")
        counts[ph] += 1
        for field in ("name", "ph", "pid", "tid"):
            if field not in ev:
                fail("event without %s: %r" % (field, ev))
        if not isinstance(ev["tid"], int) or not isinstance(ev["pid"], int):
            fail("pid/tid not integers: %r" % ev)
        key = (ev["pid"], ev["tid"])
        if ph == "M":
            if ev["name"] not in ("thread_name", "process_name") or "name" not in ev.get("args", {}):
                fail("bad metadata event %r" % ev)
            if ev["name"] == "thread_name":
                if key in named:
                    fail("two thread_name events for %r" % (key,))
                named.add(key)
            continue
        ts = ev.get("ts")
        if not isinstance(ts, (int, decimal.Decimal)) or ts < 0:
            fail("bad ts %r" % ev)
        t = decimal.Decimal(ts) * ns
        if t != t.to_integral_value():
            fail("ts finer than a nanosecond: %r" % ev)
        if ph == "X":
            dur = ev.get("dur")
            if not isinstance(dur, (int, decimal.Decimal)) or dur < 0:
                fail("bad dur %r" % ev)
            if key not in named:
                fail("complete event before its thread's thread_name: %r" % ev)
            spans[key].append((int(t), int(t + decimal.Decimal(dur) * ns), ev["name"]))
        elif ph == "i":
            if ev.get("s") not in ("t", "p", "g"):
                fail("instant without scope %r" % ev)
            if ev["name"] == "trace_events_dropped":
                dropped_instants += ev["args"]["count"]
                counts["i"] -= 1
                counts["drop_reports"] += 1
            elif ev.get("s") == "t":
                points[key].append(int(t))
        elif ph == "C":
            args = ev.get("args")
            if not isinstance(args, dict) or not args:
                fail("counter without args %r" % ev)
        else:
            fail("unexpected phase %r" % ev)
    for key, evs in spans.items():
        # Sorted by begin, longer first on ties (there must be none); then a
        # stack walk: each span must end before the enclosing one ends.
        evs.sort(key=lambda e: (e[0], -e[1]))
        stack = []
        for b, e, name in evs:
            if e < b:
                fail("negative duration %s" % name)
            while stack and stack[-1][1] <= b:
                stack.pop()
            if stack:
                pb, pe, pname = stack[-1]
                if b == pb:
                    fail("thread %r: %s and %s begin at the same ns" % (key, pname, name))
                if e >= pe:
                    fail("thread %r: %s [%d,%d] overlaps %s [%d,%d]" % (key, name, b, e, pname, pb, pe))
            stack.append((b, e, name))
        begins = [b for b, _, _ in evs]
        if len(set(begins)) != len(begins):
            fail("thread %r: two spans begin at the same ns" % (key,))
    for key, ts_list in points.items():
        if ts_list != sorted(ts_list) or len(set(ts_list)) != len(ts_list):
            fail("thread %r: instant times not strictly increasing" % (key,))
    if other.get("dropped_events") != dropped_instants:
        fail("otherData.dropped_events %r != sum of trace_events_dropped %r" % (other.get("dropped_events"), dropped_instants))
    exported = counts["X"] + counts["i"] + counts["C"]
    if other.get("exported_events") != exported:
        fail("otherData.exported_events %r != %d events" % (other.get("exported_events"), exported))
    got = {"X": counts["X"], "i": counts["i"], "C": counts["C"], "M": counts["M"], "dropped": dropped_instants,
           "threads": len(named)}
    for k, v in expect.items():
        if got.get(k) != v:
            fail("%s: expected %d, got %r" % (k, v, got.get(k)))
    if forms:
        check_forms(doc["traceEvents"], forms)
        got["forms"] = "as in " + os.path.basename(os.path.normpath(forms))
    print("trace_check: ok %r" % got)


if __name__ == "__main__":
    main()
