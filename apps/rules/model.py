"""The engine's input: frozen dataclasses, one per activity kind, and the case around them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

ActivityId = str | int


class Subject(StrEnum):
    PROFESSIONAL = "professional"  # 专业科目
    PUBLIC = "public"  # 公需科目


@dataclass(frozen=True)
class PublicCourse:
    kind: ClassVar[str] = "public_course"
    topic: str


@dataclass(frozen=True)
class ComputerTraining:
    kind: ClassVar[str] = "computer_training"
    module: str


@dataclass(frozen=True)
class ComputerExam:
    kind: ClassVar[str] = "computer_exam"
    module: str


@dataclass(frozen=True)
class LanguageTraining:
    kind: ClassVar[str] = "language_training"
    language: str


@dataclass(frozen=True)
class LanguageExam:
    kind: ClassVar[str] = "language_exam"
    language: str


@dataclass(frozen=True)
class MinistryTraining:
    kind: ClassVar[str] = "ministry_training"
    hours: Decimal
    days: int


@dataclass(frozen=True)
class OrganizedTraining:
    kind: ClassVar[str] = "organized_training"
    hours: Decimal


@dataclass(frozen=True)
class BaseTraining:
    kind: ClassVar[str] = "base_training"
    hours: Decimal


@dataclass(frozen=True)
class DegreeCourse:
    kind: ClassVar[str] = "degree_course"
    courses: int


@dataclass(frozen=True)
class SelfStudy:
    kind: ClassVar[str] = "self_study"
    hours: Decimal
    subject: Subject = Subject.PROFESSIONAL


@dataclass(frozen=True)
class NationalConference:
    kind: ClassVar[str] = "national_conference"
    paper_chars: int  # 0 = attended without a paper


@dataclass(frozen=True)
class ProvincialConference:
    kind: ClassVar[str] = "provincial_conference"
    paper_chars: int


@dataclass(frozen=True)
class ResearchProject:
    kind: ClassVar[str] = "research_project"
    level: str  # national / provincial / city
    role: str  # main / sub
    rank: int
    project_no: str | None = None  # once per project and year


@dataclass(frozen=True)
class Book:
    kind: ClassVar[str] = "book"
    chars: int


@dataclass(frozen=True)
class Paper:
    kind: ClassVar[str] = "paper"
    journal: str  # national / provincial
    chars: int
    indexed: bool
    paper_id: str | None = None  # the same paper never counts twice


@dataclass(frozen=True)
class AidService:
    kind: ClassVar[str] = "aid_service"


@dataclass(frozen=True)
class QualificationCert:
    kind: ClassVar[str] = "qualification_cert"
    cert_no: str | None = None


@dataclass(frozen=True)
class TeacherTraining:
    kind: ClassVar[str] = "teacher_training"


@dataclass(frozen=True)
class KeyTeacher:
    kind: ClassVar[str] = "key_teacher"
    hours: Decimal


@dataclass(frozen=True)
class PrincipalTraining:
    kind: ClassVar[str] = "principal_training"


@dataclass(frozen=True)
class InventionPatent:
    kind: ClassVar[str] = "invention_patent"
    rank: int
    patent_no: str | None = None


@dataclass(frozen=True)
class UtilityPatent:
    kind: ClassVar[str] = "utility_patent"
    rank: int
    patent_no: str | None = None


@dataclass(frozen=True)
class ProvincialAward:
    kind: ClassVar[str] = "provincial_award"
    grade: int  # 1 = 一等奖
    rank: int  # 1 = first of the award's people
    award_no: str | None = None


@dataclass(frozen=True)
class CityAward:
    kind: ClassVar[str] = "city_award"
    grade: int
    rank: int
    award_no: str | None = None


@dataclass(frozen=True)
class NewTechnology:
    kind: ClassVar[str] = "new_technology"
    level: str  # international / national / provincial
    rank: int
    item_no: str | None = None


@dataclass(frozen=True)
class MedicalCredit:
    kind: ClassVar[str] = "medical_credit"
    credits: Decimal


@dataclass(frozen=True)
class PaperBooklet:
    """A year's total of one subject as the paper booklet records it (历史学时补录), copied by
    the officer for a year before the portal's records: credited as recorded."""

    kind: ClassVar[str] = "paper_booklet"
    hours: Decimal
    subject: Subject


Params = (
    PublicCourse
    | ComputerTraining
    | ComputerExam
    | LanguageTraining
    | LanguageExam
    | MinistryTraining
    | OrganizedTraining
    | BaseTraining
    | DegreeCourse
    | SelfStudy
    | NationalConference
    | ProvincialConference
    | ResearchProject
    | Book
    | Paper
    | AidService
    | QualificationCert
    | TeacherTraining
    | KeyTeacher
    | PrincipalTraining
    | InventionPatent
    | UtilityPatent
    | ProvincialAward
    | CityAward
    | NewTechnology
    | MedicalCredit
    | PaperBooklet
)


@dataclass(frozen=True)
class Activity:
    """One credited item: a roster row, a public-course result or an approved claim.

    Activities are credited in time order: by `year`, then in the order of the case's input
    (the order they were recorded)."""

    id: ActivityId
    year: int
    params: Params

    @property
    def kind(self) -> str:
        return self.params.kind


@dataclass(frozen=True)
class Person:
    industry: str | None = None
    transferred_in_year: int | None = None  # years before it are not assessed


@dataclass(frozen=True)
class Cycle:
    """A tenure cycle [start, end], both years included."""

    start: int
    end: int

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))


@dataclass(frozen=True)
class Case:
    person: Person
    activities: tuple[Activity, ...]
    years: tuple[int, ...] | None = None  # None: the years of the activities and the cycle
    cycle: Cycle | None = None
