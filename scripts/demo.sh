#!/usr/bin/env bash
# Set everything up on a fresh machine and start the portal with the demo data.
# SQLite under var/ unless DATABASE_URL is set. Listens on 127.0.0.1:8000 (PORT to change).
set -euo pipefail
source "$(dirname "$0")/_setup.sh"
apt_install "${RUNTIME_PACKAGES[@]}"
python_venv requirements.txt
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py reports_refresh  # the compliance reports' summaries (nightly in production)
echo "==> The portal runs at http://127.0.0.1:${PORT:-8000}/  (demo logins: see README.md)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
