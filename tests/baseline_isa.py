#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that electron::check_cpu() in a binary runs on any x86-64 CPU.

Disassembles the binary (objdump), starts at every `...::check_cpu()` it
holds, follows direct calls, and fails when a function reached uses an
instruction beyond the x86-64 baseline (VEX/EVEX encodings, YMM/ZMM/mask
registers, SSE3 and later, POPCNT, LZCNT, TZCNT, BMI1/2, MOVBE, CMPXCHG16B,
LAHF/SAHF, PREFETCHW, ADX, RDRAND/RDSEED). A binary
built with -march=native is the interesting case: check_cpu() must still
be able to say "this CPU lacks ..." instead of dying with SIGILL.

    tests/baseline_isa.py path/to/config_test     exit 0 ok, 1 bad, 77 skipped
"""
import re
import shutil
import subprocess
import sys

BEYOND_BASELINE = re.compile(
    r"%[yz]mm\d|%k[0-7]\b|"
    r"\b(v[a-z0-9]{2,}|pshufb|palignr|ptest|pblend\w*|pmov[sz]x\w*|pmul(ld|dq)|pmin[us][bdw]|pmax[us][bdw]|"
    r"pcmp[ei]str[im]|pcmpeqq|pcmpgtq|packusdw|pextr[bdq]|pinsr[bdq]|insertps|extractps|round[ps][sd]|dpp[sd]|"
    r"blendv?p[sd]|movntdqa|mpsadbw|phminposuw|pabs[bdw]|psign[bdw]|phadd\w*|phsub\w*|pmaddubsw|pmulhrsw|"
    r"lddqu|movddup|movs[hl]dup|hadd[ps][sd]|hsub[ps][sd]|addsub[ps][sd]|crc32\w*|"
    r"popcnt|lzcnt|tzcnt|andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|movbe|"
    r"cmpxchg16b|lahf|sahf|prefetchw|adcx|adox|rdrand|rdseed)\b"
)
FUNC = re.compile(r"^([0-9a-f]+) <(.*)>:$")
CALL = re.compile(r"\b(call|jmp)\w*\s+[0-9a-f]+ <(.*?)(\+0x[0-9a-f]+)?>$")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: baseline_isa.py BINARY")
    objdump = shutil.which("objdump")
    if objdump is None:
        print("baseline_isa: objdump not found; skipped")
        return 77
    out = subprocess.run([objdump, "-d", "-C", "--no-show-raw-insn", sys.argv[1]], check=True,
                         capture_output=True, text=True).stdout
    if "file format elf64-x86-64" not in out:
        print("baseline_isa: not an x86-64 binary; skipped")
        return 77
    funcs = {}
    current = None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            current = m.group(2)
            funcs[current] = []
        elif current is not None and line.strip():
            funcs[current].append(line)
    roots = [f for f in funcs if re.search(r"::check_cpu\(\)$", f)]
    if not roots:
        print("baseline_isa: no electron check_cpu() in the binary")
        return 1
    seen = set()
    todo = list(roots)
    while todo:
        f = todo.pop()
        if f in seen or f not in funcs or f.endswith("@plt"):
            continue
        seen.add(f)
        for line in funcs[f]:
            m = CALL.search(line)
            if m:
                todo.append(m.group(2))
    bad = 0
    for f in sorted(seen):
        hits = [l.strip() for l in funcs[f] if BEYOND_BASELINE.search(l.split("#")[0].split("<")[0])]
        if hits:
            bad += 1
            print(f"baseline_isa: {f} uses instructions beyond x86-64:")
            for h in hits[:5]:
                print(f"    {h}")
    if bad:
        return 1
    print(f"baseline_isa: {len(seen)} functions reached from {len(roots)} check_cpu() copies, all baseline x86-64")
    return 0


if __name__ == "__main__":
    sys.exit(main())
