"""The UI is Chinese through Django's translation machinery: the catalogue must be complete."""

from __future__ import annotations

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
