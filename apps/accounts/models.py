from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.accounts.scope import Scope


class Role(models.TextChoices):
    TRAINEE = "trainee", _("Professional")
    ORGANISER_STAFF = "organiser_staff", _("Organiser staff")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    CITY_OFFICER = "city_officer", _("City officer")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")


TRAINEE_USERNAME_PREFIX = "person-"

login_name_validator = RegexValidator(
    r"^(?!person-)[a-z][a-z0-9_.-]{2,39}$",
    _(
        "A login name is 3–40 lower-case letters, digits, '.', '_' or '-', starting with a "
        "letter, and may not start with 'person-'."
    ),
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: object) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **fields: object
    ) -> User:
        fields.setdefault("role", Role.CITY_OFFICER)
        fields.setdefault("full_name", username)
        fields["is_superuser"] = True
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One login, acting for exactly one organisation or person, decided by its role.

    Trainees sign in with their resident ID number (looked up through the person's keyed hash);
    their `username` is an internal handle that the staff login refuses.
    """

    username = models.CharField(_("login name"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("professional"),
    )
    # Staff of an organiser: a training base or an industry authority (DESIGN §2).
    organiser = models.ForeignKey(
        "bases.Organiser",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organiser"),
    )
    jurisdiction = models.ForeignKey(
        "people.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("jurisdiction"),
    )
    # A unit administrator acts for one employer (DESIGN §2: 用人单位管理员).
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrators",
        verbose_name=_("unit"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_acts_for_exactly_one_party",
                condition=(
                    Q(
                        role=Role.TRAINEE,
                        person__isnull=False,
                        organiser__isnull=True,
                        jurisdiction__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role=Role.ORGANISER_STAFF,
                        person__isnull=True,
                        organiser__isnull=False,
                        jurisdiction__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role=Role.DISTRICT_OFFICER,
                        person__isnull=True,
                        organiser__isnull=True,
                        jurisdiction__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(
                        role=Role.UNIT_ADMIN,
                        person__isnull=True,
                        organiser__isnull=True,
                        jurisdiction__isnull=True,
                        unit__isnull=False,
                    )
                    | Q(
                        role=Role.CITY_OFFICER,
                        person__isnull=True,
                        organiser__isnull=True,
                        jurisdiction__isnull=True,
                        unit__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.TRAINEE:
            if self.person_id and self.username != f"{TRAINEE_USERNAME_PREFIX}{self.person_id}":
                raise ValidationError({"username": _("A professional's login is their ID number.")})
        else:
            self.username = (self.username or "").strip().lower()
            try:
                login_name_validator(self.username)
            except ValidationError as exc:
                raise ValidationError({"username": exc.messages}) from None

    @cached_property
    def scope(self) -> Scope:
        """What this user reaches; selectors filter through it (apps.accounts.scope)."""
        from apps.accounts.scope import Scope

        return Scope.of(self)

    # The Django admin is the city officers' tool.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.CITY_OFFICER

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        return self.is_staff or super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff or super().has_module_perms(app_label)

    @property
    def organisation_name(self) -> str:
        """The organisation this login acts for, as shown on reviews and stamps."""
        if self.role == Role.CITY_OFFICER:
            return str(_("Hefei Municipal Human Resources and Social Security Bureau"))
        if self.role == Role.DISTRICT_OFFICER and self.jurisdiction:
            if self.jurisdiction.kind == "department":
                return self.jurisdiction.name
            return str(
                _("%(jurisdiction)s Human Resources and Social Security Bureau")
                % {"jurisdiction": self.jurisdiction.name}
            )
        if self.role == Role.ORGANISER_STAFF and self.organiser:
            return self.organiser.name
        if self.role == Role.UNIT_ADMIN and self.unit:
            return self.unit.name
        if self.role == Role.TRAINEE and self.person:
            return self.person.unit.name
        return ""


class ActivationCode(models.Model):
    """A one-time code an officer hands to a professional to open (or reset) their account.

    Only a hash is stored; the clear code is shown once, to the officer who issued it.
    """

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activation_codes",
        verbose_name=_("professional"),
    )
    # Or a staff login opened the same way (a unit administrator, created by the district).
    account = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activation_codes",
        verbose_name=_("login"),
    )
    code_hash = models.CharField(max_length=128, editable=False)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    # After several wrong codes the code is held (refused even when right) for a while rather
    # than voided, so whoever knows an ID number cannot cancel that person's activation.
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_activation_code_per_person",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_activation_code_per_account",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, account__isnull=True)
                | Q(person__isnull=True, account__isnull=False),
                name="activation_code_for_a_person_or_a_login",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.account} @ {self.issued_at:%Y-%m-%d}"

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
