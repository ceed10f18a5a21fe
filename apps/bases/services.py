from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result

from apps.accounts.models import User
from apps.accounts.scope import require
from apps.bases.models import Organiser
from apps.bases.permissions import may_manage_organisers
from apps.bases.resources import TrainingBaseResource
from apps.people.models import Industry
from hefei_cpe.xlsx import SafeCSV, SafeXLSX

ATTACHMENT_1 = Path(__file__).resolve().parents[2] / "fixtures" / "attachment1_training_bases.csv"


def bases_load(*, path: Path = ATTACHMENT_1, dry_run: bool = False) -> Result:
    """Load Attachment 1 (the training bases) from a .csv or .xlsx file; idempotent."""
    # Read by the portal's one hardened reader, like every upload (UnreadableFile says why not).
    format_ = SafeXLSX() if path.suffix.lower() == ".xlsx" else SafeCSV()
    dataset = format_.create_dataset(path.read_bytes())
    return TrainingBaseResource().import_data(dataset, dry_run=dry_run, raise_errors=False)


@transaction.atomic
def organiser_set_active(*, organiser: Organiser, active: bool) -> Organiser:
    """Deactivate or reactivate an organiser. Its history (plans, rosters, hours) stays
    attached."""
    organiser.is_active = active
    organiser.deactivated_at = None if active else timezone.now()
    organiser.save(update_fields=["is_active", "deactivated_at"])
    return organiser


@transaction.atomic
def authority_save(
    *,
    user: User,
    name: str,
    industry: Industry | None,
    phone: str = "",
    authority: Organiser | None = None,
) -> Organiser:
    """Adds an industry authority to the city's reference list, or corrects one. Every problem
    is raised at once, by field, and nothing is written."""
    require(may_manage_organisers(user.scope))
    if authority is not None and not authority.is_authority:
        raise ValidationError(_("Only an industry authority is edited here."))
    organiser = authority or Organiser(kind=Organiser.Kind.INDUSTRY_AUTHORITY)
    organiser.name = " ".join((name or "").split())
    organiser.industry = industry
    organiser.phone = (phone or "").strip()
    errors: dict[str, list[str]] = {}
    if not organiser.name:
        errors["name"] = [_("Give the name of the authority.")]
    if industry is None:
        errors["industry"] = [_("Choose the industry the authority supervises.")]
    try:
        organiser.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    organiser.save()
    return organiser
