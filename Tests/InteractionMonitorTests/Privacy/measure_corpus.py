#!/usr/bin/env python3
"""Run a PII corpus (JSON lines) through a scrub binary and report leak/damage.

  python3 measure_corpus.py CORPUS.jsonl [--bin /tmp/im-bin] [--args scrub] [--show]
  python3 measure_corpus.py CORPUS.jsonl --bin ./harness --args --json   # JSON-string I/O

The binary reads text lines on stdin and writes exactly one scrubbed line per
input line (`interaction-monitor scrub`, or a standalone harness with --args '').
With --json in --args, every line is a JSON string literal both ways, so texts
that contain line breaks are scrubbed whole. Without it, a multi-line text is
scrubbed line by line and re-joined (an approximation; reported in the header).

  leak rate   = positives where ANY listed secret survives as a substring of the output
  damage rate = negatives whose output differs from the input in any byte
"""
import argparse
import collections
import json
import shlex
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="/tmp/im-bin")
    ap.add_argument("--args", default="scrub", help="arguments after the binary ('' for a harness)")
    ap.add_argument("--show", action="store_true", help="print every leak and every damaged negative")
    ap.add_argument("--json", action="store_true", help="also print a machine-readable summary line")
    a = ap.parse_args()

    rows = [json.loads(l) for l in open(a.corpus, encoding="utf-8") if l.strip()]
    cmd = [a.bin] + shlex.split(a.args)
    json_io = "--json" in cmd[1:]
    pieces = []  # per row: number of input lines it occupies
    lines_in = []
    multiline = 0
    for r in rows:
        if json_io:
            lines_in.append(json.dumps(r["text"], ensure_ascii=False))
            pieces.append(1)
        else:
            parts = r["text"].split("\n")
            multiline += len(parts) > 1
            lines_in.extend(parts)
            pieces.append(len(parts))
    data = "".join(l + "\n" for l in lines_in).encode("utf-8")
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("%s exited %d: %s" % (cmd, p.returncode, p.stderr.decode(errors="replace")[:500]))
    out = p.stdout.decode("utf-8").split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(lines_in):
        sys.exit("line count mismatch: %d in, %d out" % (len(lines_in), len(out)))
    outputs, k = [], 0
    for n in pieces:
        chunk = out[k:k + n]
        k += n
        outputs.append(json.loads(chunk[0]) if json_io else "\n".join(chunk))

    stats = collections.OrderedDict()  # category -> [n, bad]
    failures = []
    for r, o in zip(rows, outputs):
        cat = r["category"]
        st = stats.setdefault(cat, [0, 0])
        st[0] += 1
        if cat.startswith("negative:"):
            bad = o != r["text"]
        else:
            bad = any(s in o for s in r["secrets"])
        if bad:
            st[1] += 1
            failures.append((cat, r["text"], o, [s for s in r["secrets"] if s in o]))

    pos = [(c, v) for c, v in stats.items() if not c.startswith("negative:")]
    neg = [(c, v) for c, v in stats.items() if c.startswith("negative:")]
    pn, pl = sum(v[0] for _, v in pos), sum(v[1] for _, v in pos)
    nn, nd = sum(v[0] for _, v in neg), sum(v[1] for _, v in neg)

    print("corpus: %s  (%d positives, %d negatives)  via %s" % (a.corpus, pn, nn, " ".join(cmd)))
    if multiline:
        print("note: %d multi-line texts were scrubbed line by line (approximation)" % multiline)
    print("%-28s %5s %6s %7s" % ("positive category", "n", "leaks", "rate"))
    for c, (n, b) in sorted(pos):
        print("%-28s %5d %6d %6.1f%%" % (c, n, b, 100.0 * b / n))
    print("%-28s %5s %6s %7s" % ("negative kind", "n", "damage", "rate"))
    for c, (n, b) in sorted(neg):
        print("%-28s %5d %6d %6.1f%%" % (c, n, b, 100.0 * b / n))
    lr = 100.0 * pl / pn if pn else 0.0
    dr = 100.0 * nd / nn if nn else 0.0
    print("OVERALL leak %d/%d = %.1f%%   damage %d/%d = %.1f%%" % (pl, pn, lr, nd, nn, dr))
    if a.json:
        print(json.dumps({"leaks": pl, "positives": pn, "leak_rate": lr,
                          "damaged": nd, "negatives": nn, "damage_rate": dr}))
    if a.show:
        for cat, text, o, leaked in failures:
            print("--- %s%s" % (cat, "  leaked=%r" % leaked if leaked else ""))
            print("  in : %s" % text)
            print("  out: %s" % o)


if __name__ == "__main__":
    main()
