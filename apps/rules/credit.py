"""The nominal credit of one activity on its own: one row of Attachment 3, nothing else.

Cuts that depend on other activities (caps, either-or, paper dedupe) are made by `engine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import (
    Activity,
    AidService,
    BaseTraining,
    Book,
    CityAward,
    ComputerExam,
    ComputerTraining,
    DegreeCourse,
    InventionPatent,
    KeyTeacher,
    LanguageExam,
    LanguageTraining,
    MedicalCredit,
    MinistryTraining,
    NationalConference,
    NewTechnology,
    OrganizedTraining,
    Paper,
    PaperBooklet,
    PrincipalTraining,
    ProvincialAward,
    ProvincialConference,
    PublicCourse,
    QualificationCert,
    ResearchProject,
    SelfStudy,
    Subject,
    TeacherTraining,
    UtilityPatent,
)
from .reasons import Code, Reason, fmt, round_hours
from .table import DEFAULT_TABLE, NEW_TECHNOLOGY_LABELS, VALUE_LABELS, ConferenceRate, RuleTable

_GRADES = "一二三四五六七八九十"


@dataclass(frozen=True)
class Nominal:
    """What one activity is worth on its own (before year-level cuts)."""

    hours: Decimal  # one decimal place
    subject: Subject
    note: str  # how the hours were found, in Chinese
    reasons: tuple[Reason, ...] = ()  # only `rank_beyond_credited` can appear here


def _label(value: str) -> str:
    return VALUE_LABELS.get(value, value)


def _conference(name: str, rate: ConferenceRate, paper_chars: int) -> Nominal:
    note = f"参加{name}认定 {fmt(rate.attendance)} 学时"
    hours = rate.attendance
    if paper_chars > 0:
        if paper_chars <= rate.paper_threshold:
            bonus, band = rate.short_paper, f"{rate.paper_threshold} 字以内"
        else:
            bonus, band = rate.long_paper, f"{rate.paper_threshold} 字以上"
        hours += bonus
        note += f"；报告论文 {paper_chars} 字（{band}）另加 {fmt(bonus)} 学时，计 {fmt(hours)} 学时"
    return Nominal(round_hours(hours), Subject.PROFESSIONAL, note)


def _by_rank(what: str, rank: int, ladder: tuple[Decimal, ...], tail: str = "") -> Nominal:
    if rank <= len(ladder):
        hours = ladder[rank - 1]
        return Nominal(
            round_hours(hours), Subject.PROFESSIONAL, f"{what}第 {rank} 名{tail}：{fmt(hours)} 学时"
        )
    note = f"{what}第 {rank} 名：按排名只认定前 {len(ladder)} 名，不计学时"
    reason = Reason(
        Code.RANK_BEYOND_CREDITED, f"按附件3排名认定前 {len(ladder)} 名，第 {rank} 名不计学时"
    )
    return Nominal(round_hours(Decimal(0)), Subject.PROFESSIONAL, note, (reason,))


def _award(
    level: str,
    grade: int,
    rank: int,
    by_grade: tuple[Decimal, ...],
    by_rank: tuple[Decimal, ...],
) -> Nominal:
    """附件3 "拟一次性按72、60、40学时核定 | 按照排名顺序": the grade sets the ceiling and
    the rank order lowers it; the lower of the two figures counts."""
    what = f"{level}科学技术{_GRADES[grade - 1]}等奖"
    ceiling = by_grade[grade - 1]
    if rank > len(by_rank):
        note = f"{what}第 {rank} 名：按照排名顺序只认定前 {len(by_rank)} 名，不计学时"
        reason = Reason(
            Code.RANK_BEYOND_CREDITED,
            f"按附件3“按照排名顺序”认定前 {len(by_rank)} 名，第 {rank} 名不计学时",
        )
        return Nominal(round_hours(Decimal(0)), Subject.PROFESSIONAL, note, (reason,))
    by_place = by_rank[rank - 1]
    hours = min(ceiling, by_place)
    note = (
        f"{what}第 {rank} 名：按奖励等级 {fmt(ceiling)} 学时、按照排名顺序 {fmt(by_place)} 学时"
        f"，取较低者一次性认定 {fmt(hours)} 学时"
    )
    return Nominal(round_hours(hours), Subject.PROFESSIONAL, note)


def _professional(hours: Decimal, note: str) -> Nominal:
    return Nominal(round_hours(hours), Subject.PROFESSIONAL, note)


def credit_activity(activity: Activity, table: RuleTable = DEFAULT_TABLE) -> Nominal:
    """The hours, subject and note of one activity by Attachment 3, before year-level cuts."""
    t = table
    p = activity.params
    match p:
        case PublicCourse():
            note = f"公需课《{p.topic}》考试合格：{fmt(t.public_course)} 学时/门（公需科目）"
            return Nominal(round_hours(t.public_course), Subject.PUBLIC, note)
        case ComputerTraining():
            h = t.computer_training
            return _professional(h, f"职称计算机培训（模块：{p.module}）：{fmt(h)} 学时/模块")
        case ComputerExam():
            h = t.computer_exam
            return _professional(h, f"职称计算机考试通过（模块：{p.module}）：{fmt(h)} 学时/模块")
        case LanguageTraining():
            h = t.language_training
            return _professional(h, f"职称外语培训（{p.language}）：{fmt(h)} 学时")
        case LanguageExam():
            h = t.language_exam
            return _professional(h, f"职称外语考试通过（{p.language}）：{fmt(h)} 学时")
        case MinistryTraining():
            if p.days > t.ministry_long_days:
                h = t.ministry_long_hours
                note = (
                    f"国家部委及国（境）外培训 {p.days} 天，超过 {t.ministry_long_days} 天"
                    f"按 {fmt(h)} 学时认定"
                )
                return _professional(h, note)
            h = round_hours(p.hours)
            note = f"国家部委及国（境）外培训 {p.days} 天，按认定的 {fmt(h)} 学时"
            return _professional(h, note)
        case OrganizedTraining():
            h = round_hours(p.hours)
            return _professional(h, f"省市有关部门、行业组织培训：主办单位认定 {fmt(h)} 学时")
        case BaseTraining():
            h = round_hours(p.hours)
            return _professional(h, f"省、市级继续教育基地培训：按备案计划认定 {fmt(h)} 学时")
        case DegreeCourse():
            h = t.degree_course * p.courses
            note = (
                f"学历、学位教育或课程进修：考试合格 {p.courses} 门 × {fmt(t.degree_course)} 学时"
                f" = {fmt(h)} 学时"
            )
            return _professional(h, note)
        case SelfStudy():
            h = round_hours(p.hours)
            note = (
                f"自学（{_label(p.subject.value)}）：认定 {fmt(h)} 学时"
                f"（附件3：自学每年不超过 {fmt(t.self_study_cap)} 学时，两科合计）"
            )
            return Nominal(h, p.subject, note)
        case NationalConference():
            return _conference("国家部委举办的学术会议", t.national_conference, p.paper_chars)
        case ProvincialConference():
            return _conference("省级学术会议", t.provincial_conference, p.paper_chars)
        case ResearchProject():
            ladder = t.research_project[p.level].get(p.role, ())
            what = f"{_label(p.level)}课题{_label(p.role)}"
            return _by_rank(what, p.rank, ladder, "（每年）")
        case Book():
            rate = t.book
            exact = rate.hours * p.chars / rate.per_chars
            h = round_hours(exact)
            note = (
                f"出版著作（译作）{p.chars} 字，每 {rate.per_chars} 字 {fmt(rate.hours)} 学时"
                f"，计 {fmt(h)} 学时"
            )
            return _professional(h, note)
        case Paper():
            rate = t.paper[p.journal]
            by_chars = round_hours(rate.hours * p.chars / rate.per_chars)
            note = (
                f"{_label(p.journal)}刊物论文 {p.chars} 字，每 {rate.per_chars} 字"
                f" {fmt(rate.hours)} 学时，计 {fmt(by_chars)} 学时"
            )
            h = by_chars
            if p.indexed:
                h = max(by_chars, round_hours(t.paper_indexed))
                note += (
                    f"；被国际著名检索机构收录，按 {fmt(t.paper_indexed)} 学时与按字数计算取高"
                    f"，计 {fmt(h)} 学时"
                )
            return _professional(h, note)
        case AidService():
            h = t.aid_service.for_year(activity.year)
            note = f"援藏、援外、扶贫、支教、支医、支农等：{activity.year} 年度按 {fmt(h)} 学时登记"
            if activity.year < t.aid_service.before_year:
                note += f"（附件3：{t.aid_service.before_year}年前按照72学时审核）"
            return _professional(h, note + "，本年度视为达标，不用于顺延补学")
        case QualificationCert():
            h = t.qualification_cert.for_year(activity.year)
            note = f"考试取得中级专业技术资格或执业资格证书：一次性认定 {fmt(h)} 学时"
            if activity.year < t.qualification_cert.before_year:
                note += f"（附件3：{t.qualification_cert.before_year}年前按照72学时审核）"
            return _professional(h, note)
        case TeacherTraining():
            h = t.teacher_training
            return _professional(h, f"中小学教师岗位培训等：认定 {fmt(h)} 学时")
        case KeyTeacher():
            return _professional(p.hours, f"全国骨干教师：{fmt(p.hours)} 学时")
        case PrincipalTraining():
            h = t.principal_training
            return _professional(h, f"中小学校长任职培训、幼儿园园长培训：认定 {fmt(h)} 学时")
        case InventionPatent():
            return _by_rank("国家发明专利", p.rank, t.invention_patent, "（一次性）")
        case UtilityPatent():
            return _by_rank("实用新型、外观设计专利", p.rank, t.utility_patent, "（一次性）")
        case ProvincialAward():
            return _award("省部级", p.grade, p.rank, t.provincial_award, t.provincial_award_rank)
        case CityAward():
            return _award("市厅级", p.grade, p.rank, t.city_award, t.city_award_rank)
        case NewTechnology():
            places = t.new_technology_places
            ladder = (t.new_technology[p.level],) * places
            level = NEW_TECHNOLOGY_LABELS.get(p.level, p.level)
            return _by_rank(f"引进推广新技术、新成果（{level}）合作者", p.rank, ladder, "（每项）")
        case MedicalCredit():
            h = round_hours(p.credits * t.medical_credit)
            note = f"医学类学分 {fmt(p.credits)} 分 × {fmt(t.medical_credit)} 学时 = {fmt(h)} 学时"
            return _professional(h, note)
        case PaperBooklet():
            h = round_hours(p.hours)
            note = f"纸质证书补录（{_label(p.subject.value)}）：按证书登记 {fmt(h)} 学时"
            return Nominal(h, p.subject, note)
