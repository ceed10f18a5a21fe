"""Who may see what, in one place: the scope of a signed-in user.

Access has three layers, each with one home:

1. `@allow(...)` on the view (apps.accounts.access): which roles may open a page at all.
2. The scope (this module): which rows a user reaches. Every selector filters its queryset
   through `user.scope`, so someone else's id gives 404.
3. Object rules (`apps/<app>/permissions.py`): may this user do this to this object — small
   pure functions of a scope and the object, returning a `Verdict` with the reason of a refusal.
   Views, services and templates (the `{% can %}` tag) ask the same function.

A scope is anchored to exactly one party: the whole city, a jurisdiction (district or city
department), an organiser (a training base or an industry authority), a unit (its
administrator), or a person. Selectors say how their model reaches each anchor, by lookup
path, and the scope picks the one that applies to this user:

    user.scope.visible(Claim.objects.all(),
                       person="person", jurisdiction="person__unit__jurisdiction")

An anchor a selector does not name sees nothing (default deny); the city sees everything unless
the selector passes `city=None`. A new kind of user (a unit's administrator, an API client)
becomes a new anchor kind here, and the selectors that should admit it name its path.
Nothing here reads the clock or the database: a scope is a frozen value.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model, Q, QuerySet

from apps.accounts.models import Role

Kind = Literal["city", "jurisdiction", "organiser", "unit", "person", "nobody"]
KINDS: frozenset[str] = frozenset({"city", "jurisdiction", "organiser", "unit", "person"})
ALL = "*"  # a path meaning "every row": e.g. public-course topics for every officer

# Each role acts for one party (the user model's check constraint guarantees its id).
_ANCHOR_OF_ROLE: dict[str, tuple[Kind, str | None]] = {
    Role.CITY_OFFICER: ("city", None),
    Role.DISTRICT_OFFICER: ("jurisdiction", "jurisdiction_id"),
    Role.ORGANISER_STAFF: ("organiser", "organiser_id"),
    Role.UNIT_ADMIN: ("unit", "unit_id"),
    Role.TRAINEE: ("person", "person_id"),
}

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    kind: Kind
    anchor_id: int | None = None

    @classmethod
    def of(cls, user: Any) -> Scope:
        """The scope of a user; anonymous visitors and inactive accounts reach nothing."""
        role = getattr(user, "role", None)
        if not getattr(user, "is_active", False) or role not in _ANCHOR_OF_ROLE:
            return NOBODY
        kind, id_field = _ANCHOR_OF_ROLE[role]
        if id_field is None:
            return cls(kind)
        anchor_id = getattr(user, id_field, None)
        return cls(kind, anchor_id) if anchor_id is not None else NOBODY

    # --- Facts about the reach, for selectors and rules ------------------------------------

    @property
    def whole_city(self) -> bool:
        return self.kind == "city"

    @property
    def is_officer(self) -> bool:
        """An office of the bureau: the city or a jurisdiction's officer."""
        return self.kind in ("city", "jurisdiction")

    @property
    def jurisdiction_id(self) -> int | None:
        return self.anchor_id if self.kind == "jurisdiction" else None

    @property
    def organiser_id(self) -> int | None:
        """The training base or industry authority whose staff this is."""
        return self.anchor_id if self.kind == "organiser" else None

    @property
    def unit_id(self) -> int | None:
        """The employer a unit administrator acts for."""
        return self.anchor_id if self.kind == "unit" else None

    @property
    def person_id(self) -> int | None:
        return self.anchor_id if self.kind == "person" else None

    def covers_jurisdiction(self, jurisdiction_id: int | None) -> bool:
        """An officer who answers for this jurisdiction (the city answers for all)."""
        return self.whole_city or (
            self.jurisdiction_id is not None and self.jurisdiction_id == jurisdiction_id
        )

    def covers_person(self, person: Any) -> bool:
        """The person themself, their unit's administrator, or an officer of their unit's
        jurisdiction. Reads
        `person.unit.jurisdiction_id`: pass a person fetched with its unit."""
        if self.person_id is not None:
            return bool(person.pk == self.person_id)
        if self.unit_id is not None:
            return bool(person.unit_id == self.unit_id)
        return self.is_officer and self.covers_jurisdiction(person.unit.jurisdiction_id)

    # --- Filtering querysets --------------------------------------------------------------

    def condition(self, **paths: str | None) -> Q | None:
        """The filter on a model that reaches the anchors by these lookup paths: `Q()` for
        every row, a `Q` on the anchor's id, or None when this scope reaches no row."""
        unknown = set(paths) - KINDS
        if unknown:
            raise TypeError(f"unknown scope kinds {sorted(unknown)}; known: {sorted(KINDS)}")
        path = paths.get(self.kind, ALL if self.kind == "city" else None)
        if path is None:
            return None
        if path == ALL:
            return Q()
        return Q(**{path: self.anchor_id})

    def visible(self, queryset: QuerySet[M], **paths: str | None) -> QuerySet[M]:
        condition = self.condition(**paths)
        if condition is None:
            return queryset.none()
        return queryset.filter(condition) if condition else queryset

    # The foundation's own objects, so every app scopes them the same way.

    def people(self, queryset: QuerySet[M]) -> QuerySet[M]:
        return self.visible(queryset, jurisdiction="unit__jurisdiction", unit="unit", person="pk")

    def units(self, queryset: QuerySet[M]) -> QuerySet[M]:
        return self.visible(queryset, jurisdiction="jurisdiction", unit="pk")

    def jurisdictions(self, queryset: QuerySet[M]) -> QuerySet[M]:
        return self.visible(queryset, jurisdiction="pk")

    def organisers(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """Everyone reads the published list of active organisers; the city also the
        inactive."""
        return queryset if self.whole_city else queryset.filter(is_active=True)


NOBODY = Scope("nobody")


# --- Object rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The answer of an object rule: allowed, or refused with the reason shown to the user."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def deny(reason: Any) -> Verdict:
    return Verdict(False, str(reason))


Rule = Callable[..., Verdict]
_RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Registers an object rule under "<app label>.<action>" for the `{% can %}` tag."""
    label, _, action = name.partition(".")
    if not label or not action:
        raise ValueError(f"a rule is named '<app label>.<action>', got {name!r}")

    def register(function: Rule) -> Rule:
        if _RULES.get(name, function) is not function:
            raise ValueError(f"rule {name!r} is registered twice")
        _RULES[name] = function
        return function

    return register


def rule_get(name: str) -> Rule:
    """The rule of this name, importing `<app>.permissions` on first use; unknown names fail
    loudly (a misspelt rule must not quietly hide a button)."""
    if name in _RULES:
        return _RULES[name]
    label = name.partition(".")[0]
    try:
        module = apps.get_app_config(label).name
    except LookupError:
        raise ImproperlyConfigured(f"no app {label!r} for the rule {name!r}") from None
    importlib.import_module(f"{module}.permissions")
    if name not in _RULES:
        raise ImproperlyConfigured(f"no rule {name!r} in {module}.permissions")
    return _RULES[name]


def require(verdict: Verdict, error: type[Exception] | None = None) -> None:
    """For services: raise the refusal (a ValidationError unless another type is given)."""
    if verdict:
        return
    raise (error or ValidationError)(verdict.reason)
