#!/usr/bin/env bash
# Shared set-up for scripts/demo.sh and scripts/test.sh: system packages, the virtual
# environment and Python packages. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_venv() {
  local requirements=$1
  local python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null || python=python3
  if [ ! -x .venv/bin/python ]; then
    echo "==> Creating .venv with $($python --version)"
    "$python" -m venv .venv
    .venv/bin/pip install -q --upgrade pip
  fi
  # Reinstall only when the requirements changed since the last install.
  local stamp=".venv/.installed-$(cat requirements*.txt | sha1sum | cut -c1-12)-$(basename "$requirements")"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing Python packages from $requirements"
    .venv/bin/pip install -q -r "$requirements"
    touch "$stamp"
  fi
}

# WeasyPrint needs Pango (and HarfBuzz-Subset for fast font subsetting); PDFs and pages need a
# CJK font (Noto CJK, SIL Open Font License).
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
# Browser tests drive Debian's Chromium; pdftoppm turns PDFs into images; gettext for makemessages;
# redis-server for the test that runs a real Celery worker (and for scripts/serve.sh).
TEST_PACKAGES=(chromium chromium-driver poppler-utils gettext redis-server)
