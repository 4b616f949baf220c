#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the CPU feature table (electron/cpu/detail/table.hpp) against the compilers' macros.

check_cpu() can only refuse a CPU for an extension it knows. For g++ and
clang++ (each that is installed), for -march=native and every -march value
the compiler accepts with -m64, every macro the compiler defines beyond
those of -march=x86-64 must be a row of ELECTRON_DETAIL_CPU_FEATURES or be
listed below with the reason it needs no run-time check. Conversely every
x86 row's macro must be one a compiler defines for -m<name>, so a
misspelled macro or name cannot silently switch a row off.

    tests/cpu_feature_macros.py include/electron/cpu/detail/table.hpp [compiler...]
    exit 0 ok, 1 bad, 77 skipped (no compiler found)
"""
import os
import re
import shutil
import subprocess
import sys

# Macros beyond the x86-64 baseline that are not instruction-set extensions.
NOT_FEATURES = {
    # INVPCID (clang++) is a privileged instruction: only a kernel runs it.
    "__INVPCID__",
    # clang++ 14's spelling of the AMX rows' macros; cpu.hpp reads both
    # (detail::defined_by_other_spelling).
    "__AMXTILE__",
    "__AMXINT8__",
    "__AMXBF16__",
}
NOT_FEATURE_PATTERNS = [
    re.compile(r"^__tune_\w+__$"),  # -mtune's CPU name: __tune_skylake__
    re.compile(r"^__[a-z][a-z0-9_]*$"),  # -march's CPU name: __k8, __corei7__
    # Consequences of a row, not extensions: FMA makes fma() fast (g++),
    # AVX512FP16 gives _Float16 its <float.h> limits (clang++).
    re.compile(r"^__FP_FAST_FMA\w*$"),
    re.compile(r"^__FLT16_\w+__$"),
]

ROW = re.compile(r'X\((\w+), "([^"]+)", (\w+), (0x[0-9A-Fa-f]+u?|\d+), (\d+), (e[a-d]x), (\d+), (\w+)\)')
DEFINE = re.compile(r"^#define (\w+)(?:\s|$)")
ENV = dict(os.environ, LC_ALL="C")  # the diagnostics' wording, with ASCII quotes


def macros(cxx, flags):
    r = subprocess.run([cxx, "-m64", *flags, "-dM", "-E", "-x", "c++", "-"], input="", capture_output=True,
                       text=True, env=ENV)
    if r.returncode != 0:
        return None
    return {m.group(1) for m in map(DEFINE.match, r.stdout.splitlines()) if m}


def march_values(cxx):
    r = subprocess.run([cxx, "-march=electron-no-such-cpu", "-E", "-x", "c++", "-"], input="",
                       capture_output=True, text=True, env=ENV)
    text = r.stderr
    # g++: "valid arguments to '-march=' switch are: a b c"; clang++: "note:
    # valid target CPU values are: a, b, c".
    m = re.search(r"valid (?:arguments to .{1,3}-march=.{1,3} switch|target CPU values) are:([^\n]*)", text)
    if m is None:
        return []
    return [v for v in re.split(r"[,\s]+", m.group(1).strip()) if v and v != "native"]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: cpu_feature_macros.py table.hpp [compiler...]")
    rows = [m.groups() for m in ROW.finditer(open(sys.argv[1]).read())]
    x86 = {macro: name for (_f, name, macro, _l, _s, _r, _b, os) in rows if os != "arm"}
    if len(rows) < 12:
        print("cpu_feature_macros: could not read the table")
        return 1
    compilers = [c for c in (sys.argv[2:] or ["g++", "clang++"]) if shutil.which(c)]
    if not compilers:
        print("cpu_feature_macros: no compiler found; skipped")
        return 77
    bad = 0
    unknown = {}  # macro -> the first compiler and -march that defines it
    defined_somewhere = set()
    for cxx in compilers:
        base = macros(cxx, ["-march=x86-64"])
        if base is None:
            print(f"cpu_feature_macros: {cxx} cannot target x86-64; skipped")
            continue
        marches = ["native"] + march_values(cxx)
        tried = 0
        for march in marches:
            got = macros(cxx, [f"-march={march}"])
            if got is None:
                continue  # a 32-bit-only CPU, or one this compiler cannot use
            tried += 1
            for m in sorted(got - base):
                if m in x86 or m in NOT_FEATURES or any(p.match(m) for p in NOT_FEATURE_PATTERNS):
                    continue
                unknown.setdefault(m, f"{cxx} -march={march}")
        print(f"cpu_feature_macros: {cxx}: {tried} -march values")
        for macro, name in x86.items():
            got = macros(cxx, ["-march=x86-64", f"-m{name}"])
            if got is not None and macro in got:
                defined_somewhere.add(macro)
    for m, where in sorted(unknown.items()):
        print(f"cpu_feature_macros: {where} defines {m}, which is neither a row nor listed here")
        bad += 1
    for macro, name in sorted(x86.items()):
        if macro not in defined_somewhere:
            print(f"cpu_feature_macros: no compiler defines {macro} for -m{name}")
            bad += 1
    if bad:
        return 1
    print(f"cpu_feature_macros: {len(x86)} x86 rows; every compiler macro accounted for")
    return 0


if __name__ == "__main__":
    sys.exit(main())
