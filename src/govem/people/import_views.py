"""``/impor-pegawai/``: Tim IT uploads the personnel export, previews, then confirms.

The uploaded file stays on the server (``DATA_DIR/imports``) under a random token between the
preview and the confirmation, so what is applied is exactly what was previewed (its SHA-256 is
checked) and the file is not uploaded twice.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govem.accounts.scoping import is_it
from govem.errors import DomainError
from govem.people.freshness import freshness_report
from govem.people.importing import ImportOutcome, import_employees
from govem.people.models import ImportRun, Unit

MAX_BYTES = 20 * 1024 * 1024
KEEP_PREVIEWS_S = 24 * 3600
SHOW = 200
SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt"}


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _stored(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    matches = list(upload_dir().glob(f"{token}.*"))
    return matches[0] if matches else None


def _forget_old_previews() -> None:
    cutoff = time.time() - KEEP_PREVIEWS_S
    for path in upload_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _preview(request: HttpRequest) -> tuple[ImportOutcome | None, DomainError | None]:
    upload = request.FILES.get("file")
    if upload is None:
        return None, DomainError("invalid_input", "Pilih berkas XLSX atau CSV.")
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        return None, DomainError("invalid_file", "Format berkas harus XLSX atau CSV.")
    if upload.size and upload.size > MAX_BYTES:
        return None, DomainError("invalid_file", "Berkas lebih dari 20 MB.")
    data = upload.read()
    _forget_old_previews()
    token = secrets.token_urlsafe(24)
    (upload_dir() / f"{token}{suffix}").write_bytes(data)
    outcome = import_employees(
        data=data,
        file_name=upload.name or f"upload{suffix}",
        by=request.user,
        dry_run=True,
        scope_code=request.POST.get("scope", "").strip(),
        full_roster=request.POST.get("full_roster") == "1",
        source="web",
        token=token,
    )
    return outcome, None


def _apply(request: HttpRequest) -> tuple[ImportOutcome | None, DomainError | None]:
    token = request.POST.get("token", "")
    preview = (
        ImportRun.objects.filter(token=token, by=request.user, status=ImportRun.Status.PREVIEW)
        .order_by("-at")
        .first()
    )
    path = _stored(token)
    if preview is None or path is None:
        return None, DomainError(
            "preview_expired", "Pratinjau tidak ditemukan atau kedaluwarsa; unggah ulang berkas."
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != preview.sha256:
        return None, DomainError("preview_expired", "Berkas berubah sejak pratinjau; unggah ulang.")
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
        path.unlink(missing_ok=True)
    return outcome, None


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not is_it(request.user):
        raise PermissionDenied("Tim IT only")
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
                f"Impor diterapkan: {counts['created']} baru, {counts['changed']} berubah, "
                f"{counts['deactivated']} dinonaktifkan.",
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
        "runs": ImportRun.objects.select_related("by")[:10],
        "form": request.POST if request.method == "POST" else {"full_roster": "1"},
    }
    return render(request, "people/import.html", context, status=status)
