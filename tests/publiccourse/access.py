"""Objects for the role matrix in tests/test_access.py (kwargs builders get the shared context)."""

from __future__ import annotations

from io import BytesIO

from apps.accounts.models import Role
from apps.publiccourse.models import ImportBatch, PublicTopic
from apps.publiccourse.services import results_preview, topic_create
from tests.factories import make_user
from tests.publiccourse.conftest import TOPIC_A, row, sheet


def _topic() -> PublicTopic:
    return PublicTopic.objects.filter(year=2021).first() or topic_create(year=2021, title=TOPIC_A)


def topic_kwargs(ctx) -> dict[str, int]:
    return {"pk": _topic().pk}


def batch_kwargs(ctx) -> dict[str, int]:
    """A pending import by another city officer (any city officer may confirm it)."""
    _topic()
    city = make_user(Role.CITY_OFFICER)
    _, batch = results_preview(
        officer=city, year=2021, file=BytesIO(sheet([row(ctx["person"])])), filename="a.xlsx"
    )
    assert isinstance(batch, ImportBatch)
    return {"pk": batch.pk}
