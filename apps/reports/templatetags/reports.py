"""The rows of a compliance table, rendered in one node.

A dashboard shows about fifty rows of eight figures with three links each; through template
variables and filters that was about a thousand lookups, `localize` calls and escapes per page
(most of the page's time). Here each row is one `str.format`: the same markup, the texts escaped
as the template would, numbers localised with the active locale's decimal separator (the
project does not group thousands: USE_THOUSAND_SEPARATOR is off).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.reports.selectors import Figures

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


@register.simple_tag(takes_context=True)
def figure_rows(
    context: template.Context, rows: Sequence[Figures], dashboard_link: bool = False
) -> SafeString:
    """`<tr>` per line of figures: label (a link to its dashboard if asked), people, compliant
    and short (links to the people behind them), share, averages, made up the year before.
    Each text is escaped once (the query string serves three links), numbers need none."""
    if not rows:
        return format_html(
            '<tr><td colspan="8" class="muted">{}</td></tr>', _("Nobody in this selection.")
        )
    people, dashboard = escape(context["people_url"]), escape(context["dashboard_url"])
    number = _number(get_format("DECIMAL_SEPARATOR"))
    html = []
    for f in rows:
        query = escape(f.link["query"])
        label: str = escape(f.label)
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
    return mark_safe("".join(html))  # noqa: S308 (every piece escaped above or a number)
