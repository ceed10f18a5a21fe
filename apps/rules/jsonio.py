"""The JSON side of the engine: DESIGN.md section 5 output, and the error document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal

from .credit import Nominal
from .engine import Credit, CycleResult, Evaluation, Hours, YearResult
from .parse import Problem
from .reasons import Reason

JSONValue = object


def _number(value: Decimal) -> float:
    # Hours have one decimal place and stay far below 1e15, so the float prints as e.g. 14.0.
    return float(value)


def _hours(hours: Hours) -> dict[str, JSONValue]:
    return {"public": _number(hours.public), "professional": _number(hours.professional)}


def _reasons(reasons: Iterable[Reason]) -> list[JSONValue]:
    return [{"code": r.code.value, "note": r.note} for r in reasons]


def credit_to_json(credit: Credit) -> dict[str, JSONValue]:
    return {
        "id": credit.activity.id,
        "hours": _number(credit.hours),
        "subject": credit.subject.value,
        "note": credit.note,
        "kind": credit.activity.kind,
        "year": credit.activity.year,
        "nominal_hours": _number(credit.nominal),
        "reasons": _reasons(credit.reasons),
    }


def year_to_json(result: YearResult) -> dict[str, JSONValue]:
    requirement = result.requirement
    return {
        "public": _number(result.hours.public),
        "professional": _number(result.hours.professional),
        "total": _number(result.hours.total),
        "compliant": result.compliant,
        "shortfall": _hours(result.shortfall),
        "requirement": {
            "public": _number(requirement.public),
            "professional": _number(requirement.professional),
            "total": _number(requirement.total),
        },
        "exempt": result.exempt,
        "aid_service": result.aid_service,
        "compliant_before_make_up": result.compliant_before_make_up,
        "shortfall_before_make_up": _hours(result.shortfall_before_make_up),
        "made_up": _hours(result.made_up),
        "surplus": _hours(result.surplus),
        "surplus_used": _hours(result.surplus_used),
        "reasons": _reasons(result.reasons),
    }


def cycle_to_json(cycle: CycleResult) -> dict[str, JSONValue]:
    return {
        "total": _number(cycle.total),
        "compliant": cycle.compliant,
        "failed_years": list(cycle.failed_years),
        "start": cycle.start,
        "end": cycle.end,
        "made_up_years": list(cycle.made_up_years),
    }


def evaluation_to_json(evaluation: Evaluation) -> dict[str, JSONValue]:
    """The DESIGN.md section 5 output document (hours as JSON numbers, year keys as strings)."""
    return {
        "credits": [credit_to_json(c) for c in evaluation.credits],
        "years": {str(year): year_to_json(r) for year, r in sorted(evaluation.years.items())},
        "cycle": cycle_to_json(evaluation.cycle) if evaluation.cycle is not None else None,
    }


def nominal_to_json(nominal: Nominal) -> dict[str, JSONValue]:
    return {
        "hours": _number(nominal.hours),
        "subject": nominal.subject.value,
        "note": nominal.note,
        "reasons": _reasons(nominal.reasons),
    }


def problems_to_json(problems: Iterable[Problem]) -> dict[str, JSONValue]:
    """The error document: ``{"errors": [{"id": ..., "message": ...}]}``."""
    return {"errors": [{"id": p.id, "message": p.message} for p in problems]}


def dumps(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
