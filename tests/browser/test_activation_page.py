"""Activation in chromium: the operator downloads the slips, the employee activates on a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from tests.helpers.files import codes_in_pdf

from govem.accounts.models import RoleScope
from govem.accounts.roles import OPERATOR, PEGAWAI
from govem.people.models import Device, Employee, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000


def test_it_prints_slips_and_the_employee_activates_from_the_phone(
    chromium: Any, live_server: Any, phone_context: Any, unit: Unit, tmp_path: Path
) -> None:
    for role in (OPERATOR, PEGAWAI):  # transactional tests flush the seeded roles
        Group.objects.get_or_create(name=role)
    operator = get_user_model().objects.create_user("op.diskominfo", password="Operator-2026")
    operator.groups.add(Group.objects.get(name=OPERATOR))
    RoleScope.objects.create(user=operator, unit=unit)
    newcomer = get_user_model().objects.create_user("199104152019032004", password=None)
    dewi = Employee.objects.create(
        user=newcomer, employee_type="PNS", nip=newcomer.username, name="Dewi Lestari", unit=unit
    )
    desk = chromium.new_context(base_url=live_server.url, accept_downloads=True, locale="id-ID")
    page = desk.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/masuk/")
    page.fill("input[name=login]", "op.diskominfo")
    page.fill("input[name=password]", "Operator-2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/akun-pegawai/")
    assert page.is_checked(f"#e{dewi.pk}")  # not yet activated: ticked by default
    with page.expect_download() as download:
        page.click("#print-sheet")
    sheet = tmp_path / "aktivasi.pdf"
    download.value.save_as(sheet)
    code = codes_in_pdf(sheet.read_bytes())[dewi.nip]
    desk.close()

    phone = phone_context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto("/masuk/")
    phone.click("text=Aktivasi akun (kode dari operator)")
    phone.fill("input[name=nip]", dewi.nip)
    phone.fill("input[name=code]", code.lower().replace("-", " "))
    phone.fill("input[name=new_password]", "Rantau-Sehat-2026")
    phone.fill("input[name=new_password2]", "Rantau-Sehat-2026")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(r"/$"))

    assert errors == []
    browser_id = phone.evaluate("localStorage.getItem('govem-device-id')")
    assert Device.objects.get(employee=dewi).device_id == browser_id
    newcomer.refresh_from_db()
    assert newcomer.check_password("Rantau-Sehat-2026")
