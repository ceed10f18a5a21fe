"""The rules engine: Attachment 3 of notice No. 2021066, the 90/60/30 year, make-up, tenure cycle.

Pure Python: the standard library only (no Django, no other ``apps.*`` package), no clock (years
are inputs), no database.  The rules are those of ``docs/rules.md`` (DESIGN.md sections 4-5).

Python API
----------
``parse_case(data: object, table: RuleTable = DEFAULT_TABLE) -> Case``
    Validates a DESIGN.md section 5 input document (a mapping as from ``json.loads``) and
    returns frozen dataclasses.  Raises ``InvalidCase``; ``InvalidCase.problems`` is a tuple of
    ``Problem(id, field, code, message, index)`` holding *every* problem, messages in Chinese.

``evaluate(case: Case, table: RuleTable = DEFAULT_TABLE) -> Evaluation``
    Credits the activities in time order: by year, then in input order (the order they were
    recorded); a later activity never changes an earlier one's credit.
    ``Evaluation.credits``: one ``Credit(activity, hours, nominal, subject, note, reasons)`` per
    activity, in input order; ``Evaluation.years``: ``{year: YearResult}`` for the requested
    years; ``Evaluation.evaluated``: every year looked at (e.g. cycle end + 1);
    ``Evaluation.cycle``: ``CycleResult(start, end, total, compliant, failed_years,
    made_up_years)`` or ``None``.  Hours are ``Decimal`` with one decimal place.

``evaluation_to_json(evaluation: Evaluation) -> dict``
    The section 5 output document (hours as floats such as ``14.0``, year keys as strings).
    ``problems_to_json(problems)`` gives the ``{"errors": [...]}`` document; ``dumps(doc)``
    serialises either as the command does.

``validate_activity(data: Mapping, table=DEFAULT_TABLE, *, need_id=False) -> Activity``
    One claim (``kind``, ``year`` and its parameters), for forms; raises ``InvalidCase``.
``credit_activity(activity: Activity, table=DEFAULT_TABLE) -> Nominal``
    Its nominal hours, subject and note before cuts by other activities (cap, either-or, items).
``item_rules(activity, table) -> tuple[ItemRule, ...]``
    The items (paper, certificate, patent, award, new technology, project-year, module or
    language, aid year) an activity counts towards; each counts at most its highest figure.
``preview_activity(data: Mapping, table=DEFAULT_TABLE) -> Nominal``
    Both of the above in one call.

``RuleTable`` / ``DEFAULT_TABLE`` (``apps.rules.table``)
    Every rate, rank list, cap, pre-2016 value and the requirement per industry, as data.  The
    Django side builds its own with ``dataclasses.replace(DEFAULT_TABLE, ...)`` and passes it
    to every function above.

Command
-------
``python -m apps.rules evaluate CASE.json`` (``-`` reads standard input): exit 0 with the
evaluation, or exit 2 printing only ``{"errors": [{"id": ..., "message": ...}]}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .credit import Nominal, credit_activity
from .engine import (
    Credit,
    CycleResult,
    Evaluation,
    Hours,
    ItemRule,
    YearResult,
    evaluate,
    item_rules,
    normalise,
    time_order,
)
from .jsonio import dumps, evaluation_to_json, nominal_to_json, problems_to_json
from .model import Activity, Case, Cycle, Person, Subject
from .parse import InvalidCase, Problem, parse_case, validate_activity
from .reasons import Code, Reason
from .table import DEFAULT_TABLE, Requirement, RuleTable


def preview_activity(data: Mapping[str, object], table: RuleTable = DEFAULT_TABLE) -> Nominal:
    """Validates one claim and returns its nominal hours; raises `InvalidCase`."""
    return credit_activity(validate_activity(data, table), table)


__all__ = [
    "DEFAULT_TABLE",
    "Activity",
    "Case",
    "Code",
    "Credit",
    "Cycle",
    "CycleResult",
    "Evaluation",
    "Hours",
    "InvalidCase",
    "ItemRule",
    "Nominal",
    "Person",
    "Problem",
    "Reason",
    "Requirement",
    "RuleTable",
    "Subject",
    "YearResult",
    "credit_activity",
    "dumps",
    "evaluate",
    "evaluation_to_json",
    "item_rules",
    "nominal_to_json",
    "normalise",
    "parse_case",
    "preview_activity",
    "problems_to_json",
    "time_order",
    "validate_activity",
]
