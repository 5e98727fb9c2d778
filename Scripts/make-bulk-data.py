#!/usr/bin/env python3
"""Generates N synthetic `ingest` lines over D days (time-ordered unless --interleaved), for the scale figures of
the Performance article. Needs only python3; writes to standard output, nothing else.

  python3 Scripts/make-bulk-data.py 4000000 --days 60 > /tmp/big.jsonl     # ~1 GB, ~1.25 GB sealed
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("count", type=int)
ap.add_argument("--days", type=int, default=60)
ap.add_argument("--interleaved", action="store_true", help="cycle through the days line by line (a worst case)")
a = ap.parse_args()
cmds = ["deploy", "build", "test", "GET /users/:id", "POST /orders", "sync", "lint", "release"]
per_day = max(a.count // a.days, 1)
out = sys.stdout
for i in range(a.count):
    d = i % a.days if a.interleaved else min(i // per_day, a.days - 1)
    month, day = 9 + d // 30, 1 + d % 30
    minute_of_day = (i * 1440 // per_day) % 1440 if not a.interleaved else i % 1440
    record = {
        "timestamp": f"2026-{month:02d}-{day:02d}T{minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00Z",
        "command": cmds[i % 8], "status": "success" if i % 9 else "failure",
        "duration_ms": (i * 7919) % 5000 / 3, "user_id": f"user{i % 5000}", "session_id": f"s{i // 30}",
        "metadata": {"i": i, "region": "eu-west-1", "expert": "ops", "tags": ["a", "b"]},
    }
    if i % 9 == 0:  # every failure carries a message, a few templates with varying numbers and paths
        record["error_message"] = [
            f"timeout after {i % 5000} ms on /var/db/{i % 7}.lock", f"exit code {i % 4 + 1}",
            f"connection refused by 10.0.{i % 250}.{i % 200}:5432",
        ][i % 3]
    out.write(json.dumps(record) + "\n")
