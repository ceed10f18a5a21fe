"""A compliance table, rendered in one node.

A dashboard shows about fifty rows of eight figures with three links each; through template
variables and filters that was about a thousand lookups, `localize` calls and escapes per page
(most of the page's time), and each table was an include of some thirty nodes. Here each row
is one `str.format` and the table around the rows another: the same markup, the texts escaped
as the template would, numbers localised with the active locale's decimal separator (the
project does not group thousands: USE_THOUSAND_SEPARATOR is off).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape  # Django's `escape` is this plus a lazy-string check a call
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.reports.selectors import FIGURE_COLUMNS, Figures

register = template.Library()

_ROW = (
    '<tr><th scope="row">{}</th>'
    '<td class="num"><a href="{}?{}&amp;status=all">{}</a></td>'
    '<td class="num"><a href="{}?{}&amp;status=compliant">{}</a></td>'
    '<td class="num"><a href="{}?{}&amp;status=short">{}</a></td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    '<td class="num">{}</td></tr>\n'
)


def _number(separator: str) -> Callable[[Any], str]:
    """Numbers as the active locale writes them, already HTML-safe."""
    if settings.USE_THOUSAND_SEPARATOR:  # grouping: Django's own formatting, per number
        return lambda value: "—" if value is None else escape(number_format(value))
    separator = escape(separator)

    def plain(value: Any) -> str:  # an int or a Decimal: digits, a sign and the separator
        if value is None:
            return "—"
        return str(value).replace(".", separator) if isinstance(value, Decimal) else str(value)

    return plain


_TABLE = (
    '<table class="list report-table">\n'
    "  <caption>{}</caption>\n"
    "  <thead><tr>\n"
    '    <th scope="col">{}</th>\n'
    "{}"
    "  </tr></thead>\n"
    "  <tbody>\n"
    "{}"
    "  </tbody>\n"
    "</table>\n"
    '<p class="actions"><a class="btn secondary" href="{}?{}">{}</a></p>\n'
)
_COLUMN = '    <th scope="col" class="num">{}</th>\n'
_TOTAL = (
    '<tr class="total"><th scope="row">{}</th>'
    '<td class="num"><a href="{}?{}&amp;status=all">{}</a></td>'
    '<td class="num">{}</td>'
    '<td class="num"><a href="{}?{}&amp;status=short">{}</a></td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    '<td class="num">{}</td></tr>\n'
)
_OUT_OF_SCOPE = (
    '<tr class="out-of-scope"><th scope="row">{}</th>'
    '<td class="num"><a href="{}?{}&amp;status=all">{}</a></td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">—</td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>\n'
)


@register.simple_tag(takes_context=True)
def figure_table(
    context: template.Context,
    rows: Sequence[Figures],
    first_heading: str,
    caption: str,
    export: str,
    total: Figures | None = None,
    out_of_scope: Figures | None = None,
    dashboard_link: bool = False,
) -> SafeString:
    """A compliance table: `caption`, the column headings (`first_heading` for the labels),
    a row per line of figures (`figure_rows`), the total in scope if given, the provincial
    and ministerial units' line if given and not empty, and the link exporting the table
    (`export`: the name in the export's address) with the page's query."""
    people = escape(context["people_url"])
    number = _number(get_format("DECIMAL_SEPARATOR"))
    texts = _texts(get_language())
    body = [figure_rows(context, rows, dashboard_link, texts.nobody)]
    if total:
        query = escape(total.link["query"])
        body.append(
            _TOTAL.format(
                texts.total,
                people,
                query,
                number(total.people),
                number(total.compliant),
                people,
                query,
                number(total.short),
                number(total.share),
                number(total.average_public),
                number(total.average_professional),
                number(total.made_up_previous),
            )
        )
    if out_of_scope and out_of_scope.people:
        body.append(
            _OUT_OF_SCOPE.format(
                texts.out_of_scope,
                people,
                escape(out_of_scope.link["query"]),
                number(out_of_scope.people),
                number(out_of_scope.compliant),
                number(out_of_scope.short),
                number(out_of_scope.average_public),
                number(out_of_scope.average_professional),
                number(out_of_scope.made_up_previous),
            )
        )
    return mark_safe(  # noqa: S308 (every piece escaped above or a number)
        _TABLE.format(
            escape(str(caption)),
            escape(str(first_heading)),
            texts.columns,
            "".join(body),
            escape(_export_url(export, get_script_prefix(), get_urlconf())),
            escape(context["query"]),
            texts.export,
        )
    )


@dataclass(frozen=True)
class _Texts:
    """A table's fixed texts in one language, escaped."""

    columns: str  # the headings after the first, as <th> lines
    total: str
    out_of_scope: str
    export: str
    nobody: str  # the row of an empty table


@lru_cache(maxsize=16)
def _texts(language: str | None) -> _Texts:
    """Worked out once per language (the key: `gettext` reads the active one)."""
    return _Texts(
        columns="".join(_COLUMN.format(escape(str(c))) for c in FIGURE_COLUMNS),
        total=escape(_("Total (in scope)")),
        out_of_scope=escape(_("Provincial and ministerial units (not in the rates)")),
        export=escape(_("Export to Excel")),
        nobody=format_html(
            '<tr><td colspan="8" class="muted">{}</td></tr>\n', _("Nobody in this selection.")
        ),
    )


@lru_cache(maxsize=64)
def _export_url(table: str, prefix: str, urlconf: str | None) -> str:
    """The address of a table's export (per script prefix and URLconf, the key)."""
    return reverse("reports:export", args=[table], urlconf=urlconf)


def figure_rows(
    context: template.Context, rows: Sequence[Figures], dashboard_link: bool, nobody: str
) -> str:
    """`<tr>` per line of figures: label (a link to its dashboard if asked), people, compliant
    and short (links to the people behind them), share, averages, made up the year before.
    Each text is escaped once (the query string serves three links), numbers need none.
    `nobody`: the row of an empty table."""
    if not rows:
        return nobody
    people, dashboard = escape(context["people_url"]), escape(context["dashboard_url"])
    number = _number(get_format("DECIMAL_SEPARATOR"))
    html = []
    for f in rows:
        query = escape(f.link["query"])
        label: str = escape(str(f.label))
        if dashboard_link:
            label = f'<a href="{dashboard}?{query}">{label}</a>'
        html.append(
            _ROW.format(
                label,
                people,
                query,
                number(f.people),
                people,
                query,
                number(f.compliant),
                people,
                query,
                number(f.short),
                number(f.share),
                number(f.average_public),
                number(f.average_professional),
                number(f.made_up_previous),
            )
        )
    return "".join(html)
