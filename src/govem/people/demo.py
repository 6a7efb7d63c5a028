"""The demo regency: Kabupaten Tapin's offices, locations around Rantau and 300 employees.

Everything is generated from a fixed seed, and :func:`load_demo` writes only what differs
from the database, so running it twice changes nothing (no duplicates, no audit entries).
Coordinates are approximate and the locations are marked ``is_demo``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Model, Q

from govem.accounts import audit
from govem.accounts.roles import ATASAN, INOVATOR, OPERATOR, PEGAWAI, STAFF_ROLES, TIM_IT
from govem.people.models import Employee, Unit, WorkLocation

DEFAULT_PASSWORD = "govem-demo"  # noqa: S105 (the documented demo password)
SEED = 20240123  # the SOP's month; any fixed number keeps the regency the same on every run
EMPLOYEES = 300
ROLE_ORDER = (PEGAWAI, ATASAN, OPERATOR, TIM_IT, INOVATOR)


@dataclass(frozen=True)
class LocationSpec:
    name: str
    address: str
    latitude: float
    longitude: float
    radius_m: int
    polygon: list[list[float]] | None = None


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    address: str
    head: str  # the head's position
    staff: tuple[str, ...]  # positions of ASN staff
    size: int  # employees including the head
    locations: tuple[str, ...] = ()  # location names; sub-units inherit their parent's
    parent: str | None = None


@dataclass(frozen=True)
class Person:
    employee_type: str
    identifier: str  # NIP, or the non-ASN number
    name: str
    position: str
    unit: str  # unit code
    phone: str
    supervisor: str | None = None  # identifier
    roles: tuple[str, ...] = (PEGAWAI,)

    @property
    def is_staff(self) -> bool:
        return bool(set(self.roles) & set(STAFF_ROLES))

    @property
    def is_superuser(self) -> bool:
        return TIM_IT in self.roles


@dataclass
class DemoResult:
    accounts: list[dict[str, str]]
    units: int
    employees: int
    locations: int
    password: str
    changes: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "accounts": self.accounts,
            "units": self.units,
            "employees": self.employees,
            "locations": self.locations,
        }


RSUD_POLYGON = [
    [-2.92830, 115.16650],
    [-2.92830, 115.16790],
    [-2.92950, 115.16790],
    [-2.92950, 115.16650],
]

LOCATIONS = (
    LocationSpec("Kantor Bupati Tapin (Setda)", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.93950, 115.16130, 120),
    LocationSpec("Kantor Diskominfo Tapin", "Jl. Jenderal Sudirman, Rantau",
                 -2.94120, 115.15980, 80),
    LocationSpec("Kantor BKPSDM Tapin", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.93810, 115.16340, 70),
    LocationSpec("Kantor BKAD Tapin", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.94030, 115.16410, 70),
    LocationSpec("Kantor Dinas Pendidikan Tapin", "Jl. Ahmad Yani, Rantau",
                 -2.94470, 115.15720, 90),
    LocationSpec("Kantor Dinas Kesehatan Tapin", "Jl. Jenderal Sudirman, Rantau",
                 -2.93580, 115.15870, 80),
    LocationSpec("RSUD Datu Sanggul", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.92890, 115.16720, 150, RSUD_POLYGON),
    LocationSpec("Kantor Kecamatan Tapin Utara", "Jl. Ahmad Yani, Rantau",
                 -2.94670, 115.16510, 60),
    LocationSpec("Kantor Inspektorat Tapin", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.93760, 115.16050, 60),
    LocationSpec("Kantor Bappeda Tapin", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.93880, 115.16490, 70),
    LocationSpec("Kantor Dinas PUPR Tapin", "Jl. Keramat, Rantau", -2.95120, 115.16230, 100),
    LocationSpec("Markas Satpol PP Tapin", "Jl. Brigjend H. Hasan Basry, Rantau",
                 -2.94010, 115.16270, 50),
)  # fmt: skip

_ADMIN = ("Analis Kebijakan", "Pengadministrasi Perkantoran", "Penata Kelola Sistem dan TI")
UNITS = (
    UnitSpec("SETDA", "Sekretariat Daerah", "Jl. Brigjend H. Hasan Basry No. 1, Rantau",
             "Sekretaris Daerah", (*_ADMIN, "Analis Hukum", "Pranata Humas"), 22,
             ("Kantor Bupati Tapin (Setda)",)),
    UnitSpec("SETDA-ORG", "Bagian Organisasi", "Jl. Brigjend H. Hasan Basry No. 1, Rantau",
             "Kepala Bagian Organisasi", ("Analis Kelembagaan", "Analis Tata Laksana"), 8,
             parent="SETDA"),
    UnitSpec("DISKOMINFO", "Dinas Komunikasi dan Informatika (Diskominfo)",
             "Jl. Jenderal Sudirman, Rantau", "Kepala Dinas Komunikasi dan Informatika",
             (*_ADMIN, "Pranata Komputer Ahli Muda"), 12, ("Kantor Diskominfo Tapin",)),
    UnitSpec("DISKOMINFO-APTIKA", "Bidang Aplikasi Informatika", "Jl. Jenderal Sudirman, Rantau",
             "Kepala Bidang Aplikasi Informatika",
             ("Pranata Komputer Ahli Pertama", "Pranata Komputer Ahli Muda", "Sandiman"), 10,
             parent="DISKOMINFO"),
    UnitSpec("DISKOMINFO-IKP", "Bidang Informasi dan Komunikasi Publik",
             "Jl. Jenderal Sudirman, Rantau", "Kepala Bidang Informasi dan Komunikasi Publik",
             ("Pranata Humas Ahli Pertama", "Pranata Humas Ahli Muda"), 8, parent="DISKOMINFO"),
    UnitSpec("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (BKPSDM)",
             "Jl. Brigjend H. Hasan Basry, Rantau", "Kepala BKPSDM",
             (*_ADMIN, "Analis SDM Aparatur", "Asesor SDM Aparatur"), 20, ("Kantor BKPSDM Tapin",)),
    UnitSpec("BKAD", "Badan Keuangan dan Aset Daerah (BKAD)", "Jl. Brigjend H. Hasan Basry, Rantau",
             "Kepala BKAD", (*_ADMIN, "Analis Keuangan", "Pengelola Barang Milik Daerah"), 25,
             ("Kantor BKAD Tapin",)),
    UnitSpec("DISDIK", "Dinas Pendidikan", "Jl. Ahmad Yani, Rantau", "Kepala Dinas Pendidikan",
             (*_ADMIN, "Pengawas Sekolah", "Pamong Belajar"), 30,
             ("Kantor Dinas Pendidikan Tapin",)),
    UnitSpec("DINKES", "Dinas Kesehatan", "Jl. Jenderal Sudirman, Rantau",
             "Kepala Dinas Kesehatan", (*_ADMIN, "Epidemiolog Kesehatan", "Apoteker", "Sanitarian"),
             25, ("Kantor Dinas Kesehatan Tapin",)),
    UnitSpec("RSUD-DS", "RSUD Datu Sanggul", "Jl. Brigjend H. Hasan Basry, Rantau",
             "Direktur RSUD Datu Sanggul",
             ("Dokter Ahli Pertama", "Perawat Ahli Pertama", "Perawat Terampil", "Bidan Terampil",
              "Pranata Laboratorium Kesehatan", "Apoteker", "Perekam Medis"), 60,
             ("RSUD Datu Sanggul",)),
    UnitSpec("KEC-TAPUT", "Kecamatan Tapin Utara", "Jl. Ahmad Yani, Rantau", "Camat Tapin Utara",
             (*_ADMIN, "Pengelola Layanan Kependudukan"), 15,
             ("Kantor Kecamatan Tapin Utara",)),
    UnitSpec("INSPEKTORAT", "Inspektorat", "Jl. Brigjend H. Hasan Basry, Rantau", "Inspektur",
             ("Auditor Ahli Pertama", "Auditor Ahli Muda", "Pengawas Penyelenggaraan Urusan "
              "Pemerintahan Daerah"), 15, ("Kantor Inspektorat Tapin",)),
    UnitSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah (Bappeda)",
             "Jl. Brigjend H. Hasan Basry, Rantau", "Kepala Bappeda",
             (*_ADMIN, "Perencana Ahli Pertama", "Perencana Ahli Muda", "Peneliti"), 15,
             ("Kantor Bappeda Tapin",)),
    UnitSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)", "Jl. Keramat, Rantau",
             "Kepala Dinas PUPR", (*_ADMIN, "Teknik Jalan dan Jembatan", "Penata Ruang"), 20,
             ("Kantor Dinas PUPR Tapin",)),
    UnitSpec("SATPOLPP", "Satuan Polisi Pamong Praja (Satpol PP)",
             "Jl. Brigjend H. Hasan Basry, Rantau", "Kepala Satpol PP",
             ("Polisi Pamong Praja Terampil", "Polisi Pamong Praja Ahli Pertama"), 15,
             ("Markas Satpol PP Tapin", "Kantor Bupati Tapin (Setda)")),
)  # fmt: skip

NON_ASN_POSITIONS = (
    "Tenaga Pendukung Administrasi",
    "Operator Komputer",
    "Pengemudi",
    "Petugas Kebersihan",
    "Petugas Keamanan",
    "Pramu Bakti",
)

MEN = (
    "Muhammad", "Ahmad", "Akhmad", "Abdul", "Rahmat", "Fahmi", "Rusdiansyah", "Zainal", "Khairil",
    "Hamdani", "Fathurrahman", "Syahrani", "Yusran", "Basuni", "Taufik", "Anang", "Gusti",
    "Rizky", "Rahmadi", "Saufi", "Hairil", "Riduan", "Aspihani", "Mursidi", "Ijai", "Norhadi",
)  # fmt: skip
WOMEN = (
    "Siti", "Norhayati", "Noorhidayah", "Syarifah", "Fitriani", "Mahmudah", "Hairiyah", "Jumiati",
    "Norliani", "Rabiatul", "Mardiana", "Norhalimah", "Fauziah", "Aulia", "Galuh", "Antung",
    "Rusmilawati", "Masitah", "Nurul", "Hafizah", "Rahmah", "Salasiah", "Nadia", "Raudah",
)  # fmt: skip
SECOND = (
    "Noor", "Rahman", "Hidayat", "Ramadhan", "Fauzi", "Hakim", "Arsyad", "Rasyid", "Saputra",
    "Maulana", "Aini", "Fitri", "Hasanah", "Rahmawati", "Anshari", "Wahyudi", "Halimah",
    "Mubarak", "Firdaus", "Azhari", "Husna", "Jannah", "Kamal", "Amalia",
)  # fmt: skip

# The demo logins: fixed people so that the printed table stays the same.
KEY_PEOPLE = (
    # role, type, NIP, name, position, unit
    (PEGAWAI, "PNS", "199507222020121006", "Muhammad Rizky Ramadhan",
     "Pranata Komputer Ahli Pertama", "DISKOMINFO-APTIKA"),
    (ATASAN, "PNS", "198208172006042010", "Norhayati Hasanah",
     "Kepala Bidang Aplikasi Informatika", "DISKOMINFO-APTIKA"),
    (OPERATOR, "PNS", "198911032014032004", "Siti Mahmudah",
     "Pranata Komputer Ahli Muda (Operator Presensi)", "DISKOMINFO"),
    (TIM_IT, "PNS", "199002142015031005", "Fahrul Razi",
     "Pranata Komputer Ahli Muda (Tim IT Govem)", "DISKOMINFO-APTIKA"),
    # The innovation's owner has read-only oversight, so not a head who approves requests.
    (INOVATOR, "PNS", "197504112000032003", "Rusmilawati Anshari",
     "Perencana Ahli Madya (Pengelola Inovasi Daerah)", "BAPPEDA"),
)  # fmt: skip


def _nip(rng: random.Random, gender: int, *, pppk: bool, used: set[str]) -> str:
    birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 34 * 365))
    if pppk:
        tmt_year, tmt_month = rng.choice((2021, 2022, 2023, 2024)), rng.choice((1, 3, 10))
    else:
        tmt_year = min(2024, birth.year + rng.randint(21, 32))
        tmt_month = rng.choice((1, 3, 4, 12))
    tmt_year = max(tmt_year, birth.year + 18)
    prefix = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender}"
    sequence = rng.randint(1, 9)
    while f"{prefix}{sequence:03d}" in used:
        sequence += 1
    nip = f"{prefix}{sequence:03d}"
    used.add(nip)
    return nip


def _phone(rng: random.Random) -> str:
    return f"+628{rng.choice((11, 12, 13, 21, 22, 52, 53, 77, 78))}{rng.randrange(10**7, 10**8)}"


def _name(rng: random.Random, gender: int) -> str:
    first = rng.choice(MEN if gender == 1 else WOMEN)
    second = rng.choice(SECOND)
    if first == "Gusti" or first == "Antung":
        second = f"{rng.choice(MEN if gender == 1 else WOMEN[1:])} {second}"
    return f"{first} {second}"


def people(seed: int = SEED) -> list[Person]:
    """The 300 demo employees, heads first (a head's supervisor is the parent unit's head)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    used = {nip for _, _, nip, *_ in KEY_PEOPLE}
    non_asn = 0
    heads: dict[str, str] = {}
    result: list[Person] = []
    top = UNITS[0].code  # the Sekretaris Daerah coordinates the heads of the other OPDs
    for spec in UNITS:
        keys = [p for p in KEY_PEOPLE if p[5] == spec.code]
        head_key = next((p for p in keys if p[4] == spec.head), None)
        members: list[Person] = []
        boss = heads.get(spec.parent or top) if spec.code != top else None
        if head_key:
            _role, kind, nip, name, position, _unit = head_key
            head = Person(kind, nip, name, position, spec.code, _phone(rng), boss,
                          (PEGAWAI, ATASAN))  # fmt: skip
        else:
            gender = rng.choice((1, 1, 2))
            head = Person("PNS", _nip(rng, gender, pppk=False, used=used), _name(rng, gender),
                          spec.head, spec.code, _phone(rng), boss, (PEGAWAI, ATASAN))  # fmt: skip
        heads[spec.code] = head.identifier
        members.append(head)
        for role, kind, nip, name, position, _unit in keys:
            if nip != head.identifier:
                members.append(Person(kind, nip, name, position, spec.code, _phone(rng),
                                      head.identifier, (PEGAWAI, role)))  # fmt: skip
        while len(members) < spec.size:
            gender = rng.choice((1, 2))
            draw = rng.random()
            pppk_share = 0.35 if spec.code == "RSUD-DS" else 0.2
            if draw < 0.25:
                non_asn += 1
                identifier = f"NONASN-{rng.choice((2019, 2021, 2023))}-{non_asn:04d}"
                kind, position = "NON_ASN", rng.choice(NON_ASN_POSITIONS)
            else:
                pppk = draw < 0.25 + pppk_share
                identifier = _nip(rng, gender, pppk=pppk, used=used)
                kind, position = ("PPPK" if pppk else "PNS"), rng.choice(spec.staff)
            members.append(Person(kind, identifier, _name(rng, gender), position, spec.code,
                                  _phone(rng), head.identifier))  # fmt: skip
        result.extend(members)
    assert len(result) == EMPLOYEES, len(result)
    return result


def _sync(instance: Model, values: dict[str, Any], *, full_save: bool = False) -> bool:
    """Set the values that differ and save only those; True when something was written."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(**({} if full_save else {"update_fields": changed}))  # type: ignore[arg-type]
    return bool(changed)


def _units(changes: dict[str, int]) -> dict[str, Unit]:
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in UNITS])}
    locations = {
        loc.name: loc
        for loc in WorkLocation.objects.filter(is_demo=True, name__in=[s.name for s in LOCATIONS])
    }
    for spec in LOCATIONS:
        values = {
            "address": spec.address,
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "radius_m": spec.radius_m,
            "polygon": spec.polygon,
            "time_zone": "Asia/Makassar",
            "active": True,
        }
        location = locations.get(spec.name)
        if location is None:
            locations[spec.name] = WorkLocation.objects.create(
                name=spec.name, is_demo=True, **values
            )
            changes["locations"] += 1
        elif _sync(location, values):
            changes["locations"] += 1
    for spec in UNITS:  # type: ignore[assignment]
        parent = existing[spec.parent] if spec.parent else None  # type: ignore[attr-defined]
        values = {
            "name": spec.name,
            "address": spec.address,
            "parent_id": parent.pk if parent else None,
            "active": True,
        }
        unit = existing.get(spec.code)  # type: ignore[attr-defined]
        if unit is None:
            unit = existing[spec.code] = Unit.objects.create(code=spec.code, **values)  # type: ignore[attr-defined]
            changes["units"] += 1
        elif _sync(unit, values, full_save=True):  # Unit.save() recomputes the path
            changes["units"] += 1
        wanted = {locations[name].pk for name in spec.locations}  # type: ignore[attr-defined]
        missing = wanted - set(unit.locations.values_list("pk", flat=True))
        if missing:
            unit.locations.add(*sorted(missing))
            changes["units"] += 1
    return existing


def _users(crowd: list[Person], password: str, changes: dict[str, int]) -> dict[str, Any]:
    user_model = get_user_model()
    logins = [p.identifier for p in crowd]
    users = {u.username: u for u in user_model.objects.filter(username__in=logins)}
    # Hashing is slow (PBKDF2): hash once, and check each distinct stored hash once.
    stale = [h for h in {u.password for u in users.values()} if not check_password(password, h)]
    hashed = make_password(password) if stale or len(users) < len(crowd) else None
    if stale:
        changes["users"] += user_model.objects.filter(
            username__in=logins, password__in=stale
        ).update(password=hashed)
    new = [
        user_model(username=p.identifier, password=hashed, first_name=p.name[:150])  # type: ignore[misc]
        for p in crowd
        if p.identifier not in users
    ]
    for user in user_model.objects.bulk_create(new):
        users[user.username] = user
    changes["users"] += len(new)
    for person in crowd:
        values = {
            "first_name": person.name[:150],
            "is_active": True,
            "is_staff": person.is_staff,
            "is_superuser": person.is_superuser,
        }
        if _sync(users[person.identifier], values):
            changes["users"] += 1
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=ROLE_ORDER)}
    through = user_model.groups.through
    ids = [u.pk for u in users.values()]
    have = set(through.objects.filter(user_id__in=ids).values_list("user_id", "group_id"))
    wanted = {
        (users[p.identifier].pk, groups[role]) for p in crowd for role in p.roles if role in groups
    }
    missing = sorted(wanted - have)
    through.objects.bulk_create([through(user_id=u, group_id=g) for u, g in missing])
    changes["users"] += len(missing)
    return users


def _employees(
    crowd: list[Person], units: dict[str, Unit], users: dict[str, Any], changes: dict[str, int]
) -> dict[str, Employee]:
    logins = [p.identifier for p in crowd]
    existing = {
        e.identifier: e
        for e in Employee.objects.filter(Q(nip__in=logins) | Q(non_asn_id__in=logins))
    }
    for person in crowd:
        is_asn = person.employee_type != Employee.Type.NON_ASN
        supervisor = existing[person.supervisor] if person.supervisor else None
        values = {
            "employee_type": person.employee_type,
            "nip": person.identifier if is_asn else None,
            "non_asn_id": None if is_asn else person.identifier,
            "name": person.name,
            "position": person.position,
            "unit_id": units[person.unit].pk,
            "supervisor_id": supervisor.pk if supervisor else None,
            "phone": person.phone,
            "user_id": users[person.identifier].pk,
            "active": True,
        }
        employee = existing.get(person.identifier)
        if employee is None:
            existing[person.identifier] = Employee.objects.create(**values)
            changes["employees"] += 1
        elif _sync(employee, values):
            changes["employees"] += 1
    return existing


def load_demo(*, password: str = DEFAULT_PASSWORD) -> DemoResult:
    """Create or bring up to date the demo regency; idempotent, in one transaction."""
    crowd = people()
    changes = {"locations": 0, "units": 0, "users": 0, "employees": 0}
    with transaction.atomic(), audit.acting_as(None, reason="Data demo (govem demo)"):
        units = _units(changes)
        users = _users(crowd, password, changes)
        _employees(crowd, units, users, changes)
    units_by_code = {spec.code: spec.name for spec in UNITS}
    accounts = [
        {"role": role, "login": nip, "name": name, "unit": units_by_code[unit]}
        for role, _kind, nip, name, _position, unit in KEY_PEOPLE
    ]
    return DemoResult(
        accounts=accounts,
        units=len(UNITS),
        employees=len(crowd),
        locations=len(LOCATIONS),
        password=password,
        changes=changes,
    )
