"""Password rules of the portal, every message in the portal's own (Chinese) catalogue.

A trainee signs in with their resident ID number, so a password like the ID number (with a
trailing x, in any case, with spaces or dashes) is as good as none; staff sign in with a login
name. Both are refused, as are the name and phone number on the account.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import TRAINEE_USERNAME_PREFIX, Role

MIN_LENGTH = 10


def _folded(text: str) -> str:
    """Case, width, spaces and punctuation removed: '３４０１04 1995-1021 1132X' becomes
    '340104199510211132x'."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _too_similar(password: str, value: str, max_similarity: float) -> bool:
    value = _folded(value)
    if len(value) < 3 or not password:
        return False
    if value in password or (len(password) >= 6 and password in value):
        return True
    return SequenceMatcher(a=password, b=value).ratio() >= max_similarity


class MinimumLengthValidator:
    def __init__(self, min_length: int = MIN_LENGTH) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("The password must have at least %(min_length)d characters."),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return _("At least %(min_length)d characters.") % {"min_length": self.min_length}


class PersonalDataSimilarityValidator:
    """Refuses a password close to the ID number, the login name, the name or the phone."""

    def __init__(self, max_similarity: float = 0.7) -> None:
        self.max_similarity = max_similarity

    def _values(self, user: Any) -> list[tuple[str, str]]:
        values: list[tuple[str, str]] = []
        person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
        if person is not None:
            values.append(
                (person.reveal_id_number(), _("The password is too similar to your ID number."))
            )
        username = getattr(user, "username", "") or ""
        if username and not (
            getattr(user, "role", None) == Role.TRAINEE
            or username.startswith(TRAINEE_USERNAME_PREFIX)
        ):
            values.append((username, _("The password is too similar to your login name.")))
        for attribute, message in (
            ("full_name", _("The password is too similar to your name.")),
            ("phone", _("The password is too similar to your phone number.")),
        ):
            value = getattr(user, attribute, "") or ""
            if value:
                values.append((value, message))
        return values

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _folded(password)
        for value, message in self._values(user):
            # The whole value and its parts (a login name like "li.si-2020").
            parts = [value, *re.split(r"[\W_]+", value)]
            if any(_too_similar(folded, part, self.max_similarity) for part in parts):
                raise ValidationError(message, code="password_too_similar")

    def get_help_text(self) -> str:
        return _("Not like your ID number, login name, name or phone number.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is one of the most common passwords; choose another.")

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("The password may not consist of digits only.")

    def get_help_text(self) -> str:
        return _("Not digits only.")
