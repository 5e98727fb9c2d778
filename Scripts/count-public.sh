#!/usr/bin/env bash
# Counts the public API of a target: declaration lines that carry `public` or `open` (after attributes and
# modifiers), per top-level folder. Needs only grep and awk.
#   Scripts/count-public.sh [DIR]      (default: Sources/InteractionMonitor)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-Sources/InteractionMonitor}
RE='^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*((private|fileprivate|internal|package)\(set\)[[:space:]]+)?(public|open)[[:space:]]+((static|class|final|mutating|nonmutating|nonisolated|convenience|required|override|lazy|weak|unowned|indirect|dynamic|(private|fileprivate|internal|package)\(set\))[[:space:]]+)*(func|var|let|init|struct|enum|class|actor|protocol|typealias|case|subscript|extension)([^A-Za-z0-9_]|$)'
find "$DIR" -name '*.swift' | LC_ALL=C sort | xargs grep -EH "$RE" \
    | awk -F: -v d="$DIR/" '{ p = substr($1, length(d) + 1); n = index(p, "/"); f = (n ? substr(p, 1, n - 1) : "(root)"); c[f]++; t++ }
        END { for (f in c) printf "%-20s %5d\n", f, c[f]; printf "%-20s %5d\n", "TOTAL", t }' | LC_ALL=C sort
