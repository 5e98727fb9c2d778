#!/usr/bin/env bash
# Measures what --epsilon costs and how far its noise spreads, with the release binary, in a temporary store:
#   Scripts/measure-dp.sh [RECORDS=100000] [RUNS=200]
# Prints the wall time and peak RSS of `stats` with and without --epsilon (alternating, RUNS/20 pairs), then the
# empirical standard deviation of one command's noisy runs, failures and users over RUNS releases of
# `analyze --epsilon 1 --public-commands deploy,build` next to the mechanism's (discrete Laplace, scale 8·Δ/ε).
# Needs: python3 and GNU time (/usr/bin/time; apt-get install -y time). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-100000}
runs=${2:-200}
swift build -c release --product interaction-monitor >/dev/null
bin=$PWD/.build/release/interaction-monitor
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export INTERACTION_MONITOR_DATA_DIR=$dir/data INTERACTION_MONITOR_KEYS_DIR=$dir/keys INTERACTION_MONITOR_JOURNAL=$dir/journal.md HOME=$dir
python3 - "$records" > "$dir/in.jsonl" <<'PY'
import json, random, sys
random.seed(7)
commands = ["deploy", "build", "test", "status", "logs", "rollback", "lint", "fmt"]
for n in range(int(sys.argv[1])):
    u = random.randrange(1000)
    status = "success" if random.random() < 0.85 else random.choice(["failure", "error", "timeout"])
    print(json.dumps({"command": random.choice(commands), "status": status, "duration_ms": random.randrange(1, 2000),
                      "user_id": f"user-{u}", "session_id": f"s{u}-{n // 50}"}))
PY
"$bin" ingest --batch-size 1000 < "$dir/in.jsonl" | tail -1
"$bin" privacy budget --set 1000000 >/dev/null 2>&1
for _ in $(seq 1 $((runs / 20 > 0 ? runs / 20 : 1))); do
    /usr/bin/time -f "plain %e s %M KB" "$bin" stats >/dev/null
    /usr/bin/time -f "epsilon %e s %M KB" "$bin" stats --epsilon 1 >/dev/null
done 2>&1 | grep -E "^(plain|epsilon)" | sort
for _ in $(seq 1 "$runs"); do "$bin" analyze --epsilon 1 --public-commands deploy,build --json 2>/dev/null; done > "$dir/releases.jsonl"
python3 - "$dir/releases.jsonl" <<'PY'
import json, math, statistics, sys
rows = [json.loads(line)["commands"][0] for line in open(sys.argv[1])]
def mechanism(b):
    p = math.exp(-1 / b)
    return math.sqrt(2 * p) / (1 - p)
for key, b in [("runs", 8 * 5 * 10), ("failures", 8 * 5 * 10), ("users", 8 * 5)]:
    values = [r[key] for r in rows]
    print(f"{key}: {len(values)} releases, mean {statistics.mean(values):.1f}, std {statistics.pstdev(values):.1f}, mechanism {mechanism(b):.1f}")
PY
