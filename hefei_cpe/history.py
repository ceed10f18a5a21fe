"""The change history of people, units, bases and plans, kept by django-simple-history.

Each tracked model declares `history = HistoricalRecords(...)`; every save through the ORM
writes a historical row with the whole tracked state, the time and the signed-in user (the
library's `HistoryRequestMiddleware` supplies it). Rows written in bulk (COPY and
`bulk_create` on the import paths) have no history until their first edit:
`baseline_on_first_edit` then records the stored state first, so that edit still shows
before → after. `history_entries` turns an object's rows into what the "修改记录" pages list:
who, when, and each changed field as its label, the value before and the value after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Saved on the baseline row written just before the first edit of a bulk-created row, and on
# the rows the data migrations wrote for what existed when history began.
BASELINE_REASON = "baseline"
INITIAL_REASON = "initial"
# Columns that change on every save and say nothing to a reader.
_NOT_SHOWN = {"updated_at"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str  # the user's full name (or login name)
    login: str  # the user's login name, "" for the system
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""  # why, when the change was made with one (a title year corrected, ...)


_ACTIONS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}


def _keep_baseline(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance._state.adding or instance.pk is None:
        return
    history = sender.history  # type: ignore[attr-defined]
    if history.filter(**{sender._meta.pk.attname: instance.pk}).exists():
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    when = getattr(stored, "created_at", None) or getattr(stored, "filed_at", None)
    stored._history_user = None  # type: ignore[attr-defined]  # who created it is not known
    history.bulk_history_create(
        [stored], default_date=when or timezone.now(), default_change_reason=BASELINE_REASON
    )


def baseline_on_first_edit(model: type[models.Model]) -> None:
    """Before the first save of a row that has no history yet, record its stored state."""
    pre_save.connect(_keep_baseline, sender=model, weak=False, dispatch_uid=f"baseline:{model}")


def _field(model: type[models.Model], name: str) -> models.Field:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # tracked fields are concrete columns
    return model_field


def _display(model: type[models.Model], name: str, value: Any, names: dict[str, dict]) -> str:
    if value is None or value == "":
        return _("(empty)")
    model_field = _field(model, name)
    if model_field.is_relation:
        return str(names.get(name, {}).get(value, f"#{value}"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _who(record: Any) -> tuple[str, str]:
    user = record.history_user
    if user is None:
        return _("System (import or data migration)"), ""
    return getattr(user, "full_name", "") or user.get_username(), user.get_username()


def _reason(record: Any) -> str:
    """The reason a service gave for the change (`instance._change_reason`), if any."""
    reason = record.history_change_reason or ""
    return "" if reason in (BASELINE_REASON, INITIAL_REASON) else reason


def history_entries(obj: models.Model) -> list[HistoryEntry]:
    """The object's history, newest first: one entry per save that changed something. One
    query for the rows with their users, and one per related model whose names are shown."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
            "history_date", "history_id"
        )
    )
    pk_name = model._meta.pk.name
    shown = [
        f.name
        for f in obj.history.model.tracked_fields  # type: ignore[attr-defined]
        # Columns set once by the application (editable=False) are never diffed by the library.
        if f.name not in _NOT_SHOWN and f.name != pk_name and f.editable
    ]
    # Names of the related rows the history points at, fetched once per related model.
    names: dict[str, dict] = {}
    for name in shown:
        model_field = _field(model, name)
        if not model_field.is_relation:
            continue
        attname = model_field.attname
        ids = {getattr(r, attname) for r in records} - {None}
        related = model_field.related_model
        if ids and related is not None and not isinstance(related, str):
            names[name] = {row.pk: str(row) for row in related._default_manager.filter(pk__in=ids)}

    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, included_fields=shown)
            changes = [
                FieldChange(
                    label=str(_field(model, change.field).verbose_name),
                    before=_display(model, change.field, change.old, names),
                    after=_display(model, change.field, change.new, names),
                )
                for change in sorted(delta.changes, key=lambda c: shown.index(c.field))
            ]
            if changes:
                entries.append(
                    HistoryEntry(
                        record.history_date,
                        *_who(record),
                        str(_ACTIONS["~"]),
                        changes,
                        _reason(record),
                    )
                )
        elif record.history_type != "~":
            action = str(_ACTIONS.get(record.history_type, record.history_type))
            if record.history_change_reason == BASELINE_REASON:
                action = _("Registered (state before the first change)")
            elif record.history_change_reason == INITIAL_REASON:
                action = _("Existing record when the change history began")
            entries.append(HistoryEntry(record.history_date, *_who(record), action))
        previous = record
    entries.reverse()
    return entries
