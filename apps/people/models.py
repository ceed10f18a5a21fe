from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.people import crypto, idnumber
from hefei_cpe.history import baseline_on_first_edit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Jurisdiction(models.Model):
    """Who verifies a unit's people: a district, county or development zone of Hefei, or,
    for city-owned units, their supervising city department (notice §五(二))."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        COUNTY = "county", _("County")
        COUNTY_CITY = "county_city", _("County-level city")
        DEVELOPMENT_ZONE = "zone", _("Development zone")
        CITY_DEPARTMENT = "department", _("City department")
        # Units first met on a base's roster wait here until the city places them (filings).
        UNPLACED = "unplaced", _("Awaiting placement by the city")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_department(self) -> bool:
        return self.kind == self.Kind.CITY_DEPARTMENT


class Industry(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Affiliation(models.TextChoices):
        LOCAL = "local", _("City, county or non-public unit")
        PROVINCIAL = "provincial", _("Provincial unit")
        MINISTERIAL = "ministerial", _("Ministerial unit")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("district or supervising city department"),
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=12, choices=Affiliation.choices, default=Affiliation.LOCAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(verbose_name=_("unit history"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                name="unit_name_unique_in_jurisdiction",
                violation_error_message=_("This jurisdiction already has a unit of this name."),
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="unit_credit_code_unique",
                violation_error_message=_("A unit with this credit code is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_owned(self) -> bool:
        return self.jurisdiction.is_city_department

    @property
    def needs_placement(self) -> bool:
        """Registered from a training roster; the city has yet to pick its jurisdiction."""
        return self.jurisdiction.kind == Jurisdiction.Kind.UNPLACED

    @property
    def in_city_scope(self) -> bool:
        """The notice covers everyone except provincial and ministerial units (不含省、部属单位)."""
        return self.affiliation == self.Affiliation.LOCAL


class Person(models.Model):
    class TitleLevel(models.TextChoices):
        JUNIOR = "junior", _("Junior")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ASSOCIATE_SENIOR = "associate_senior", _("Associate senior")
        SENIOR = "senior", _("Senior")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("full name"), max_length=50)
    # The resident ID number: never stored in clear. See apps.people.crypto.
    id_number_encrypted = models.TextField(_("encrypted resident ID number"), editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("resident ID number"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    title = models.CharField(_("technical title"), max_length=50, blank=True, default="")
    title_level = models.CharField(
        _("title level"), max_length=20, choices=TitleLevel.choices, blank=True, default=""
    )
    title_year = models.PositiveSmallIntegerField(
        _("year the title was obtained"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="people", verbose_name=_("industry")
    )
    transferred_in_year = models.PositiveSmallIntegerField(
        _("year transferred into Hefei"),
        null=True,
        blank=True,
        help_text=_("Leave empty unless the person came from outside Hefei."),
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The encrypted number and its hash are set once and never copied into the history.
    history = HistoricalRecords(
        excluded_fields=["id_number_encrypted", "id_number_hash", "updated_at"],
        verbose_name=_("professional history"),
    )

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")
        # The officers' list pages walk people unit by unit, by name.
        indexes = [models.Index(fields=["name"]), models.Index(fields=["unit", "name", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gender__in=["M", "F"]), name="person_gender_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.title_level and not self.title:
            errors["title"] = _("Give the title name for the chosen title level.")
        this_year = timezone.localdate().year
        for field in ("title_year", "transferred_in_year"):
            year = getattr(self, field)
            if year is not None and year > this_year:
                errors[field] = _("The year cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def set_id_number(self, resident_id: idnumber.ResidentId) -> None:
        self.id_number_encrypted = crypto.encrypt(resident_id.number)
        self.id_number_hash = crypto.keyed_hash(resident_id.number)
        self.id_number_masked = resident_id.masked
        self.gender = resident_id.gender
        self.birth_date = resident_id.birth_date

    def reveal_id_number(self) -> str:
        """The clear number. Only people_reveal_id_number() may call this for an officer."""
        return crypto.decrypt(self.id_number_encrypted)


baseline_on_first_edit(Unit)
baseline_on_first_edit(Person)


class IdNumberAccess(models.Model):
    """Every time a full ID number is shown: who (an officer on the person's page, or the
    officer or base staff who exported a roster), whom, when and how."""

    class Purpose(models.TextChoices):
        OPENED = "opened", _("Opened on the professional's page")
        ROSTER_EXPORT = "roster_export", _("Roster export")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="id_number_accesses",
        verbose_name=_("opened by"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="id_number_accesses",
        verbose_name=_("person"),
    )
    accessed_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    purpose = models.CharField(
        _("how"), max_length=20, choices=Purpose.choices, default=Purpose.OPENED
    )
    # What was exported, e.g. the plan of a roster, as the user saw it.
    detail = models.CharField(_("detail"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("ID number access")
        verbose_name_plural = _("ID number access log")

    def __str__(self) -> str:
        return f"{self.officer} → {self.person} @ {self.accessed_at:%Y-%m-%d %H:%M}"


class PersonImport(models.Model):
    """A checked sheet of professionals between preview and confirmation, then its record.

    The clean rows are kept server-side, encrypted (they hold ID numbers), so the confirmation
    never trusts anything posted back; confirming checks them again against the database."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    new_count = models.PositiveIntegerField(_("new"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already registered"), default=0)
    created_count = models.PositiveIntegerField(_("people registered"), default=0)
    # Notes of the preview as [row, column, message].
    warnings = models.JSONField(default=list, blank=True)
    # A Fernet token of the clean rows (JSON); emptied once confirmed or discarded.
    payload = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CHECKED
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import of professionals")
        verbose_name_plural = _("imports of professionals")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
