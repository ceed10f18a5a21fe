"""Migrating a database of the portal as it was before organisers (bases 0003, accounts 0005,
filings 0004) loses nothing: every base, login, plan, roster and ledger entry, and the history
of bases and plans, keeps its id and its links (issue 14, "Done when")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.bases.models import Organiser
from apps.credits.models import LedgerEntry
from apps.filings.models import Plan, RosterRow, RosterUpload
from tests.dbowner import as_owner
from tests.factories import make_person

BEFORE = [
    ("bases", "0003_history_initial"),
    ("accounts", "0005_activation_code_for_logins"),
    ("filings", "0004_history_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _before_targets(executor):
    """Every app at its leaf but these three, which are where they were before organisers."""
    changed = {app for app, _ in BEFORE}
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in changed]
    return leaves + BEFORE


def _old_state(executor):
    return executor.loader.project_state(_before_targets(executor)).apps


def _load_before(old, people):
    """Rows as the portal before issue 14 wrote them: two bases, their staff, plans in several
    states, a confirmed roster with its rows and ledger entries, and their history."""
    now = timezone.now()
    Base = old.get_model("bases", "TrainingBase")
    HistoricalBase = old.get_model("bases", "HistoricalTrainingBase")
    OldUser = old.get_model("accounts", "User")
    OldPlan = old.get_model("filings", "Plan")
    HistoricalPlan = old.get_model("filings", "HistoricalPlan")
    Upload = old.get_model("filings", "RosterUpload")
    Row = old.get_model("filings", "RosterRow")
    Entry = old.get_model("credits", "LedgerEntry")
    Industry = old.get_model("people", "Industry")

    # Ids with gaps, as a real database has after deletions and rollbacks.
    wanbo = Base.objects.create(id=14, name="合肥皖博职业培训学校", notice_rows="14、16")
    other = Base.objects.create(id=29, name="合肥市卫生人力资源培训管理服务中心", is_active=False)
    for base in (wanbo, other):
        HistoricalBase.objects.create(
            id=base.id,
            name=base.name,
            phone="",
            notice_rows=base.notice_rows,
            is_active=base.is_active,
            created_at=now,
            history_date=now,
            history_type="+",
            history_change_reason="initial",
        )
    staff = OldUser.objects.create(
        username="base-wanbo", full_name="陈经办", role="base_staff", base=wanbo, password="!"
    )
    OldUser.objects.create(
        username="base-other", full_name="王经办", role="base_staff", base=other, password="!"
    )
    city = OldUser.objects.create(username="city", full_name="王管理", role="city_officer")
    health = Industry.objects.get(code="health")
    plans = []
    for number, (base, status) in enumerate(
        [(wanbo, "acknowledged"), (wanbo, "refused"), (other, "filed"), (wanbo, "returned")]
    ):
        plan = OldPlan.objects.create(
            id=100 + 7 * number,
            base=base,
            title=f"培训{number}",
            industry=health,
            mode="face_to_face",
            start_date=dt.date(2026, 5, 10),
            end_date=dt.date(2026, 5, 12),
            planned_hours=Decimal("24"),
            place="合肥",
            status=status,
            filed_by=staff,
            reviewed_by=city if status in ("acknowledged", "returned") else None,
        )
        HistoricalPlan.objects.create(
            **{
                f.attname: getattr(plan, f.attname)
                for f in OldPlan._meta.concrete_fields
                if f.attname != "subject"
            },
            subject="professional",
            history_date=now,
            history_type="+",
            history_change_reason="initial",
        )
        plans.append(plan)
    upload = Upload.objects.create(
        plan=plans[0],
        uploaded_by=staff,
        filename="附件2.xlsx",
        sha256="-",
        row_count=len(people),
        passed_count=len(people),
        status="confirmed",
        credited_count=len(people),
    )
    for number, person in enumerate(people, start=1):
        Row.objects.create(
            plan=plans[0],
            upload=upload,
            person_id=person.pk,
            number=number,
            name=person.name,
            unit_name="合肥市第一人民医院",
            hours=Decimal("24"),
            result="合格",
            passed=True,
        )
        Entry.objects.create(
            person_id=person.pk,
            year=2026,
            kind="base_training",
            subject="professional",
            params={"hours": 24.0},
            hours=Decimal("24"),
            title=plans[0].title,
            source="roster",
            source_key=f"plan:{plans[0].pk}:person:{person.pk}",
            source_label=f"{wanbo.name}：{plans[0].title}",
            reviewer_name="陈经办",
            reviewer_org=wanbo.name,
            occurred_on=plans[0].end_date,
        )


def _snapshot():
    return {
        "organisers": list(Organiser.objects.order_by("id").values_list("id", "name", "is_active")),
        "staff": list(
            User.objects.filter(organiser__isnull=False)
            .order_by("id")
            .values_list("id", "username", "organiser_id")
        ),
        "plans": list(
            Plan.objects.order_by("id").values_list("id", "organiser_id", "title", "status")
        ),
        "uploads": list(RosterUpload.objects.order_by("id").values_list("id", "plan_id")),
        "rows": list(
            RosterRow.objects.order_by("id").values_list("id", "plan_id", "upload_id", "person_id")
        ),
        "entries": list(
            LedgerEntry.objects.order_by("id").values_list("id", "person_id", "source_key", "hours")
        ),
        "plan_history": list(
            Plan.history.order_by("history_id").values_list("history_id", "id", "organiser_id")
        ),
        "organiser_history": list(
            Organiser.history.order_by("history_id").values_list("history_id", "id", "name")
        ),
    }


def _raw(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_migrating_to_organisers_keeps_every_id_and_link():
    people = [make_person(name=name) for name in ("李一", "王二", "赵三")]
    with as_owner():
        executor = MigrationExecutor(connection)
        executor = _migrate(_before_targets(executor))
        _load_before(_old_state(executor), people)
        before = {
            "organisers": _raw("SELECT id, name, is_active FROM bases_trainingbase"),
            "staff": _raw(
                "SELECT id, username, base_id FROM accounts_user WHERE base_id IS NOT NULL"
            ),
            "plans": _raw("SELECT id, base_id, title, status FROM filings_plan"),
            "uploads": _raw("SELECT id, plan_id FROM filings_rosterupload"),
            "rows": _raw("SELECT id, plan_id, upload_id, person_id FROM filings_rosterrow"),
            "entries": _raw("SELECT id, person_id, source_key, hours FROM credits_ledgerentry"),
            "plan_history": _raw("SELECT history_id, id, base_id FROM filings_historicalplan"),
            "organiser_history": _raw(
                "SELECT history_id, id, name FROM bases_historicaltrainingbase"
            ),
        }
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = _snapshot()
    assert {key: len(rows) for key, rows in after.items()} == {
        "organisers": 2,
        "staff": 2,
        "plans": 4,
        "uploads": 1,
        "rows": 3,
        "entries": 3,
        "plan_history": 4,
        "organiser_history": 2,
    }
    for key, rows in before.items():
        assert sorted(tuple(row) for row in after[key]) == rows, key
    # What the new columns say about the old rows.
    assert set(Organiser.objects.values_list("kind", flat=True)) == {"training_base"}
    assert not Organiser.objects.filter(industry__isnull=False).exists()
    assert set(User.objects.filter(organiser__isnull=False).values_list("role", flat=True)) == {
        Role.ORGANISER_STAFF
    }
    assert not User.objects.filter(role="base_staff").exists()
    wanbo = Organiser.objects.get(pk=14)
    assert wanbo.staff.get().username == "base-wanbo"
    assert [p.pk for p in wanbo.plans.order_by("id")] == [100, 107, 121]
    assert {e.person_id for e in LedgerEntry.objects.all()} == {p.pk for p in people}
