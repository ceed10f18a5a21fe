"""Who may do what to a person or a unit: pure functions of a scope and the object."""

from __future__ import annotations

from typing import Any

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("people.reveal_id_number")
def may_reveal_id_number(scope: Scope, person: Any = None) -> Verdict:
    """An officer who answers for the person (every opening is logged by the service).
    Reads `person.unit`: pass a person fetched with it."""
    if not scope.is_officer:
        return deny("Only officers may open a resident ID number.")
    if person is not None and not scope.covers_person(person):
        return deny("This person is outside the officer's jurisdiction.")
    return ALLOWED


@rule("people.place_units_anywhere")
def may_place_units_anywhere(scope: Scope) -> Verdict:
    """The city registers a unit in any jurisdiction; a district officer in their own."""
    if not scope.whole_city:
        return deny("Only the city places units in another jurisdiction.")
    return ALLOWED
