#!/usr/bin/env bash
# The production stack on one machine: gunicorn (the web tier), one Celery worker and Celery
# beat, until one of them stops or the script is told to stop (TERM/INT), then all of them.
#
#   DEBUG=0 SECRET_KEY=… PII_ENCRYPTION_KEYS=… PII_HASH_KEY=… ALLOWED_HOSTS=jxjy.hefei.gov.cn \
#   DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/0 PORT=8000 scripts/serve.sh
#
# Refuses to start with DEBUG on or any secret missing. Before starting it applies migrations
# and collects static files (on several machines: do both once per release, see README.md).
# `scripts/serve.sh --check-only` checks the environment and `manage.py check --deploy`, and
# exits. Tunables: PORT (8000), BIND (127.0.0.1: behind the TLS proxy), WEB_CONCURRENCY
# (gunicorn processes, 2 x cores + 1), WORKER_CONCURRENCY (Celery processes, cores),
# FORWARDED_ALLOW_IPS (the proxy's address, 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

refuse() { echo "serve.sh: refusing to start: $*" >&2; exit 2; }

export DEBUG="${DEBUG:-0}"
case "${DEBUG,,}" in
  0|false|no|off) ;;
  *) refuse "DEBUG=${DEBUG} (the production stack runs with DEBUG=0)";;
esac
for name in SECRET_KEY PII_ENCRYPTION_KEYS PII_HASH_KEY ALLOWED_HOSTS DATABASE_URL REDIS_URL; do
  [ -n "${!name:-}" ] || refuse "$name is not set (see README.md, Production)"
done
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) refuse "DATABASE_URL must point at PostgreSQL in production";;
esac
[ "$SECRET_KEY" != "dev-only-insecure-secret-key-hefei-cpe-change-me" ] \
  || refuse "SECRET_KEY is the development key"

PY=.venv/bin/python
[ -x "$PY" ] || refuse ".venv is missing: run scripts/demo.sh or scripts/test.sh once to set it up"
"$PY" manage.py check --deploy --fail-level WARNING
[ "${1:-}" = "--check-only" ] && exit 0

PORT="${PORT:-8000}"
CORES="$(nproc 2>/dev/null || echo 2)"
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input -v 0
mkdir -p var

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait || true; }
trap 'stop; exit 0' TERM INT

.venv/bin/celery -A hefei_cpe worker -l info --concurrency "${WORKER_CONCURRENCY:-$CORES}" \
  -n "worker@%h" &
pids+=($!)
.venv/bin/celery -A hefei_cpe beat -l info --schedule var/celerybeat-schedule &
pids+=($!)
.venv/bin/gunicorn hefei_cpe.wsgi:application \
  --bind "${BIND:-127.0.0.1}:${PORT}" \
  --workers "${WEB_CONCURRENCY:-$((CORES * 2 + 1))}" \
  --timeout 60 --graceful-timeout 30 --keep-alive 5 \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - &
pids+=($!)
echo "==> gunicorn on ${BIND:-127.0.0.1}:${PORT}, one Celery worker, Celery beat (pids ${pids[*]})"

# Whichever stops first takes the others down, so a supervisor sees the failure and restarts.
wait -n || true
stop
exit 1
