"""Accounts: binding a professional's login to their person through a one-time code.

Only an officer of the person's jurisdiction issues the code (single or in bulk); the
professional then activates with their ID number, the code and a new password. Knowing a
name and an ID number is never enough.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from apps.accounts.backends import lockout_key
from apps.accounts.models import TRAINEE_USERNAME_PREFIX, ActivationCode, Role, User
from apps.accounts.permissions import may_issue_activation_codes
from apps.accounts.scope import require
from apps.people import idnumber
from apps.people.models import Person
from apps.people.selectors import people_visible_to, person_find_by_id_number

ACTIVATION_CODE_DAYS = 30
ACTIVATION_MAX_FAILURES = 5
ACTIVATION_HOLD_MINUTES = 30
# No 0/O, 1/I/L: the code is read off paper and typed by hand.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class IssuedCode:
    person: Person
    code: str
    expires_at: datetime


def _hash_code(code: str) -> str:
    # Typed by hand off paper: full-width characters, spaces, dashes and case do not matter.
    typed = "".join(c for c in unicodedata.normalize("NFKC", code).upper() if c.isalnum())
    return salted_hmac("activation-code", typed, algorithm="sha256").hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _check_officer_may_act(*, officer: User, people: list[Person]) -> None:
    require(may_issue_activation_codes(officer.scope), PermissionError)
    if not officer.scope.whole_city:
        visible = set(
            people_visible_to(user=officer)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        if len(visible) != len({p.pk for p in people}):
            raise PermissionError("Some people are outside the officer's jurisdiction.")


@transaction.atomic
def activation_codes_issue(*, officer: User, people: Iterable[Person]) -> list[IssuedCode]:
    """Issue a fresh code for each person, revoking any code still open. The clear codes are
    returned once and never stored."""
    people = list(people)
    _check_officer_may_act(officer=officer, people=people)
    now = timezone.now()
    ActivationCode.objects.filter(
        person__in=people, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    expires_at = now + timedelta(days=ACTIVATION_CODE_DAYS)
    issued: list[IssuedCode] = []
    rows: list[ActivationCode] = []
    for person in people:
        code = _new_code()
        rows.append(
            ActivationCode(
                person=person,
                code_hash=_hash_code(code),
                issued_by=officer,
                issued_at=now,
                expires_at=expires_at,
            )
        )
        issued.append(IssuedCode(person=person, code=code, expires_at=expires_at))
    ActivationCode.objects.bulk_create(rows, batch_size=1000)
    return issued


def activation_code_issue(*, officer: User, person: Person) -> IssuedCode:
    return activation_codes_issue(officer=officer, people=[person])[0]


def _activation_error() -> ValidationError:
    # One message for every failure, so the form reveals nothing about who is registered, or
    # whether their code is held.
    return ValidationError(
        [
            ValidationError(
                _(
                    "The resident ID number and activation code do not match an open activation "
                    "code. Check both, or ask your district office for a new code."
                ),
                code="invalid_activation",
            ),
            ValidationError(
                _(
                    "After %(failures)d wrong codes in a row a code is paused for %(minutes)d "
                    "minutes; then it works again until it expires."
                )
                % {"failures": ACTIVATION_MAX_FAILURES, "minutes": ACTIVATION_HOLD_MINUTES},
                code="invalid_activation",
            ),
        ]
    )


def activation_code_check(
    open_codes: QuerySet[ActivationCode],
    code: str,
    *,
    now: datetime,
    refuse: Callable[[], Exception],
) -> ActivationCode:
    """The open code (of a person or a staff login) that `code` matches, else raise `refuse()`.

    A held code refuses even the right code (and counts nothing). A wrong code is counted
    outside any transaction so the failure sticks; five strikes hold the code for a while and
    never void it (only the officer's new code does)."""
    activation = open_codes.first()
    if activation is None:
        raise refuse()
    if activation.held_until is not None and activation.held_until > now:
        raise refuse()
    if not constant_time_compare(activation.code_hash, _hash_code(code)):
        failures = activation.failed_attempts + 1
        held = failures >= ACTIVATION_MAX_FAILURES
        open_codes.filter(pk=activation.pk).update(
            failed_attempts=0 if held else failures,
            held_until=now + timedelta(minutes=ACTIVATION_HOLD_MINUTES) if held else None,
        )
        raise refuse()
    return activation


def account_activate(*, id_number: str, code: str, password: str) -> User:
    """Open (or reset) the account of the person named by id_number, with their one-time code."""
    try:
        number = idnumber.parse(id_number).number
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    person = person_find_by_id_number(number=number)
    if person is None:
        raise _activation_error()
    now = timezone.now()
    open_codes = ActivationCode.objects.filter(
        person=person, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )
    activation = activation_code_check(open_codes, code, now=now, refuse=_activation_error)

    user = User.objects.filter(person=person).first() or User(
        username=f"{TRAINEE_USERNAME_PREFIX}{person.pk}",
        role=Role.TRAINEE,
        person=person,
    )
    user.full_name = person.name
    user.is_active = True
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    with transaction.atomic():
        # Use the code exactly once, even if two requests race with the same code.
        if not open_codes.filter(pk=activation.pk).update(used_at=now):
            raise _activation_error()
        user.set_password(password)
        user.save()
    # A fresh code from the officer also lifts a lockout from earlier failed sign-ins.
    axes_reset(username=lockout_key(number))
    return user
