"""The UI is Chinese through Django's translation machinery: the catalogue must be complete."""

from __future__ import annotations

import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_it_translates_every_message():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_it_ships_a_compiled_catalogue_matching_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if e.msgid}
    source = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po if e.msgid and not e.obsolete
    }
    assert source == compiled, (
        "run scripts/messages.sh to recompile locale/zh_Hans/LC_MESSAGES/django.mo"
    )


ROOT = LOCALE.parents[2]
_TEMPLATE_MSGID = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
_PYTHON_MSGID = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


def _source_msgids() -> set[str]:
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {m.group(2) for m in _TEMPLATE_MSGID.finditer(path.read_text())}
    for path in (ROOT / "apps").rglob("*.py"):
        if "rules" in path.parts or "migrations" in path.parts:
            continue
        found |= {m.group(1) for m in _PYTHON_MSGID.finditer(path.read_text())}
    return found


def test_it_has_every_literal_ui_string_in_the_catalogue():
    """A cheap net for a new `{% translate %}` or `_()` without scripts/messages.sh."""
    po = polib.pofile(str(LOCALE / "django.po"))
    translated = {entry.msgid for entry in po.translated_entries()}
    missing = sorted(_source_msgids() - translated)
    assert not missing, f"run scripts/messages.sh and translate: {missing}"
