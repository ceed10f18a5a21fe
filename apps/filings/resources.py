"""Roster rows through django-import-export: `RosterRowExportResource` is the city's
plain-table export of roster rows in the admin (one row per trainee, masked ID numbers). The
portal imports rosters through `apps.filings.services`; the library's row-by-row import that
`bench/roster_import.py` measures it against lives with the benchmark (bench/_roster_baseline.py).
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from apps.filings.models import RosterRow


class RosterRowExportResource(resources.ModelResource):
    organiser = fields.Field(attribute="plan__organiser__name", column_name="组织单位")
    plan = fields.Field(attribute="plan__title", column_name="培训主题")
    number = fields.Field(attribute="number", column_name="序号")
    name = fields.Field(attribute="name", column_name="姓名")
    unit_name = fields.Field(attribute="unit_name", column_name="单位")
    id_masked = fields.Field(attribute="person__id_number_masked", column_name="身份证号码")
    title = fields.Field(attribute="title", column_name="技术职称")
    hours = fields.Field(attribute="hours", column_name="培训学时")
    result = fields.Field(attribute="result", column_name="考试结果")
    remark = fields.Field(attribute="remark", column_name="备注")

    class Meta:
        model = RosterRow
        fields = (
            "organiser",
            "plan",
            "number",
            "name",
            "unit_name",
            "id_masked",
            "title",
            "hours",
            "result",
            "remark",
        )
        export_order = fields

    def get_queryset(self) -> Any:
        return RosterRow.objects.select_related("plan__organiser", "person").order_by(
            "plan", "number"
        )
