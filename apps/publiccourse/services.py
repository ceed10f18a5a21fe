"""Writes of the public course: topics, and exam results imported in two steps.

`results_preview` checks the whole file and keeps a pending batch with its plan (people and
topics by primary key: no ID numbers are kept); `batch_confirm` writes the plan in one
transaction, judged again against the results recorded by then, and credits each new pass on
the ledger through `entries_record`. Importing the same results again changes nothing.

What the city can expect of results that change between imports:
- a failure followed by a pass (a retake) credits the pass when it arrives;
- a pass followed by a failure changes nothing: the pass stands and the preview says so (a
  pass recorded in error is taken back by a correcting ledger entry, not by an import).
"""

from __future__ import annotations

from datetime import timedelta
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.publiccourse.importing import (
    Outcome,
    PlannedRow,
    ResultsCheck,
    classify,
    recorded_results,
    results_check,
)
from apps.publiccourse.models import ImportBatch, PublicResult, PublicTopic, topic_key
from hefei_cpe.uploads import RowProblem

PENDING_LIFETIME = timedelta(days=1)


def _clean_title(title: str) -> str:
    return " ".join(title.split()).strip("《》")


def _check_title_free(*, year: int, title: str, exclude_pk: int | None = None) -> None:
    key = topic_key(title)
    if not key:
        raise ValidationError({"title": _("Give the topic's title.")})
    others = PublicTopic.objects.filter(year=year)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        if other.key == key:
            raise ValidationError(
                {
                    "title": _("%(year)d already has the topic “%(title)s”.")
                    % {"year": year, "title": other.title}
                }
            )


@transaction.atomic
def topic_create(*, year: int, title: str, sort_order: int | None = None) -> PublicTopic:
    title = _clean_title(title)
    _check_title_free(year=year, title=title)
    if sort_order is None:
        highest = PublicTopic.objects.filter(year=year).aggregate(m=Max("sort_order"))["m"]
        sort_order = (highest or 0) + 1
    topic = PublicTopic(year=year, title=title, sort_order=sort_order)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(
    *, topic: PublicTopic, title: str, sort_order: int, is_active: bool
) -> PublicTopic:
    """A topic is renamed only while no result names it: the ledger entries of its passes carry
    the title they were credited under."""
    topic = PublicTopic.objects.select_for_update().get(pk=topic.pk)
    title = _clean_title(title)
    if title != topic.title:
        if topic.results.exists():
            raise ValidationError(
                {"title": _("Results of this topic are imported already; it cannot be renamed.")}
            )
        _check_title_free(year=topic.year, title=title, exclude_pk=topic.pk)
    topic.title = title
    topic.sort_order = sort_order
    topic.is_active = is_active
    topic.full_clean()
    topic.save()
    return topic


def _problem_list(problems: list[RowProblem]) -> list[list[object]]:
    return [[p.row, p.column, p.message] for p in problems]


def _counts(batch: ImportBatch, rows: int, outcomes: dict[Outcome, int]) -> None:
    batch.rows = rows
    batch.passes_credited = outcomes.get(Outcome.CREDIT, 0) + outcomes.get(
        Outcome.CREDIT_AFTER_FAILURE, 0
    )
    batch.passes_after_failure = outcomes.get(Outcome.CREDIT_AFTER_FAILURE, 0)
    batch.passes_known = outcomes.get(Outcome.PASS_KNOWN, 0)
    batch.failures_recorded = outcomes.get(Outcome.FAIL_NEW, 0)
    batch.failures_known = outcomes.get(Outcome.FAIL_KNOWN, 0)
    batch.failures_after_pass = outcomes.get(Outcome.FAIL_AFTER_PASS, 0)
    batch.unknown_skipped = outcomes.get(Outcome.UNKNOWN_SKIPPED, 0)


def results_preview(
    *,
    officer: User,
    year: int,
    file: IO[bytes] | None = None,
    data: bytes | None = None,
    filename: str,
    skip_unknown: bool = False,
) -> tuple[ResultsCheck, ImportBatch | None]:
    """Checks the file; without a problem, keeps it as a pending batch for the city to confirm."""
    check = results_check(
        year=year,
        file=file,
        data=data,
        filename=filename,
        skip_unknown=skip_unknown,
        officer=officer,
    )
    if not check.ok:
        return check, None
    # An officer has one preview open at a time; abandoned ones expire.
    ImportBatch.objects.filter(status=ImportBatch.Status.PENDING).filter(
        imported_by=officer
    ).delete()
    ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, uploaded_at__lt=timezone.now() - PENDING_LIFETIME
    ).delete()
    batch = ImportBatch(
        year=year,
        file_name=filename[-200:],
        skip_unknown=skip_unknown,
        imported_by=officer,
        plan={
            "rows": [[r.row, r.person_id, r.topic_id, int(r.passed)] for r in check.planned],
            "warnings": _problem_list(check.warnings),
        },
    )
    _counts(batch, check.rows, check.outcomes)
    batch.save()
    return check, batch


def batch_warnings(batch: ImportBatch) -> list[RowProblem]:
    return [RowProblem(*item) for item in batch.plan.get("warnings", [])]


def batch_confirm(*, batch: ImportBatch, officer: User) -> ImportBatch:
    """Writes a previewed batch in one transaction; refuses one that is confirmed already."""
    try:
        with transaction.atomic():
            return _batch_write(batch_pk=batch.pk, officer=officer)
    except IntegrityError:
        # Another import wrote results of the same people at the same moment.
        raise ValidationError(
            _("Another import changed these results at the same time; upload the file again.")
        ) from None


def _batch_write(*, batch_pk: int, officer: User) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_pk).first()
    if batch is None:
        raise ValidationError(_("This preview has expired; upload the file again."))
    if not batch.is_pending:
        raise ValidationError(_("This file has been imported already."))
    planned = [
        PlannedRow(row, person_id, topic_id, bool(passed))
        for row, person_id, topic_id, passed in batch.plan.get("rows", [])
    ]
    topics = PublicTopic.objects.in_bulk({r.topic_id for r in planned})
    closed = [t.title for t in topics.values() if not t.is_active]
    if len(topics) != len({r.topic_id for r in planned}) or closed:
        raise ValidationError(
            _("Topics were closed or changed since the preview; upload the file again.")
        )
    recorded = recorded_results(planned, for_update=True)
    outcomes = classify(planned, {key: r.passed for key, r in recorded.items()})
    now = timezone.now()
    new_results: list[PublicResult] = []
    retaken: list[int] = []
    drafts: list[EntryDraft] = []
    counted: dict[Outcome, int] = {}
    for row, outcome in zip(planned, outcomes, strict=True):
        counted[outcome] = counted.get(outcome, 0) + 1
        if outcome in (Outcome.CREDIT, Outcome.FAIL_NEW):
            new_results.append(
                PublicResult(
                    person_id=row.person_id,
                    topic_id=row.topic_id,
                    passed=row.passed,
                    batch=batch,
                    imported_at=now,
                )
            )
        elif outcome == Outcome.CREDIT_AFTER_FAILURE:
            retaken.append(recorded[(row.person_id, row.topic_id)].pk)
        if outcome in (Outcome.CREDIT, Outcome.CREDIT_AFTER_FAILURE):
            topic = topics[row.topic_id]
            drafts.append(
                EntryDraft(
                    person_id=row.person_id,
                    year=topic.year,
                    kind="public_course",
                    params={"topic": topic.title},
                    source=Source.PUBLIC_COURSE,
                    source_key=PublicResult(
                        person_id=row.person_id, topic_id=row.topic_id
                    ).source_key,
                    title=topic.title,
                    source_label=f"公需课考试 {topic.year}",
                )
            )
    PublicResult.objects.bulk_create(new_results, batch_size=2000)
    for start in range(0, len(retaken), 2000):
        PublicResult.objects.filter(pk__in=retaken[start : start + 2000]).update(
            passed=True, batch=batch, imported_at=now
        )
    entries_record(drafts=drafts, reviewer=Reviewer.of(officer))
    skipped = batch.unknown_skipped
    _counts(batch, batch.rows, counted)
    batch.unknown_skipped = skipped
    batch.status = ImportBatch.Status.CONFIRMED
    batch.confirmed_at = now
    batch.imported_by = officer
    batch.plan = {"warnings": batch.plan.get("warnings", [])}
    batch.save()
    return batch


def batch_cancel(*, batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).delete()


def results_import(
    *, officer: User, year: int, file: IO[bytes], filename: str, skip_unknown: bool = False
) -> tuple[ResultsCheck, ImportBatch | None]:
    """Preview and confirm in one go (demo data, scripts): all of the file, or nothing."""
    check, batch = results_preview(
        officer=officer, year=year, file=file, filename=filename, skip_unknown=skip_unknown
    )
    if batch is None:
        return check, None
    return check, batch_confirm(batch=batch, officer=officer)
