#!/usr/bin/env bash
# Builds the synthetic store behind the samples of the Analysis and Experiments articles (Documentation.docc) in a
# temporary directory (never ~, never the repository): 90 users in three behaviour groups over six days, then a
# two-variant checkout-flow experiment assigned with `assign`, and prints segments, experiment and predict evaluate.
# Usage: Scripts/segments-demo.sh [path/to/interaction-monitor]   (default: .build/release/interaction-monitor)
# Needs: python3 and the release binary (swift build -c release --product interaction-monitor).
set -euo pipefail
BIN=${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/interaction-monitor}
[ -x "$BIN" ] || { echo "no binary at $BIN: swift build -c release --product interaction-monitor" >&2; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export INTERACTION_MONITOR_DATA_DIR=$DIR/data INTERACTION_MONITOR_KEYS_DIR=$DIR/keys HOME=$DIR/home
"$BIN" keys init >/dev/null
python3 - "$DIR" <<'PY'
import json, random, datetime, sys
d = sys.argv[1]
random.seed(42)
now = datetime.datetime.now(datetime.timezone.utc)
start = now - datetime.timedelta(days=6)
groups = [(["build", "test", "deploy", "status"], 0.96, 10, 90), (["query", "report", "export"], 0.70, 21, 20),
          (["lint", "test", "build"], 0.88, 3, 400)]
users, out = [], []
for g, (cmds, ok, hour, gap) in enumerate(groups):
    for u in range(30):
        uid = f"user{g}-{u}@example.com"
        users.append(uid)
        for day in range(6):
            t = start + datetime.timedelta(days=day, hours=hour, seconds=random.randint(0, 3600))
            seq = list(cmds)
            if random.random() < 0.2: random.shuffle(seq)
            for k, c in enumerate(seq + seq[:random.randint(0, 2)]):
                ts = t + datetime.timedelta(seconds=k * gap)
                st = "success" if random.random() < ok else random.choice(["failure", "error"])
                out.append({"timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "command": c, "status": st,
                            "duration_ms": round(random.lognormvariate(4, 0.5), 1), "user_id": uid,
                            "session_id": f"s-{g}-{u}-{day}"})
open(f"{d}/users.txt", "w").write("\n".join(users) + "\n")
open(f"{d}/base.jsonl", "w").write("\n".join(json.dumps(x) for x in out) + "\n")
PY
"$BIN" assign checkout-flow --variants control,one-click <"$DIR/users.txt" >"$DIR/variants.txt"
python3 - "$DIR" <<'PY'
import json, random, datetime, sys
d = sys.argv[1]
random.seed(7)
now = datetime.datetime.now(datetime.timezone.utc)
users = open(f"{d}/users.txt").read().split()
variants = open(f"{d}/variants.txt").read().split()
out = []
for n, (u, v) in enumerate(zip(users, variants)):
    t = now - datetime.timedelta(days=2, seconds=random.randint(0, 20000))
    out.append({"timestamp": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "interaction_type": "experiment_exposure",
                "command": "experiment_exposure", "status": "success", "duration_ms": 0, "user_id": u,
                "metadata": {"experiment": "checkout-flow", "variant": v}})
    for k in range(12):
        ts = t + datetime.timedelta(minutes=5 + k * 90)
        ok = random.random() < (0.93 if v == "one-click" else 0.78)
        dur = random.lognormvariate(5.3 if v == "one-click" else 5.6, 0.4)
        out.append({"timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "command": "checkout",
                    "status": "success" if ok else "failure", "duration_ms": round(dur, 1), "user_id": u,
                    "session_id": f"c-{n}-{k}"})
open(f"{d}/exp.jsonl", "w").write("\n".join(json.dumps(x) for x in out) + "\n")
PY
cat "$DIR/base.jsonl" "$DIR/exp.jsonl" | "$BIN" ingest
"$BIN" segments 2>/dev/null
"$BIN" experiment checkout-flow --command checkout 2>/dev/null
"$BIN" predict evaluate 2>/dev/null
