"""Attachment 1 (市级继续教育基地情况一览表) in and out, with django-import-export.

The notice lists 32 rows but 31 bases: rows 14 and 16 are both 合肥皖博职业培训学校. Rows that
name the same base are merged before import (their row numbers kept as 14、16), bases are
matched by name, and unchanged rows are skipped, so loading the file twice changes nothing.
Importing never reactivates a base the city has deactivated, and never touches an industry
authority (the other kind of organiser, kept by the city on its own page).
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from apps.bases.models import Organiser
from hefei_cpe import cleaning

ROW = "序号"
NAME = "继续教育基地名称"
PHONE = "联系电话"


def _clean(value: Any) -> str:
    """The one cell cleaner (hefei_cpe/cleaning.py), and a phone number Excel stored as a float
    and a CSV then wrote as text ("62611533.0") loses its ".0" too."""
    text = cleaning.text(value)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


class TrainingBaseResource(resources.ModelResource):
    notice_rows = fields.Field(attribute="notice_rows", column_name=ROW)
    name = fields.Field(attribute="name", column_name=NAME)
    phone = fields.Field(attribute="phone", column_name=PHONE)

    class Meta:
        model = Organiser
        fields = ("notice_rows", "name", "phone")
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self) -> Any:
        # Attachment 1 lists training bases: an industry authority is never matched or changed.
        return Organiser.objects.filter(kind=Organiser.Kind.TRAINING_BASE)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        missing = [column for column in (NAME, PHONE) if column not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                f"表头缺少列：{'、'.join(missing)}（应为 序号、继续教育基地名称、联系电话）"
            )
        merged: dict[str, dict[str, Any]] = {}
        for row in dataset.dict:
            name = _clean(row.get(NAME))
            if not name:
                continue  # blank line in the spreadsheet
            entry = merged.setdefault(name, {ROW: [], NAME: name, PHONE: _clean(row.get(PHONE))})
            number = _clean(row.get(ROW))
            if number and number not in entry[ROW]:
                entry[ROW].append(number)
            if not entry[PHONE]:
                entry[PHONE] = _clean(row.get(PHONE))
        dataset.wipe()
        dataset.headers = [ROW, NAME, PHONE]
        for entry in merged.values():
            dataset.append(["、".join(entry[ROW]), entry[NAME], entry[PHONE]])
