from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from import_export.results import Result

from apps.bases.models import TrainingBase
from apps.bases.resources import TrainingBaseResource
from hefei_cpe.xlsx import SafeCSV, SafeXLSX

ATTACHMENT_1 = Path(__file__).resolve().parents[2] / "fixtures" / "attachment1_training_bases.csv"


def bases_load(*, path: Path = ATTACHMENT_1, dry_run: bool = False) -> Result:
    """Load Attachment 1 from a .csv or .xlsx file; idempotent."""
    # Read by the portal's one hardened reader, like every upload (UnreadableFile says why not).
    format_ = SafeXLSX() if path.suffix.lower() == ".xlsx" else SafeCSV()
    dataset = format_.create_dataset(path.read_bytes())
    return TrainingBaseResource().import_data(dataset, dry_run=dry_run, raise_errors=False)


@transaction.atomic
def base_set_active(*, base: TrainingBase, active: bool) -> TrainingBase:
    """Deactivate or reactivate a base. Its history (plans, rosters, hours) stays attached."""
    base.is_active = active
    base.deactivated_at = None if active else timezone.now()
    base.save(update_fields=["is_active", "deactivated_at"])
    return base
