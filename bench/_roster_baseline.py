"""The baseline of bench/roster_import.py: the Attachment 2 form imported django-import-export's
default way, one row at a time (find or register the person, save the row, credit the ledger
entry). Correct, and kept here, with the benchmark, not in the production app: the portal
imports rosters through `apps.filings.services` (check, preview, confirm)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from import_export import fields, resources

from apps.accounts.models import User
from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entry_record
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.filings.roster import COLUMNS, RESULTS
from apps.filings.services import roster_entry_kind, unplaced_jurisdiction
from apps.people import idnumber
from apps.people.models import Unit
from apps.people.selectors import person_find_by_id_number
from apps.people.services import person_create
from hefei_cpe.cleaning import compact
from hefei_cpe.cleaning import text as clean


class RosterRowImportResource(resources.ModelResource):
    """The default row-by-row import of the form for one plan (`plan`, `user`, `upload`)."""

    number = fields.Field(attribute="number", column_name="序号")
    name = fields.Field(attribute="name", column_name="姓名")
    unit_name = fields.Field(attribute="unit_name", column_name="单位")
    title = fields.Field(attribute="title", column_name="技术职称")
    hours = fields.Field(attribute="hours", column_name="培训学时")
    result = fields.Field(attribute="result", column_name="考试结果")
    remark = fields.Field(attribute="remark", column_name="备注")

    class Meta:
        model = RosterRow
        fields = ("number", "name", "unit_name", "title", "hours", "result", "remark")
        import_id_fields = ("number",)
        use_transactions = True

    def __init__(self, *, plan: Plan, user: User, upload: RosterUpload) -> None:
        super().__init__()
        self.plan, self.user, self.upload = plan, user, upload

    def get_queryset(self) -> Any:
        return RosterRow.objects.filter(plan=self.plan)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        """Drop the header block: the column row becomes the dataset's headers."""
        rows = [list(dataset.headers or []), *[list(r) for r in dataset]]
        start = next(i for i, r in enumerate(rows) if "姓名" in [compact(c) for c in r])
        headers = [compact(c) for c in rows[start]]
        dataset.wipe()
        dataset.headers = [h if h in COLUMNS else f"_{i}" for i, h in enumerate(headers)]
        for r in rows[start + 1 :]:
            values = [clean(c) for c in r]
            if values[1:8] != [""] * 7 and not compact(values[0]).startswith("联系"):
                dataset.append(values)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        resident_id = idnumber.parse(row["身份证号码"])
        person = person_find_by_id_number(number=resident_id.number)
        if person is None:
            unit = Unit.objects.filter(name=row["单位"]).order_by("pk").first()
            if unit is None:
                unit = Unit.objects.create(name=row["单位"], jurisdiction=unplaced_jurisdiction())
            person = person_create(
                name=row["姓名"],
                id_number=resident_id.number,
                unit=unit,
                industry=self.plan.industry,
                title=row["技术职称"],
            )
        elif person.name != row["姓名"]:
            raise ValueError(f"name mismatch on {row['序号']}")
        row["_person"] = person

    def import_instance(self, instance: RosterRow, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.plan = self.plan
        instance.upload = self.upload
        instance.person = row["_person"]
        instance.passed = RESULTS.get(compact(row["考试结果"]), False)
        instance.hours = Decimal(str(row["培训学时"])) if row["培训学时"] else None

    def after_save_instance(self, instance: RosterRow, row: Any, **kwargs: Any) -> None:
        if instance.passed and instance.hours is not None:
            entry_record(
                draft=EntryDraft(
                    person_id=instance.person_id,
                    year=self.plan.end_date.year,
                    kind=roster_entry_kind(self.plan),
                    params={"hours": float(instance.hours)},
                    source=Source.ROSTER,
                    source_key=f"plan:{self.plan.pk}:person:{instance.person_id}",
                    title=self.plan.title,
                    source_label=f"{self.plan.organiser.name}：{self.plan.title}",
                    occurred_on=self.plan.end_date,
                ),
                reviewer=Reviewer.of(self.user),
            )
