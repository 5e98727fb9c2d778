#!/usr/bin/env bash
# Write and read throughput of the PostgreSQL store against local day files.
#   Scripts/bench-postgres.sh [RECORDS_PER_WRITER] [BATCH_SIZE]     (defaults 20000 and 100)
# Writers are separate `interaction-monitor ingest` processes (as hosts would be), 1, 4 and 8 at once, into one
# database (a fresh schema each run) and, for comparison, into one data directory. Then `stats` reads everything
# back (decrypting and authenticating every segment) from each store.
# Needs a built binary (BIN=…, default .build/release/interaction-monitor) and a server: INTERACTION_MONITOR_STORE_BENCH
# (a postgres:// URL) or one started here with Scripts/start-postgres.sh (durable commits: fsync on).
set -euo pipefail
cd "$(dirname "$0")/.."
PER_WRITER="${1:-20000}"
BATCH="${2:-100}"
BIN="${BIN:-.build/release/interaction-monitor}"
[ -x "$BIN" ] || { echo "no binary at $BIN: swift build -c release --product interaction-monitor, or set BIN" >&2; exit 2; }
if [ -z "${INTERACTION_MONITOR_STORE_BENCH:-}" ]; then
    eval "$(Scripts/start-postgres.sh)"
    trap 'Scripts/start-postgres.sh --stop "$IM_TEST_PG_DIR"' EXIT
    INTERACTION_MONITOR_STORE_BENCH="$INTERACTION_MONITOR_TEST_POSTGRES"
fi
WORK="$(mktemp -d /tmp/im-bench-pg.XXXXXX)"
RUN="r$(date +%s)"
trap 'rm -rf "$WORK"; [ -n "${IM_TEST_PG_DIR:-}" ] && Scripts/start-postgres.sh --stop "$IM_TEST_PG_DIR"' EXIT
export HOME="$WORK/home" INTERACTION_MONITOR_KEYS_DIR="$WORK/keys" INTERACTION_MONITOR_JOURNAL="$WORK/journal.md"
"$BIN" keys init >/dev/null
python3 - "$PER_WRITER" "$WORK" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
for w in range(8):
    with open(f"{work}/in-{w}.jsonl", "w") as f:
        for i in range(n):
            f.write(json.dumps({"command": f"deploy service-{i % 50} --env prod", "status": "failure" if i % 17 == 0 else "success",
                                "duration_ms": (i * 7) % 900, "user_id": f"user-{(i * 31 + w) % 400}",
                                "metadata": {"region": "eu-west", "attempt": i % 3}}) + "\n")
PY
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):,.0f}')"; }
printf '%-10s %-7s %12s %12s %14s\n' store writers seconds segments/s interactions/s
for kind in postgres files; do
    for writers in 1 4 8; do
        if [ "$kind" = postgres ]; then
            STORE="$INTERACTION_MONITOR_STORE_BENCH"
            case "$STORE" in *\?*) STORE="$STORE&schema=bench_${RUN}_w$writers";; *) STORE="$STORE?schema=bench_${RUN}_w$writers";; esac
        else
            STORE="$WORK/files-w$writers"
        fi
        start=$(now)
        pids=()
        for ((w = 0; w < writers; w++)); do
            "$BIN" ingest --store "$STORE" --batch-size "$BATCH" "$WORK/in-$w.jsonl" >"$WORK/out-$kind-$writers-$w" 2>&1 &
            pids+=($!)
        done
        for p in "${pids[@]}"; do wait "$p"; done
        end=$(now)
        records=$((writers * PER_WRITER))
        segments=$("$BIN" audit --store "$STORE" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["segments"])')
        stored=$("$BIN" audit --store "$STORE" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
        [ "$stored" = "$records" ] || { echo "expected $records records in $kind/$writers, found $stored" >&2; exit 1; }
        printf '%-10s %-7s %12.2f %12s %14s\n' "$kind" "$writers" "$(python3 -c "print($end - $start)")" \
            "$(rate "$segments" "$start" "$end")" "$(rate "$records" "$start" "$end")"
    done
done
echo
printf '%-10s %10s %12s %14s\n' store records seconds interactions/s
for kind in postgres files; do
    if [ "$kind" = postgres ]; then
        STORE="$INTERACTION_MONITOR_STORE_BENCH"
        case "$STORE" in *\?*) STORE="$STORE&schema=bench_${RUN}_w8";; *) STORE="$STORE?schema=bench_${RUN}_w8";; esac
    else
        STORE="$WORK/files-w8"
    fi
    start=$(now)
    "$BIN" stats --store "$STORE" >/dev/null
    end=$(now)
    printf '%-10s %10s %12.2f %14s\n' "$kind (read)" $((8 * PER_WRITER)) "$(python3 -c "print($end - $start)")" "$(rate $((8 * PER_WRITER)) "$start" "$end")"
done
