"""The UI is Chinese through Django's translation machinery: every catalogue must be complete.

The project catalogue lives in `locale/`; an app may keep its own in `apps/<app>/locale/`
(scripts/messages.sh refreshes them all)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    *sorted((ROOT / "apps").glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_it_translates_every_message(path):
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_it_ships_a_compiled_catalogue_matching_the_source(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if e.msgid}
    source = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po if e.msgid and not e.obsolete
    }
    assert source == compiled, f"run scripts/messages.sh to recompile {_name(path)}"


_TEMPLATE_MSGID = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
_PYTHON_MSGID = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


def _source_msgids() -> set[str]:
    found = set()
    for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "apps").rglob("*.html")]:
        found |= {m.group(2) for m in _TEMPLATE_MSGID.finditer(path.read_text())}
    for path in (ROOT / "apps").rglob("*.py"):
        if "rules" in path.parts or "migrations" in path.parts:
            continue
        found |= {m.group(1) for m in _PYTHON_MSGID.finditer(path.read_text())}
    return found


def test_it_has_every_literal_ui_string_in_a_catalogue():
    """A cheap net for a new `{% translate %}` or `_()` without scripts/messages.sh."""
    translated = set()
    for path in CATALOGUES:
        translated |= {entry.msgid for entry in polib.pofile(str(path)).translated_entries()}
    missing = sorted(_source_msgids() - translated)
    assert not missing, f"run scripts/messages.sh and translate: {missing}"


def test_no_two_catalogues_translate_a_message_differently():
    """Django merges every catalogue into one: the same msgid translated two ways in two apps
    means one page silently shows the other app's word (e.g. "Result" as 考试结果 or 结论)."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            key = entry.msgid + ("|" + entry.msgctxt if entry.msgctxt else "")
            text = entry.msgstr or entry.msgstr_plural.get(0, "")
            if key in seen and seen[key][0] != text:
                clashes.append(
                    f"{entry.msgid!r}: {seen[key][0]} ({seen[key][1]}) / {text} ({_name(path)})"
                )
            seen.setdefault(key, (text, _name(path)))
    assert not clashes, "use a distinct msgid or a context (pgettext):\n" + "\n".join(clashes)
