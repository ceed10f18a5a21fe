"""Stable machine codes for every cut and every year-level decision, and the `Reason` record."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Code(StrEnum):
    # Cuts on one activity (its hours end below its nominal hours).
    SELF_STUDY_CAP = "self_study_cap"  # 自学每年合计不超过 36 学时
    EITHER_OR = "either_or"  # 职称计算机 / 职称外语 培训与考试二选一
    SAME_PAPER = "same_paper"  # 同一篇论文只按最高学时计一次
    SAME_ITEM = "same_item"  # 同一证书、专利、奖励、项目（编号相同）只认定一次
    RANK_BEYOND_CREDITED = "rank_beyond_credited"  # 排名超出认定名次，不计学时
    ONCE_PER_YEAR = "once_per_year"  # 每年只计一次（援助服务每年 90 学时）
    ONCE_PER_PERSON = "once_per_person"  # 每人只计一次（仅当设置启用时）
    # Year-level decisions.
    REQUIREMENT_MET = "requirement_met"  # 本年度自身学时达到要求
    SHORTFALL = "shortfall"  # 本年度自身学时不足（补学前）
    MADE_UP = "made_up"  # 本年度不足部分由下一年度同科目超出部分顺延补学
    SURPLUS_USED = "surplus_used"  # 本年度超出部分已用于补上一年度
    EXEMPT_BEFORE_TRANSFER = "exempt_before_transfer"  # 调入合肥前的年度不考核
    AID_SERVICE_YEAR = "aid_service_year"  # 援助服务年度视为达标


@dataclass(frozen=True)
class Reason:
    code: Code
    note: str  # Chinese, for people


TENTH = Decimal("0.1")
ZERO = Decimal("0.0")


def round_hours(value: Decimal) -> Decimal:
    """Hours have one decimal place, rounded half-up (17.25 -> 17.3)."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """A number for Chinese notes: 24, 17.5 (no trailing .0)."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.normalize():f}"
