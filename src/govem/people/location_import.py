"""Work locations from a table: name, latitude, longitude, radius or polygon, time zone, and
the codes of the units it serves.

A location is known by its name (case and spaces ignored): a new name creates it, a known one
updates it. The unit codes listed are the units whose employees may check in there, exactly:
a unit missing from the list no longer uses the location. Locations not in the file are left
alone. A polygon is WKT (``POLYGON((lon lat, …))``, as GIS tools write it) or "lat,lon" pairs
separated by ``;``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govem.errors import DomainError
from govem.people.import_runs import (
    Change,
    Planned,
    TableOutcome,
    TablePlan,
    digest,
    run_import,
    squeeze,
)
from govem.people.models import INDONESIAN_ZONES, ImportRun, Unit, WorkLocation
from govem.people.tables import Column, TableSpec, cell, identifier_errors, read_table
from govem.rules.geofence import Point, geodesic_distance_m

LOCATIONS = TableSpec(
    noun="lokasi",
    anchors=("name", "latitude"),
    columns=(
        Column("name", "Nama Lokasi", ("nama", "lokasi", "nama kantor", "location",
               "location name", "name"), required=True,
               explanation=gettext_noop(
                   "Wajib, unik. Nama kantor yang dilihat pegawai (maks. 200)."),
               example="Kantor Diskominfo Tapin"),
        Column("latitude", "Lintang", ("latitude", "lat"), required=True,
               explanation=gettext_noop(
                   "Wajib. Derajat desimal, negatif di selatan khatulistiwa "
                   "(Tapin ±-2,9)."), example="-2.9395"),
        Column("longitude", "Bujur", ("longitude", "lon", "lng", "long"), required=True,
               explanation=gettext_noop(
                   "Wajib. Derajat desimal (Tapin ±115,1)."), example="115.1613"),
        Column("radius_m", "Radius (m)", ("radius", "radius m", "radius meter", "radius_m"),
               explanation=gettext_noop(
                   "Radius lingkaran presensi dalam meter (10–5000). Wajib bila tanpa "
                   "poligon."), example="100"),
        Column("polygon", "Poligon", ("polygon", "batas area", "wkt"),
               explanation=gettext_noop(
                   "Opsional, menggantikan radius: WKT POLYGON((bujur lintang, …)) "
                   "atau pasangan lintang,bujur dipisah titik koma, minimal 3 titik."),
               example=""),
        Column("time_zone", "Zona Waktu", ("zona", "timezone", "time zone", "tz"),
               explanation=gettext_noop(
                   "WIB, WITA atau WIT (atau Asia/Jakarta, Asia/Makassar, "
                   "Asia/Jayapura). Kosong = WITA."), example="WITA"),
        Column("units", "Kode Unit", ("kode unit dilayani", "unit", "unit codes", "units",
               "kode opd"), identifier=True,
               explanation=gettext_noop(
                   "Kode unit yang pegawainya presensi di sini, dipisah koma. Unit "
                   "yang tidak disebut tidak lagi memakai lokasi ini."), example="DISKOMINFO"),
        Column("address", "Alamat", ("alamat kantor", "address"),
               explanation=gettext_noop(
                   "Opsional (maks. 300)."), example="Jl. Jenderal Sudirman, Rantau"),
    ),
)  # fmt: skip
LABELS = {**LOCATIONS.labels, "active": "Status"}
ZONES = {zone for zone, _ in INDONESIAN_ZONES}
ZONE_NAMES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# Indonesia with a margin: a point outside is a typo or latitude and longitude swapped.
LAT_RANGE, LON_RANGE = (-11.5, 6.5), (94.0, 141.5)
POLYGON_REACH_M = 10_000  # a polygon's corner this far from the centre is another place
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_WKT = re.compile(r"^\s*POLYGON\s*\(\((?P<ring>[^()]*)\)", re.IGNORECASE)


@dataclass
class _LocationPlan(TablePlan):
    valid: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, WorkLocation] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)


def _key(name: str) -> str:
    return squeeze(name).casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = cell(value).replace(" ", "")
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


def _in_indonesia(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def parse_polygon(text: str) -> list[list[float]]:
    """[[lat, lon], …] from WKT or "lat,lon; lat,lon; …"; raises ValueError with the reason."""
    match = _WKT.match(text)
    points: list[list[float]] = []
    if match:
        for pair in match["ring"].split(","):
            parts = pair.split()
            if len(parts) != 2:
                raise ValueError(f"titik WKT «{pair.strip()}» harus «bujur lintang»")
            lon, lat = (float(part) for part in parts)
            points.append([lat, lon])
    elif text.strip().upper().startswith(("POLYGON", "MULTIPOLYGON")):
        raise ValueError("WKT harus POLYGON((bujur lintang, …)) dengan satu cincin")
    else:
        for pair in re.split(r"[;\n|]+", text):
            if not pair.strip():
                continue
            parts = [part for part in re.split(r"[,\s]+", pair.strip()) if part]
            if len(parts) != 2:
                raise ValueError(f"titik «{pair.strip()}» harus «lintang,bujur»")
            lat, lon = (float(part) for part in parts)
            points.append([lat, lon])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # WKT closes the ring by repeating the first point
    if len({tuple(point) for point in points}) < 3:
        raise ValueError("poligon harus punya minimal 3 titik berbeda")
    return points


def _validate(
    number: int, raw: dict[str, Any], plan: _LocationPlan, known_units: dict[str, Unit]
) -> dict[str, Any] | None:
    name = squeeze(cell(raw.get("name")))
    before = len(plan.errors)
    plan.errors.extend(identifier_errors(number, raw, LOCATIONS, name))

    def fail(column: str, message: str) -> None:
        plan.fail(number, name, column, message)

    if not name:
        fail("name", "Nama lokasi kosong.")
    elif len(name) > 200:
        fail("name", "Nama lokasi lebih dari 200 karakter.")
    lat, lon = _number(raw.get("latitude")), _number(raw.get("longitude"))
    if lat is None:
        fail("latitude", f"Lintang «{cell(raw.get('latitude'))}» bukan angka desimal.")
    if lon is None:
        fail("longitude", f"Bujur «{cell(raw.get('longitude'))}» bukan angka desimal.")
    if lat is not None and lon is not None and not _in_indonesia(lat, lon):
        swapped = " (lintang dan bujur tertukar?)" if _in_indonesia(lon, lat) else ""
        fail("latitude", f"Titik {lat}, {lon} di luar wilayah Indonesia{swapped}.")
    polygon = None
    polygon_text = cell(raw.get("polygon"))
    if polygon_text:
        try:
            polygon = parse_polygon(polygon_text)
        except ValueError as exc:
            fail("polygon", f"Poligon tidak valid: {exc}.")
        else:
            outside = [p for p in polygon if not _in_indonesia(p[0], p[1])]
            if outside:
                corner = f"{outside[0][0]}, {outside[0][1]}"
                fail("polygon", f"Titik poligon {corner} di luar wilayah Indonesia.")
            elif lat is not None and lon is not None:
                centre = Point(lat, lon)
                far = max(geodesic_distance_m(centre, Point(p[0], p[1])) for p in polygon)
                if far > POLYGON_REACH_M:
                    km = f"{far / 1000:.1f}".replace(".", ",")
                    fail(
                        "polygon",
                        f"Titik poligon berjarak {km} km dari lintang/bujur lokasi (lebih dari "
                        "10 km): periksa urutan bujur dan lintang.",
                    )
    radius = None
    radius_text = cell(raw.get("radius_m"))
    if radius_text:
        value = _number(raw.get("radius_m"))
        if value is None or not value.is_integer() or not 10 <= value <= 5000:
            fail("radius_m", f"Radius «{radius_text}» harus bilangan bulat 10–5000 meter.")
        else:
            radius = int(value)
    elif polygon is None and not polygon_text:
        fail("radius_m", "Isi radius (meter) atau poligon.")
    zone_text = cell(raw.get("time_zone"))
    zone = ZONE_NAMES.get(zone_text.upper(), zone_text) if zone_text else default_zone()
    if zone not in ZONES:
        fail("time_zone", f"Zona waktu «{zone_text}» tidak dikenal (WIB, WITA atau WIT).")
    units: list[Unit] | None = None
    if "units" in raw:
        units = []
        for code in [part for part in re.split(r"[,;\s]+", cell(raw.get("units"))) if part]:
            unit = known_units.get(code.upper())
            if unit is None:
                fail("units", f"Kode unit «{code}» tidak dikenal (impor unit lebih dulu).")
            elif not unit.active:
                fail("units", f"Unit «{code}» tidak aktif.")
            elif unit not in units:
                units.append(unit)
    address = squeeze(cell(raw.get("address"))) if "address" in raw else None
    if address and len(address) > 300:
        fail("address", "Alamat lebih dari 300 karakter.")
    if len(plan.errors) > before:
        return None
    return {
        "row": number,
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "radius_m": radius,
        "polygon": polygon,
        "time_zone": zone,
        "units": units,
        "address": address,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(round(value, 7), "g")
    if isinstance(value, list):
        return "; ".join(f"{_text(p[0])},{_text(p[1])}" for p in value) if value else ""
    return str(value)


def _changes(row: dict[str, Any], location: WorkLocation, served: list[str]) -> list[Change]:
    pairs: list[tuple[str, Any, Any]] = [
        ("latitude", location.latitude, row["latitude"]),
        ("longitude", location.longitude, row["longitude"]),
        ("time_zone", location.time_zone, row["time_zone"]),
    ]
    if row["radius_m"] is not None:
        pairs.append(("radius_m", location.radius_m, row["radius_m"]))
    pairs.append(("polygon", location.polygon, row["polygon"]))
    if row["address"] is not None:
        pairs.append(("address", location.address, row["address"]))
    if row["units"] is not None:
        listed = sorted(unit.code for unit in row["units"])  # a set: the order is no change
        pairs.append(("units", ", ".join(sorted(served)), ", ".join(listed)))
    if location.name != row["name"]:
        pairs.append(("name", location.name, row["name"]))
    changes = [Change(LABELS[c], _text(old), _text(new)) for c, old, new in pairs if old != new]
    if not location.active:
        changes.append(Change(LABELS["active"], "nonaktif", "aktif"))
    return changes


def plan_locations(data: bytes, file_name: str) -> _LocationPlan:
    """What applying the file would do; reads only."""
    plan = _LocationPlan(ImportRun.Kind.LOCATIONS, file_name, digest(data), LABELS)
    table, _columns = read_table(data, file_name, LOCATIONS)
    plan.rows = len(table)
    if not table:
        raise DomainError("invalid_file", _("Berkas tidak berisi data lokasi."))
    known_units = {unit.code.upper(): unit for unit in Unit.objects.all()}
    by_name: dict[str, list[WorkLocation]] = {}
    for location in WorkLocation.objects.all():
        by_name.setdefault(_key(location.name), []).append(location)
    served: dict[int, list[str]] = {}
    for location_id, code in Unit.locations.through.objects.values_list(
        "worklocation_id", "unit__code"
    ).order_by("unit__code"):
        served.setdefault(location_id, []).append(code)
    first_row: dict[str, int] = {}
    for number, raw in table:
        row = _validate(number, raw, plan, known_units)
        name = squeeze(cell(raw.get("name")))
        key = _key(name)
        if key and key in first_row:
            duplicate = f"Lokasi «{name}» ganda: sudah ada di baris {first_row[key]}."
            plan.fail(number, name, "name", duplicate)
            continue
        if key:
            first_row[key] = number
        if row is None:
            continue
        matches = by_name.get(key, [])
        if len(matches) > 1:
            plan.fail(
                number,
                name,
                "name",
                f"Ada {len(matches)} lokasi bernama «{name}» di Govem; ganti nama salah satunya "
                "di Admin lebih dulu.",
            )
            continue
        plan.valid.append(row)
        if not matches:
            plan.new.append(Planned(number, name, name))
            continue
        location = matches[0]
        plan.existing[key] = location
        changes = _changes(row, location, served.get(location.pk, []))
        if changes:
            plan.changed.append(Planned(number, location.name, name, tuple(changes)))
        else:
            plan.unchanged += 1
    plan.sort_errors()
    return plan


def _apply(plan: TablePlan) -> None:
    assert isinstance(plan, _LocationPlan)
    changed = {_key(planned.name) for planned in plan.changed}
    for row in plan.valid:
        key = _key(row["name"])
        location = plan.existing.get(key)
        if location is not None and key not in changed:
            continue
        if location is None:
            location = WorkLocation()
        location.name = row["name"]
        location.latitude = row["latitude"]
        location.longitude = row["longitude"]
        if row["radius_m"] is not None:
            location.radius_m = row["radius_m"]
        location.polygon = row["polygon"]
        location.time_zone = row["time_zone"]
        if row["address"] is not None:
            location.address = row["address"]
        location.active = True
        location.save()
        if row["units"] is not None:
            location.units.set(row["units"])  # type: ignore[attr-defined]


def import_locations(
    *,
    data: bytes,
    file_name: str,
    by: Any = None,
    dry_run: bool,
    source: str = "cli",
    token: str = "",
) -> TableOutcome:
    """Plan the locations import and, unless ``dry_run`` or a row is invalid, apply it."""
    return run_import(
        kind=ImportRun.Kind.LOCATIONS,
        noun="lokasi",
        data=data,
        file_name=file_name,
        plan_with=plan_locations,
        apply_with=_apply,
        by=by,
        dry_run=dry_run,
        source=source,
        token=token,
    )


def default_zone() -> str:
    return settings.TIME_ZONE if settings.TIME_ZONE in ZONES else "Asia/Makassar"
