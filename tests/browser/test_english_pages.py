"""English mode, every page of every role: no Indonesian left but the data.

The tour's demo (tests/browser/conftest.py) with its pending work; each role's menu pages and
the console's sub-pages fetched in English. What may stay Indonesian is what people typed or
what has a name of its own: people, units, places, positions, the regency, a ticket's text,
the national holidays' names (the ``holidays`` package), and the import files' column headers
and example values (the file must say ``Nama``, whatever the page's language).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tests.browser.test_tour import pages_of, sub_pages
from tests.english import indonesian_words

from govem.helpdesk.models import Ticket
from govem.people.import_table import EMPLOYEES
from govem.people.location_import import LOCATIONS
from govem.people.models import Employee, Unit, WorkLocation
from govem.people.unit_import import UNITS
from govem.rules.calendar import national_calendar

pytestmark = pytest.mark.django_db(transaction=True)


def data_names() -> set[str]:
    names = {"Pemerintah Kabupaten Tapin", "PEMERINTAH KABUPATEN TAPIN"}
    for employee in Employee.objects.all():
        names |= {employee.name, employee.position}
    names |= {unit.name for unit in Unit.objects.all()}
    names |= {place.name for place in WorkLocation.objects.all()}
    names |= {ticket.description for ticket in Ticket.objects.all()}
    names |= {holiday.name for holiday in national_calendar(timezone.localdate().year).values()}
    for spec in (EMPLOYEES, UNITS, LOCATIONS):
        for column in spec.columns:
            names |= {column.label, column.example}
    return {name for name in names if name}


def test_every_page_of_every_role_is_english_in_english(demo: dict[str, Any]) -> None:
    allowed = data_names()
    left = []
    for role, nip in demo.items():
        client = Client(headers={"accept-language": "en"})
        client.force_login(
            get_user_model().objects.get(username=nip),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        links = [(k, u) for k, u in pages_of(client.get("/rekap/").content.decode())]
        links = [(k, u) for k, u in links if k not in {"admin", "api-docs"}]
        links += [(f"{k}-{n}", sub) for k, _u in links for n, sub in enumerate(sub_pages(k))]
        assert len(links) >= 5, role
        for key, url in links:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            assert '<html lang="en">' in html, (role, url)
            words = indonesian_words(html, allowed)
            if words:
                left.append(f"{role} {key} {url}: {words[:5]}")
    assert left == [], "\n".join(left)
