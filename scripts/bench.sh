#!/usr/bin/env bash
# Run every benchmark in bench/ (the scripts not starting with "_"): at full size, or at toy
# size with --smoke (what CI runs, so a benchmark that stops running fails CI). Each must exit 0
# and end its output with one line `RESULT key=value …`; the RESULT lines are listed at the end.
#
# The benchmarks that use a database get a PostgreSQL scratch database of their own, named
# after BENCH_DATABASE_URL (default: DATABASE_URL, else .../hefei_cpe) plus `_bench_<name>`,
# created if missing; they replace the people in it, so it is never the application's own.
# Logs: var/bench/<name>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
case "${1:-}" in
  --smoke) mode=(--smoke) ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--smoke]" >&2; exit 2 ;;
esac
PY=.venv/bin/python
base="${BENCH_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hefei_cpe}}"
case "$base" in
  postgres://*|postgresql://*) ;;
  *) echo "scripts/bench.sh: the benchmarks need PostgreSQL; set BENCH_DATABASE_URL=postgres://…" >&2; exit 2 ;;
esac
base="${base%%\?*}"
server="${base%/*}"
prefix="${base##*/}_bench"

scratch_database() {  # prints the URL of this benchmark's own database, created if missing
  local name="${prefix}_$1"
  if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$server/postgres" -qc "CREATE DATABASE \"$name\"" >&2
  fi
  echo "$server/$name"
}

# name of the script : the database it needs ("-" for none)
BENCHES=(
  "bench_rules:-"
  "verification_pdf:-"
  "bench_import:import"
  "roster_import:roster"
  "bench_people:people"
  "bench_ledger:ledger"
  "uploads:uploads"
  "reports:reports"
  "serve_throughput:-"
  "verification_batch:-"
)
mkdir -p var/bench
listed=" ${BENCHES[*]%%:*} "  # the names, space-separated (no pipe: grep -q closing early
for script in bench/*.py; do   # would SIGPIPE printf and, under pipefail, fail at random)
  name="$(basename "$script" .py)"
  [[ "$name" == _* ]] && continue
  [[ "$listed" == *" $name "* ]] \
    || { echo "scripts/bench.sh: $script is not listed in BENCHES" >&2; exit 2; }
done

failed=()
results=()
for entry in "${BENCHES[@]}"; do
  name="${entry%%:*}"
  database="${entry#*:}"
  log="var/bench/$name.log"
  echo "==> bench/$name.py ${mode[*]:-}"
  env=()
  [ "$database" != "-" ] && env=(DATABASE_URL="$(scratch_database "$database")")
  start=$SECONDS
  if env "${env[@]}" "$PY" "bench/$name.py" "${mode[@]}" 2>&1 | tee "$log"; then
    last="$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 || true)"
    if [[ "$last" == RESULT\ * ]]; then
      results+=("$name ${last#RESULT } seconds=$((SECONDS - start))")
    else
      failed+=("$name (no RESULT line at the end)")
    fi
  else
    failed+=("$name (exited with an error)")
  fi
done

echo "==> RESULT lines"
printf '%s\n' "${results[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "==> benchmarks failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "==> all ${#BENCHES[@]} benchmarks ran"
