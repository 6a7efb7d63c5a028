"""What every test of a kept file asserts: nobody but Govem's own user can read it."""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings

from govem.files import store as files
from govem.files.models import StoredFile


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(name: str) -> None:
    """Stored ``name``: on disk 0600 with every folder from the data dir down 0700; in the
    database (PostgreSQL) a row, readable only through Govem's own checks."""
    if files.kind() == "database":
        assert StoredFile.objects.filter(name=name).exists(), name
        return
    path = Path(files.storage().path(name))
    assert path.is_file(), name
    assert mode(path) == 0o600, f"{path}: {oct(mode(path))}"
    root, folder = Path(settings.DATA_DIR).resolve(), path.parent
    assert root in folder.parents
    while folder != root:
        assert mode(folder) == 0o700, f"{folder}: {oct(mode(folder))}"
        folder = folder.parent
