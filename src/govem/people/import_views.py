"""``/impor-pegawai/``, ``/impor-unit/``, ``/impor-lokasi/``: Tim IT uploads a file, previews,
then confirms; each page offers its template (``…/templat.xlsx``).

The uploaded file stays in the Govem storage (``imports/``, reached by every node) under a
random token between the
preview and the confirmation, so what is applied is exactly what was previewed (its SHA-256 is
checked) and the file is not uploaded twice.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from govem.accounts.scoping import is_it
from govem.errors import DomainError
from govem.files import store as files
from govem.people.freshness import freshness_report
from govem.people.import_runs import TableOutcome
from govem.people.import_table import EMPLOYEES
from govem.people.importing import ImportOutcome, import_employees
from govem.people.location_import import LOCATIONS, import_locations
from govem.people.models import ImportRun, Unit
from govem.people.tables import TableSpec, template_xlsx
from govem.people.unit_import import UNITS, import_units

MAX_BYTES = 20 * 1024 * 1024
KEEP_PREVIEWS_S = 24 * 3600
SHOW = 200
SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt"}


FOLDER = "imports/"


def _stored(token: str) -> str | None:
    """The stored name of the upload kept under ``token``."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    matches = files.names(f"{FOLDER}{token}.")
    return matches[0] if matches else None


def _forget_old_previews() -> None:
    cutoff = timezone.now() - timedelta(seconds=KEEP_PREVIEWS_S)
    for name in files.names(FOLDER):
        if files.modified(name) < cutoff:
            files.delete(name)


def _store_upload(request: HttpRequest) -> tuple[str, str, bytes]:
    """The uploaded file kept under a fresh token: (token, file name, bytes)."""
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("invalid_input", _("Pilih berkas XLSX atau CSV."))
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise DomainError("invalid_file", _("Format berkas harus XLSX atau CSV."))
    if upload.size and upload.size > MAX_BYTES:
        raise DomainError("invalid_file", _("Berkas lebih dari 20 MB."))
    data = upload.read()
    _forget_old_previews()
    token = secrets.token_urlsafe(24)
    files.put(f"{FOLDER}{token}{suffix}", data)
    return token, upload.name or f"upload{suffix}", data


def _previewed(request: HttpRequest, kind: str) -> tuple[ImportRun, str, bytes]:
    """The preview this user confirms and its stored file, unchanged since the preview."""
    token = request.POST.get("token", "")
    preview = (
        ImportRun.objects.filter(  # type: ignore[misc]
            token=token, by=request.user, kind=kind, status=ImportRun.Status.PREVIEW
        )
        .order_by("-at")
        .first()
    )
    name = _stored(token)
    data = files.read(name) if name else None
    if preview is None or name is None or data is None:
        raise DomainError(
            "preview_expired", _("Pratinjau tidak ditemukan atau kedaluwarsa; unggah ulang berkas.")
        )
    if hashlib.sha256(data).hexdigest() != preview.sha256:
        raise DomainError("preview_expired", _("Berkas berubah sejak pratinjau; unggah ulang."))
    return preview, name, data


def _preview(request: HttpRequest) -> tuple[ImportOutcome | None, DomainError | None]:
    token, file_name, data = _store_upload(request)
    outcome = import_employees(
        data=data,
        file_name=file_name,
        by=request.user,
        dry_run=True,
        scope_code=request.POST.get("scope", "").strip(),
        full_roster=request.POST.get("full_roster") == "1",
        source="web",
        token=token,
    )
    return outcome, None


def _apply(request: HttpRequest) -> tuple[ImportOutcome | None, DomainError | None]:
    preview, path, data = _previewed(request, ImportRun.Kind.EMPLOYEES)
    outcome = import_employees(
        data=data,
        file_name=preview.file_name,
        by=request.user,
        dry_run=False,
        scope_code=preview.scope_code,
        full_roster=preview.full_roster,
        source="web",
    )
    if outcome.run.status == ImportRun.Status.APPLIED:
        files.delete(path)
    return outcome, None


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_it(request)
    outcome: ImportOutcome | None = None
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            outcome, error = _apply(request) if action == "apply" else _preview(request)
        except DomainError as exc:
            error = exc
        if error is not None:
            status = error.status
        elif outcome is not None and outcome.run.status == ImportRun.Status.APPLIED:
            counts = outcome.plan.counts()
            messages.success(
                request,
                _(
                    "Impor diterapkan: %(created)d baru, %(changed)d berubah, "
                    "%(deactivated)d dinonaktifkan."
                )
                % counts,
            )
            return redirect("people:import")
        elif outcome is not None and outcome.run.status == ImportRun.Status.REFUSED:
            status = 422
    context = {
        "outcome": outcome,
        "plan": outcome.plan if outcome else None,
        "run": outcome.run if outcome else None,
        "error": error,
        "show": SHOW,
        "units": Unit.objects.filter(active=True).order_by("code"),
        "freshness": freshness_report(),
        "runs": ImportRun.objects.filter(kind=ImportRun.Kind.EMPLOYEES).select_related("by")[:10],
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "people/import.html", context, status=status)


@dataclass(frozen=True)
class TableImport:
    kind: str
    spec: TableSpec
    title: Any  # the page's heading (lazy: in the page's language)
    service: Callable[..., TableOutcome]
    url_name: str


TABLES = {
    ImportRun.Kind.UNITS: TableImport(
        ImportRun.Kind.UNITS,
        UNITS,
        gettext_lazy("Impor unit kerja"),
        import_units,
        "people:import-units",
    ),
    ImportRun.Kind.LOCATIONS: TableImport(
        ImportRun.Kind.LOCATIONS,
        LOCATIONS,
        gettext_lazy("Impor lokasi kerja"),
        import_locations,
        "people:import-locations",
    ),
}
TEMPLATES = {
    ImportRun.Kind.EMPLOYEES: (EMPLOYEES, "templat-impor-pegawai.xlsx", "Pegawai"),
    ImportRun.Kind.UNITS: (UNITS, "templat-impor-unit.xlsx", "Unit kerja"),
    ImportRun.Kind.LOCATIONS: (LOCATIONS, "templat-impor-lokasi.xlsx", "Lokasi kerja"),
}


def _require_it(request: HttpRequest) -> None:
    if not is_it(request.user):
        raise PermissionDenied("Tim IT only")


@login_required
@require_http_methods(["GET", "POST"])
def table_import_page(request: HttpRequest, kind: str) -> HttpResponse:
    _require_it(request)
    table = TABLES[kind]  # type: ignore[index]
    outcome: TableOutcome | None = None
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "apply":
                preview, path, data = _previewed(request, kind)
                outcome = table.service(
                    data=data,
                    file_name=preview.file_name,
                    by=request.user,
                    dry_run=False,
                    source="web",
                )
                if outcome.run.status == ImportRun.Status.APPLIED:
                    files.delete(path)
            else:
                token, file_name, data = _store_upload(request)
                outcome = table.service(
                    data=data,
                    file_name=file_name,
                    by=request.user,
                    dry_run=True,
                    source="web",
                    token=token,
                )
        except DomainError as exc:
            error, status = exc, exc.status
        if outcome is not None and outcome.run.status == ImportRun.Status.APPLIED:
            counts = outcome.plan.counts()
            messages.success(
                request,
                _("Impor diterapkan: %(created)d baru, %(changed)d berubah.") % counts,
            )
            return redirect(table.url_name)
        if outcome is not None and outcome.run.status == ImportRun.Status.REFUSED:
            status = 422
    context = {
        "table": table,
        "columns": table.spec.columns,
        "plan": outcome.plan if outcome else None,
        "run": outcome.run if outcome else None,
        "error": error,
        "show": SHOW,
        "runs": ImportRun.objects.filter(kind=kind).select_related("by")[:10],
    }
    return render(request, "people/import_table.html", context, status=status)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_it(request)
    spec, file_name, title = TEMPLATES[kind]  # type: ignore[index]
    response = HttpResponse(
        template_xlsx(spec, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
