"""Notes a person can read (issue 11, point 8): every credit note and every year's reason is plain
Chinese naming the notice's rule, with no internal names (kind, parameter or reason codes) and no
activity ids or item numbers."""

from __future__ import annotations

import re
from typing import Any

from apps.rules import Code
from apps.rules.table import KINDS

from .support import SAMPLE_PARAMS, act, run

# Item numbers and names the person typed are Chinese or digits here, so any Latin word in a
# note would be the engine's own vocabulary leaking out.
NUMBERED = {
    "qualification_cert": {"cert_no": "资格证书0012345"},
    "invention_patent": {"patent_no": "专利2019100012345"},
    "utility_patent": {"patent_no": "专利2019200012345"},
    "provincial_award": {"award_no": "省奖2020一等7号"},
    "city_award": {"award_no": "市奖2020三等9号"},
    "new_technology": {"item_no": "新技术2021第3项"},
    "research_project": {"project_no": "课题2021甲"},
    "paper": {"paper_id": "安徽教育科研二〇二一年第六期"},
}
LOCAL_VALUES = {"topic": "十四五规划", "module": "文字处理", "language": "英语"}
LATIN_WORD = re.compile(r"[A-Za-z_]{2,}")


def _activity(kind: str, year: int, ident: str, **extra: Any) -> dict[str, Any]:
    params = {**SAMPLE_PARAMS[kind], **NUMBERED.get(kind, {}), **extra}
    params = {k: LOCAL_VALUES.get(k, v) if isinstance(v, str) else v for k, v in params.items()}
    return act(kind, year=year, id=ident, **params)


def _every_note_case() -> dict[str, Any]:
    """Every kind twice in four years (duplicates, either-or, caps, aid years), ranks beyond
    the credited places, years before 2016 and before the transfer, a plain year and a make-up."""
    activities = []
    for year in (2014, 2015, 2020, 2021):
        for n, kind in enumerate(KINDS):
            activities.append(_activity(kind, year, f"标识{year}甲{n:03d}"))
            activities.append(_activity(kind, year, f"标识{year}乙{n:03d}"))
    activities += [
        act("computer_exam", year=2021, id="标识001", module="文字处理"),
        act("self_study", year=2021, id="标识002", hours=40, subject="public"),
        act("invention_patent", year=2021, id="标识003", rank=5, patent_no="专利五"),
        act("city_award", year=2021, id="标识004", grade=1, rank=4, award_no="市奖四"),
        act("organized_training", year=2022, id="标识005", hours=60),
        act("public_course", year=2023, id="标识006", topic="十四五规划"),
        act("public_course", year=2023, id="标识007", topic="数字经济"),
        act("organized_training", year=2023, id="标识008", hours=60),
    ]
    return run(activities, cycle=(2014, 2023), transferred_in_year=2015)


def test_every_note_and_reason_is_plain_chinese_without_internal_names() -> None:
    document = _every_note_case()
    notes: list[str] = []
    codes: set[str] = set()
    for credit in document["credits"]:
        assert credit["note"], credit["id"]
        notes.append(credit["note"])
        for reason in credit["reasons"]:
            notes.append(reason["note"])
            codes.add(reason["code"])
    for result in document["years"].values():
        assert result["reasons"]
        for reason in result["reasons"]:
            notes.append(reason["note"])
            codes.add(reason["code"])
    # The case reaches every reason the engine gives (once_per_person is off by default).
    assert codes == {c.value for c in Code} - {Code.ONCE_PER_PERSON.value}
    ids = {str(c["id"]) for c in document["credits"]}
    numbers = {v for params in NUMBERED.values() for v in params.values()}
    for note in notes:
        assert re.search(r"[\u4e00-\u9fff]", note), note
        assert not LATIN_WORD.findall(note), note
        assert not any(ident in note for ident in ids), note
        assert not any(number in note for number in numbers), note
