from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.bases.services import ATTACHMENT_1, bases_load


class Command(BaseCommand):
    help = "载入附件1《市级继续教育基地情况一览表》（.csv 或 .xlsx）；重复载入不会改变任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(ATTACHMENT_1))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        file = Path(path)
        if not file.exists():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = bases_load(path=file)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if result.has_errors() or result.has_validation_errors():
            lines = [str(error.error) for error in result.base_errors]
            lines += [f"第 {row.number} 行：{row.error_dict}" for row in result.invalid_rows]
            lines += [
                f"第 {number} 行：{errors[0].error}" for number, errors in result.row_errors()
            ]
            raise CommandError("附件1 有错误，未写入任何数据：\n" + "\n".join(lines))
        totals = result.totals
        self.stdout.write(
            f"继续教育基地：新增 {totals['new']}，更新 {totals['update']}，未变 {totals['skip']}。"
        )
