"""A plan's roster as the Attachment 2 form (继续教育合格人员简明情况汇总表), the way a clerk
fills it in by hand: title, header block, the bordered table, contact lines; A4, fitted to the
page width, the column row repeated on every printed page. With no roster yet it is the blank
form for the plan, with the header filled in.

Every value goes through the portal's one xlsx writer (`hefei_cpe.xlsx.put`), so a text a
spreadsheet could take for a formula is shown, never run.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from apps.filings.models import Plan, RosterRow
from apps.filings.roster import FORM_TITLE
from apps.people import crypto
from hefei_cpe.xlsx import XlsxWriter
from hefei_cpe.xlsx import put as _put

HEADINGS = (
    "序 号",
    "姓 名",
    "单 位",
    "身 份 证 号 码",
    "技 术 职 称",
    "培 训 学 时",
    "考 试 结 果",
    "备 注",
)
WIDTHS = (6, 10, 30, 21, 13, 9, 9, 12)
BLANK_LINES = 10  # the empty form still offers lines to write on
FONT = "宋体"


def _md(day: dt.date) -> str:
    return f"{day.month} 月 {day.day} 日"


def _period(plan: Plan) -> str:
    return f"{plan.start_date.year} 年 {_md(plan.start_date)} 至 {_md(plan.end_date)}"


def roster_workbook(*, plan: Plan, rows: list[RosterRow], contact: str = "") -> bytes:
    writer = XlsxWriter(title="附件2")
    sheet = writer.sheet
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    sheet.merge_cells("A1:H1")
    _put(sheet, 1, 1, FORM_TITLE, font=Font(name=FONT, size=18, bold=True), alignment=centre)
    sheet.row_dimensions[1].height = 36
    sheet.merge_cells("A2:H2")
    _put(sheet, 2, 1, f"填报单位：{plan.organiser.name}", font=body, alignment=left)
    filled = timezone.localdate()
    sheet.merge_cells("A3:H3")
    _put(sheet, 3, 1, f"填表时间：{_md(filled)}", font=body, alignment=left)
    for row in (2, 3):
        sheet.row_dimensions[row].height = 22

    sheet.merge_cells("A4:B4")
    sheet.merge_cells("C4:D4")
    sheet.merge_cells("F4:H4")
    _put(sheet, 4, 1, "培 训 主 题", font=bold, alignment=centre)
    _put(sheet, 4, 3, plan.title, font=body, alignment=centre)
    _put(sheet, 4, 5, "培 训 时 间", font=bold, alignment=centre)
    _put(sheet, 4, 6, _period(plan), font=body, alignment=centre)
    sheet.row_dimensions[4].height = 36
    for column, heading in enumerate(HEADINGS, start=1):
        _put(sheet, 5, column, heading, font=bold, alignment=centre)
    sheet.row_dimensions[5].height = 30

    row = 5
    for item in rows:
        row += 1
        values = (
            item.number,
            item.name,
            item.unit_name,
            crypto.decrypt(item.person.id_number_encrypted),
            item.title,
            float(item.hours) if item.hours is not None else None,
            item.result,
            item.remark,
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value, font=body, alignment=centre if column != 3 else left)
        sheet.cell(row=row, column=4).number_format = "@"
        sheet.cell(row=row, column=6).number_format = "0.0"
        sheet.row_dimensions[row].height = 20
    for _ in range(0 if rows else BLANK_LINES):
        row += 1
        for column in range(1, 9):
            sheet.cell(row=row, column=column).font = body
        sheet.row_dimensions[row].height = 22
    for line in range(4, row + 1):
        for column in range(1, 9):
            sheet.cell(row=line, column=column).border = box

    row += 2
    _put(sheet, row, 1, f"联系人：{contact}", font=body)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    row += 1
    _put(sheet, row, 1, f"联系电话：{plan.organiser.phone}", font=body)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)

    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = "5:5"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return writer.getvalue()
