#!/usr/bin/env bash
# Whole-process read speed, in records per second: a sealed store of COUNT records from Scripts/make-bulk-data.py
# (7 days, 5,000 users), then `stats --json`, `analyze HOURS --json` (a window holding every record) and
# `decrypt > /dev/null` timed, RUNS rounds alternating. When Python's duckdb module is installed
# (`pip install duckdb`), each round also times DuckDB answering the same totals over the decrypted plaintext
# (read_json + GROUP BY; the query alone, not Python's start-up), for a reference figure from the same minute.
#   Scripts/bench-read.sh [COUNT] [RUNS]          (default 500000 3; about 1 GB of temporary files per million)
# Everything is written to a temporary directory that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500000}
runs=${2:-3}
swift build -c release --product interaction-monitor >/dev/null
im="$PWD/.build/release/interaction-monitor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 Scripts/make-bulk-data.py "$count" --days 7 >"$tmp/in.jsonl"
export INTERACTION_MONITOR_DATA_DIR="$tmp/data" INTERACTION_MONITOR_KEYS_DIR="$tmp/keys" INTERACTION_MONITOR_JOURNAL="$tmp/journal"
"$im" keys init >/dev/null 2>&1
"$im" ingest --retention-days 3650 "$tmp/in.jsonl" >/dev/null 2>&1
"$im" decrypt >"$tmp/plain.jsonl" 2>/dev/null
hours=$(( ($(date +%s) - $(date -d 2026-09-01 +%s)) / 3600 + 48 ))
has_duckdb=0
python3 -c "import duckdb" 2>/dev/null && has_duckdb=1

rate() {  # label, command...: prints records/s of one whole-process run
    local label="$1" start end
    shift
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v n="$count" -v ns="$((end - start))" -v l="$label" 'BEGIN { printf "  %-10s %10.0f records/s  (%.3f s)\n", l, n / (ns / 1e9), ns / 1e9 }'
}
duck() {
    python3 - "$tmp/plain.jsonl" "$count" <<'PY'
import sys, time, duckdb
path, n = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
start = time.perf_counter()
con.execute(f"""SELECT status, count(*), count(DISTINCT user_hash), avg(duration_ms),
    quantile_cont(duration_ms, [0.5, 0.95, 0.99]), min(timestamp), max(timestamp)
    FROM read_json('{path}', format = 'newline_delimited') GROUP BY status""").fetchall()
s = time.perf_counter() - start
print(f"  {'duckdb':<10} {n / s:10.0f} records/s  ({s:.3f} s, plaintext, query only)")
PY
}
echo "interaction-monitor read paths, $count records ($(du -sh "$tmp/data" | cut -f1) sealed), $runs rounds"
for r in $(seq "$runs"); do
    echo "round $r (load average $(cut -d' ' -f1 /proc/loadavg))"
    rate stats "$im" stats --json
    rate analyze "$im" analyze "$hours" --json
    rate decrypt "$im" decrypt
    if [ "$has_duckdb" = 1 ]; then duck; fi
done
