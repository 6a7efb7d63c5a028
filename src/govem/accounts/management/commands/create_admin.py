"""``govem create-admin USERNAME [--email E] [--role tim-it|operator|inovator --unit CODE]``.

The documented way to make the first Tim IT account (instead of ``createsuperuser``, which
makes a superuser outside every role): the account gets its role group, staff access to the
admin (Tim IT maintains master data there) and, for an operator, the unit subtree it works
on. The password is asked twice on the terminal, or read from standard input with
``--password-stdin`` (scripts), and checked by the password validators.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from govem.accounts import audit
from govem.accounts.models import RoleScope
from govem.accounts.roles import INOVATOR, OPERATOR, TIM_IT
from govem.people.models import Unit

ROLES = {"tim-it": TIM_IT, "operator": OPERATOR, "inovator": INOVATOR}


class Command(BaseCommand):
    help = "Buat akun Tim IT (atau operator/inovator) dengan grup dan cakupan yang benar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="nama pengguna untuk masuk (mis. timit.diskominfo)")
        parser.add_argument("--email", default="", help="alamat email (opsional)")
        parser.add_argument("--name", default="", help="nama lengkap (opsional)")
        parser.add_argument(
            "--role", choices=sorted(ROLES), default="tim-it", help="peran (bawaan tim-it)"
        )
        parser.add_argument(
            "--unit", default="", help="kode unit yang dipegang operator (wajib untuk operator)"
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="baca kata sandi dari stdin"
        )

    def _password(self, options: dict[str, Any], user: Any) -> str:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Kata sandi: ")
            if getpass.getpass("Ulangi kata sandi: ") != password:
                raise CommandError("Kedua kata sandi tidak sama.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Kata sandi ditolak: " + " ".join(exc.messages)) from exc
        return password

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        username = options["username"].strip()
        role = ROLES[options["role"]]
        if not username:
            raise CommandError("Nama pengguna wajib diisi.")
        if user_model.objects.filter(username=username).exists():
            raise CommandError(
                f"Akun «{username}» sudah ada. Ubah perannya di Admin → Pengguna, atau pilih "
                "nama lain."
            )
        unit = None
        if role == OPERATOR:
            unit = Unit.objects.filter(code__iexact=options["unit"].strip()).first()
            if unit is None:
                raise CommandError(
                    "Operator memerlukan --unit KODE dari unit yang sudah ada (govem import-units)."
                )
        elif options["unit"]:
            raise CommandError("--unit hanya untuk --role operator.")
        user = user_model(username=username, email=options["email"].strip())
        user.first_name = options["name"].strip()[:150]
        password = self._password(options, user)
        with transaction.atomic(), audit.acting_as(None, reason="govem create-admin"):
            user.set_password(password)
            user.is_staff = role in {TIM_IT, OPERATOR, INOVATOR}
            user.is_superuser = role == TIM_IT  # Tim IT maintains every master table
            user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            if unit is not None:
                RoleScope.objects.create(user=user, unit=unit)
            audit.record(
                action=audit.Action.CREATE_ACCOUNT,
                instance=user,
                object_repr=username,
                after={"role": role, "unit": unit.code if unit else None},
            )
        scope = f", cakupan {unit.code}" if unit else ""
        self.stdout.write(f"Akun «{username}» dibuat: peran {role}{scope}. Masuk di /masuk/.")
