#!/usr/bin/env bash
# Refresh the Chinese catalogue after changing UI text, then translate the new entries in
# locale/zh_Hans/LC_MESSAGES/django.po and run this again to compile it.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --no-location --no-obsolete
.venv/bin/python -c "import polib; p = 'locale/zh_Hans/LC_MESSAGES/django'; polib.pofile(p + '.po').save_as_mofile(p + '.mo')"
.venv/bin/python -c "import polib; po = polib.pofile('locale/zh_Hans/LC_MESSAGES/django.po'); left = po.untranslated_entries() + po.fuzzy_entries(); print(f'{len(left)} entries to translate'); [print(' -', e.msgid) for e in left]"
