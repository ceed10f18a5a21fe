#!/usr/bin/env bash
# Set everything up on a fresh machine and run the whole test suite (unit, access matrix,
# rules engine, browser pages). SQLite unless DATABASE_URL is set; CI points it at PostgreSQL.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/rules -q
set -euo pipefail
source "$(dirname "$0")/_setup.sh"
apt_install "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
python_venv requirements-dev.txt
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --create-db "$@"
