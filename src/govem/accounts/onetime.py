"""First passwords and resets without anyone else knowing them.

- Activation: a unit's operator prints a sheet of one-time codes (valid
  ``GOVEM_ACTIVATION_CODE_DAYS``); the employee enters NIP, code and a new password.
- Reset: the employee asks for a code, sent through their email or WhatsApp (the notify
  outbox), valid ``GOVEM_RESET_CODE_MINUTES``; then the same as activation.
- Operator reset: a temporary password shown once; the next login must replace it.

A code works once, for its own account, until it expires or is replaced; only a keyed hash
(HMAC with the secret key) is stored. Wrong attempts count per code, per NIP and per IP in the
database (every server process sees the same counts). Every issue, use and reset is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govem.accounts import audit
from govem.accounts.models import ApiToken, OneTimeCode, PasswordChange, RateEvent
from govem.accounts.roles import PEGAWAI
from govem.errors import DomainError
from govem.people.models import Employee, Unit

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
ACTIVATION_LENGTH = 10
TEMPORARY_LENGTH = 12
MAX_CODE_ATTEMPTS = 5
WINDOW = timedelta(minutes=15)
RESET_WINDOW = timedelta(hours=1)
LIMITS = {"redeem-login": 5, "redeem-ip": 30, "reset-login": 3, "reset-ip": 20}
RESET_CHANNELS = ("email", "whatsapp")
RESET_TEMPLATE = "kode-reset-sandi"
Purpose = OneTimeCode.Purpose


@dataclass(frozen=True)
class IssuedCode:
    employee: Employee
    code: str  # the only moment the code exists in clear
    expires_at: datetime

    @property
    def display(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"


def _clean_login(login: str) -> str:
    """The NIP as typed, or a refusal for control characters (PostgreSQL refuses NUL)."""
    login = login.strip()[:32]
    if any(ord(ch) < 32 for ch in login):
        raise DomainError("invalid_input", _("NIP tidak valid."), details={"field": "nip"})
    return login


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(user_id: int, code: str) -> str:
    return salted_hmac("govem.accounts.onetime", f"{user_id}:{normalise(code)}").hexdigest()


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _too_many(minutes: int) -> DomainError:
    return DomainError(
        "too_many_attempts",
        ngettext(
            "Terlalu banyak percobaan. Coba lagi dalam %(minutes)d menit.",
            "Terlalu banyak percobaan. Coba lagi dalam %(minutes)d menit.",
            minutes,
        )
        % {"minutes": minutes},
        status=429,
        details={"retry_after_s": minutes * 60},
    )


def _count(key: str, window: timedelta) -> int:
    return RateEvent.objects.filter(key=key, at__gte=timezone.now() - window).count()


def _hit(*keys: str) -> None:
    now = timezone.now()
    RateEvent.objects.bulk_create([RateEvent(key=key[:120], at=now) for key in keys])
    RateEvent.objects.filter(at__lt=now - timedelta(days=1)).delete()


def _check_limits(pairs: list[tuple[str, str]], window: timedelta) -> None:
    for kind, key in pairs:
        if _count(key, window) >= LIMITS[kind]:
            raise _too_many(int(window.total_seconds() // 60))


def _validated_password(password: str, user: Any) -> str:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "weak_password",
            _("Kata sandi baru ditolak: %(problems)s") % {"problems": " ".join(exc.messages)},
            details={"field": "new_password", "problems": exc.messages},
        ) from exc
    return password


def account_of(employee: Employee) -> Any:
    """The employee's login account, created (no usable password, Pegawai) when missing."""
    if employee.user_id:
        return employee.user
    user_model = get_user_model()
    user = user_model.objects.filter(username=employee.identifier, employee__isnull=True).first()
    if user is None:
        user = user_model.objects.create_user(username=employee.identifier, password=None)
    user.groups.add(Group.objects.get_or_create(name=PEGAWAI)[0])
    employee.user = user
    employee.save(update_fields=["user"])
    return user


def _live(purpose: str) -> Any:
    return OneTimeCode.objects.filter(
        purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
    )


def reset_minutes() -> float:
    return float(settings.GOVEM_ACCOUNTS["RESET_CODE_MINUTES"])


def has_activated(user: Any) -> bool:
    return bool(user and user.has_usable_password())


def must_change_password(user: Any) -> bool:
    return PasswordChange.objects.filter(user_id=getattr(user, "pk", None)).exists()  # type: ignore[misc]


# --- activation sheets ------------------------------------------------------------------------


def issue_activation_codes(
    *, by: Any, unit: Unit, employees: list[Employee], days: float | None = None
) -> list[IssuedCode]:
    """New activation codes for ``employees`` (earlier unused ones stop working)."""
    days = settings.GOVEM_ACCOUNTS["ACTIVATION_CODE_DAYS"] if days is None else days
    now = timezone.now()
    expires = now + timedelta(days=days)
    issued: list[IssuedCode] = []
    with transaction.atomic():
        users = [account_of(employee) for employee in employees]
        OneTimeCode.objects.filter(
            user__in=users,
            purpose=Purpose.ACTIVATION,
            used_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        rows = []
        for employee, user in zip(employees, users, strict=True):
            code = _random(ACTIVATION_LENGTH)
            rows.append(
                OneTimeCode(
                    user=user,
                    purpose=Purpose.ACTIVATION,
                    code_hash=_hash(user.pk, code),
                    channel="sheet",
                    issued_by=by if getattr(by, "pk", None) else None,
                    expires_at=expires,
                )
            )
            issued.append(IssuedCode(employee, code, expires))
        OneTimeCode.objects.bulk_create(rows)
        audit.record(
            action=audit.Action.ACTIVATION_CODES_ISSUED,
            instance=unit,
            after={
                "count": len(issued),
                "employees": [employee.identifier for employee in employees],
                "valid_until": expires.isoformat(),
            },
            reason="Lembar kode aktivasi dicetak",
        )
    return issued


# --- self-service reset -----------------------------------------------------------------------


def _reset_target(employee: Employee) -> tuple[str, str] | None:
    # notify imports accounts too: local, so neither app loads the other at import
    from govem.notify.reminders import Reach

    reach = Reach([_Planned(employee)])  # type: ignore[list-item]
    reach.order = [channel for channel in reach.order if channel in RESET_CHANNELS]
    return reach.first(employee)


@dataclass(frozen=True)
class _Planned:
    """What :class:`~govem.notify.reminders.Reach` reads of a work plan: the employee."""

    employee: Employee


def _masked(channel: str, address: str) -> str:
    if channel == "email" and "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:2]}…@{domain}"
    return f"…{address[-4:]}" if len(address) > 4 else "…"


def request_reset(*, login: str, ip: str | None) -> str | None:
    """Send a reset code to the employee's email or WhatsApp, when they have one.

    The answer to the person asking does not tell whether the NIP exists; the return value
    (the masked address, or None) is for the audit trail and tests.
    """
    login = _clean_login(login)
    if not login:
        raise DomainError("invalid_input", _("Isi NIP."), details={"field": "nip"})
    keys = [("reset-login", f"reset:login:{login}"), ("reset-ip", f"reset:ip:{ip}")]
    _check_limits(keys, RESET_WINDOW)
    _hit(f"reset:login:{login}", f"reset:ip:{ip}")
    employee = (
        Employee.objects.select_related("user", "unit")
        .filter(active=True, user__username=login, user__is_active=True)
        .first()
    )
    target = _reset_target(employee) if employee is not None else None
    if employee is None or target is None:
        with audit.acting_as(None, ip=ip):
            audit.record(
                action=audit.Action.PASSWORD_RESET_UNREACHABLE,
                object_type="auth.user",
                object_id=str(employee.user_id) if employee else "",
                object_repr=login,
                reason="Permintaan atur ulang kata sandi tanpa kanal email/WhatsApp"
                if employee
                else "Permintaan atur ulang kata sandi untuk NIP yang tidak dikenal",
            )
        return None
    channel, address = target
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    expires = now + timedelta(minutes=reset_minutes())
    with transaction.atomic():
        _live(Purpose.RESET).filter(user=employee.user).update(revoked_at=now)
        row = OneTimeCode.objects.create(  # type: ignore[misc]
            user=employee.user,
            purpose=Purpose.RESET,
            code_hash=_hash(employee.user_id, code),  # type: ignore[arg-type]
            channel=channel,
            expires_at=expires,
        )
        _send_code(employee, row, code, channel, address)
        with audit.acting_as(None, ip=ip):
            audit.record(
                action=audit.Action.PASSWORD_RESET_REQUESTED,
                instance=employee.user,
                object_repr=login,
                after={"channel": channel, "to": _masked(channel, address)},
            )
    return _masked(channel, address)


def _send_code(employee: Employee, row: OneTimeCode, code: str, channel: str, address: str) -> None:
    # notify imports accounts too: local, so neither app loads the other at import
    from govem.notify.outbox import enqueue
    from govem.notify.rendering import TemplateMissing, render
    from govem.notify.wording import greeting_for

    context = {
        "salam": greeting_for(employee),
        "nama": employee.name,
        "nip": employee.identifier,
        "kode": code,
        "berlaku": timezone.localtime(row.expires_at).strftime("%H:%M"),
        "instansi": settings.GOVEM["REGENCY_NAME"],
    }
    try:
        subject, body = render(RESET_TEMPLATE, channel, context)
    except TemplateMissing as exc:
        raise DomainError(
            "channel_unavailable", _("Templat pesan kode atur ulang tidak ada; hubungi Tim IT.")
        ) from exc
    enqueue(
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        employee=employee,
        template_key=RESET_TEMPLATE,
        dedupe_key=f"{RESET_TEMPLATE}:{row.pk}",
        url=f"/aktivasi/?nip={employee.identifier}",
        expires_at=row.expires_at,
    )


# --- using a code -----------------------------------------------------------------------------


def _matching_code(user: Any, code: str) -> OneTimeCode | None:
    live = list(
        OneTimeCode.objects.select_for_update().filter(
            user=user,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=MAX_CODE_ATTEMPTS,
        )
    )
    for row in live:
        if constant_time_compare(row.code_hash, _hash(user.pk, code)):
            return row
    OneTimeCode.objects.filter(pk__in=[row.pk for row in live]).update(attempts=F("attempts") + 1)
    return None


def redeem(*, login: str, code: str, new_password: str, ip: str | None) -> Any:
    """Set the account's own password with a one-time code (or the temporary password of an
    operator's reset). Returns the user. Refusals: ``invalid_code`` (401),
    ``weak_password`` (422), ``too_many_attempts`` (429)."""
    login = _clean_login(login)
    keys = [("redeem-login", f"redeem:login:{login}"), ("redeem-ip", f"redeem:ip:{ip}")]
    _check_limits(keys, WINDOW)
    user = get_user_model().objects.filter(username=login, is_active=True).first()
    refused = DomainError(
        "invalid_code",
        _(
            "NIP atau kode salah, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada operator "
            "unit, atau pakai “Lupa kata sandi”."
        ),
        status=401,
    )
    with transaction.atomic():
        row = _matching_code(user, code) if user is not None and normalise(code) else None
        temporary = (
            row is None
            and user is not None
            and must_change_password(user)
            and user.check_password(code.strip())
        )
        if row is not None or temporary:
            assert user is not None
            _validated_password(new_password, user)
            now = timezone.now()
            user.set_password(new_password)
            user.save(update_fields=["password"])
            if row is not None:
                OneTimeCode.objects.filter(pk=row.pk).update(used_at=now)
            OneTimeCode.objects.filter(
                user=user, used_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=now)
            PasswordChange.objects.filter(user=user).delete()
            via = row.purpose if row is not None else "temporary"
            _scrub_sent_code(row)
            with audit.acting_as(user, ip=ip):
                audit.record(
                    action=audit.Action.PASSWORD_SET,
                    instance=user,
                    object_repr=login,
                    after={"via": via},
                    reason={
                        "activation": "Aktivasi akun dengan kode dari operator",
                        "reset": "Atur ulang kata sandi dengan kode yang dikirim",
                        "temporary": "Kata sandi sementara dari operator diganti",
                    }[via],
                )
            return user
    _hit(*(key for _, key in keys))
    raise refused


def _scrub_sent_code(row: OneTimeCode | None) -> None:
    """The outbox kept the reset code in clear to deliver it; once used it is blanked."""
    if row is None or row.purpose != Purpose.RESET:
        return
    # notify imports accounts too: local, so neither app loads the other at import
    from govem.notify.models import Message

    Message.objects.filter(dedupe_key=f"{RESET_TEMPLATE}:{row.pk}").update(
        body="(kode sudah dipakai)"
    )


def change_required_password(*, user: Any, new_password: str, ip: str | None) -> Any:
    """After logging in with an operator's temporary password: the user's own password."""
    if not must_change_password(user):
        raise DomainError("invalid_input", _("Kata sandi tidak wajib diganti."))
    _validated_password(new_password, user)
    if user.check_password(new_password):
        raise DomainError(
            "weak_password",
            _("Kata sandi baru harus berbeda dari kata sandi sementara."),
            details={"field": "new_password"},
        )
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        PasswordChange.objects.filter(user=user).delete()
        with audit.acting_as(user, ip=ip):
            audit.record(
                action=audit.Action.PASSWORD_SET,
                instance=user,
                object_repr=user.get_username(),
                after={"via": "temporary"},
                reason="Kata sandi sementara dari operator diganti",
            )
    return user


# --- operator reset ---------------------------------------------------------------------------


def operator_reset(*, by: Any, employee: Employee, ip: str | None = None) -> str:
    """A temporary password for the employee, returned once; the next login must replace
    it. Earlier codes, the employee's API tokens and (through Django's session hash) their
    sessions stop working. Audited."""
    temporary = _random(TEMPORARY_LENGTH)
    now = timezone.now()
    with transaction.atomic():
        user = account_of(employee)
        user.set_password(temporary)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        PasswordChange.objects.update_or_create(
            user=user, defaults={"required_since": now, "set_by": by}
        )
        OneTimeCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        with audit.acting_as(by, ip=ip):
            audit.record(
                action=audit.Action.PASSWORD_RESET_BY_OPERATOR,
                instance=user,
                object_repr=str(employee),
                after={"employee": employee.identifier, "unit": employee.unit.code},
                reason="Kata sandi diatur ulang oleh operator (sementara, wajib diganti)",
            )
    return temporary
