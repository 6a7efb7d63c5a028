"""The punch context cache is exact across processes (issue 12).

Two `govem serve` processes share one database and nothing else. Both have an employee's
unit context in memory (each has answered a punch); a change made by a third process — the
IT team moving the office, releasing a phone and binding another — takes effect on the very
next punch on both servers, because the cached copy is trusted only at the generation
number the database's triggers bump.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.helpers.live_servers import prepare, punch, servers, shell

pytestmark = pytest.mark.server


def key() -> str:
    return f"ctx-{uuid.uuid4()}"


def test_it_judges_the_next_punch_on_every_server_by_the_change(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    tokens = prepare(data_dir, employees=3)["tokens"]
    with servers(data_dir, count=2) as (server_a, server_b):
        # Both servers load and keep the unit's context.
        assert "receipt" in punch(server_a, tokens[0], key=key())
        assert "receipt" in punch(server_b, tokens[1], key=key())
        assert "receipt" in punch(server_a, tokens[2], key=key())
        assert "receipt" in punch(server_b, tokens[2], kind="out", key=key())

        # The office moves ~5.5 km (a bulk update: no Django signal is sent).
        shell(data_dir, "from govem.people.models import WorkLocation\n"
                        "WorkLocation.objects.update(latitude=-2.99)")  # fmt: skip
        for base, token in ((server_b, tokens[0]), (server_a, tokens[1])):
            refused = punch(base, token, kind="out", key=key())
            assert refused["error"]["code"] == "outside_geofence", refused
            assert refused["error"]["details"]["distance_m"] > 5000

        # Back where it was. Employee 2's new phone already has a token, but the old phone
        # is still bound: refused on both servers until the IT team releases the old one.
        shell(data_dir, "from govem.people.models import WorkLocation\n"
                        "WorkLocation.objects.update(latitude=-2.9395)")  # fmt: skip
        assert "receipt" in punch(server_a, tokens[0], kind="out", key=key())
        new_phone = (
            shell(
                data_dir,
                "from django.utils import timezone\n"
                "from govem.accounts.services import issue_token\n"
                "from govem.people.models import Device, Employee\n"
                "employee = Employee.objects.order_by('pk')[2]\n"
                "phone = Device.objects.create(employee=employee, device_id='hp-baru', label='uji',"
                " released_at=timezone.now())\n"
                "print('TOKEN', issue_token(user=employee.user, device=phone)[0])",
            )
            .split("TOKEN ")[1]
            .strip()
        )
        for base in (server_a, server_b):
            refused = punch(base, new_phone, kind="out", key=key())
            assert refused["error"]["code"] == "device_not_allowed", refused
        shell(
            data_dir,
            "from govem.people.models import Employee\n"
            "from govem.people.services import release_device\n"
            "employee = Employee.objects.order_by('pk')[2]\n"
            "release_device(device=employee.devices.get(released_at=None), by=None,"
            " reason='HP hilang')",
        )
        assert "receipt" in punch(server_a, new_phone, kind="out", key=key())  # binds hp-baru
        assert "receipt" in punch(server_b, new_phone, kind="out", key=key())
        old = punch(server_b, tokens[2], kind="out", key=key())
        assert old["error"]["code"] in {"unauthorized", "device_not_allowed"}, old
