"""Existing claims get what new ones have: the deciding office, a receipt number and the
history of the steps already taken (submitted; approved/rejected/withdrawn by whom, when)."""

from django.db import migrations

MEDICAL_KINDS = ("medical_credit",)
HEALTH_AUTHORITY = "city-health"


def backfill(apps, schema_editor):
    Claim = apps.get_model("credits", "Claim")
    ClaimStep = apps.get_model("credits", "ClaimStep")
    Jurisdiction = apps.get_model("people", "Jurisdiction")
    health = Jurisdiction.objects.filter(code=HEALTH_AUTHORITY).first()
    steps = []
    for claim in Claim.objects.select_related("person__unit").iterator(chunk_size=2000):
        claim.office_id = (
            health.pk
            if health is not None and claim.kind in MEDICAL_KINDS
            else claim.person.unit.jurisdiction_id
        )
        claim.receipt_no = f"SB{claim.submitted_at.year}-{claim.pk:06d}"
        claim.save(update_fields=["office", "receipt_no"])
        steps.append(
            ClaimStep(
                claim_id=claim.pk,
                action="submitted",
                actor_name=claim.person.name,
                actor_org=claim.person.unit.name,
                at=claim.submitted_at,
            )
        )
        if claim.status in ("approved", "rejected") and claim.reviewed_at:
            steps.append(
                ClaimStep(
                    claim_id=claim.pk,
                    action=claim.status,
                    actor_id=claim.reviewed_by_id,
                    actor_name=claim.reviewer_name,
                    actor_org=claim.reviewer_org,
                    opinion=claim.opinion,
                    at=claim.reviewed_at,
                )
            )
        elif claim.status == "withdrawn":
            steps.append(
                ClaimStep(
                    claim_id=claim.pk,
                    action="withdrawn",
                    actor_name=claim.person.name,
                    actor_org=claim.person.unit.name,
                    at=claim.reviewed_at or claim.submitted_at,
                )
            )
        if len(steps) >= 2000:
            ClaimStep.objects.bulk_create(steps)
            steps = []
    ClaimStep.objects.bulk_create(steps)


def unfill(apps, schema_editor):
    apps.get_model("credits", "ClaimStep").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0006_claim_routing_and_steps"),
        ("people", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(backfill, unfill)]
