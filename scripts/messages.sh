#!/usr/bin/env bash
# Refresh the Chinese catalogues after changing UI text, then translate the new entries and run
# this again to compile them. The project catalogue (locale/) holds the foundation's strings; an
# app with its own `apps/<app>/locale/` (and templates under `apps/<app>/templates/`) keeps its
# strings there, so work on separate apps never touches the same catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
own=()
for dir in apps/*/locale; do
  [ -d "$dir" ] || continue
  own+=("--ignore=$(dirname "$dir")/*")
done
"$PY" manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var "${own[@]}" --no-location --no-obsolete
for dir in apps/*/locale; do
  [ -d "$dir" ] || continue
  (cd "$(dirname "$dir")" && "$PY" "$ROOT/manage.py" makemessages -l zh_Hans --no-location --no-obsolete)
done
"$PY" - <<'PY'
import glob
import polib

for path in ["locale/zh_Hans/LC_MESSAGES/django.po", *sorted(glob.glob("apps/*/locale/zh_Hans/LC_MESSAGES/django.po"))]:
    po = polib.pofile(path)
    po.save_as_mofile(path[:-3] + ".mo")
    left = po.untranslated_entries() + po.fuzzy_entries()
    print(f"{path}: {len(left)} entries to translate")
    for entry in left:
        print(" -", entry.msgid)
PY
