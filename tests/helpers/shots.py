"""Where the browser tour saves its screenshots (tests/conftest.py names the folder)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def tour_folder() -> Path:
    """GOVEM_SCREENSHOT_DIR, else ``govem-tour`` in the temporary directory."""
    return Path(os.environ.get("GOVEM_SCREENSHOT_DIR") or Path(tempfile.gettempdir(), "govem-tour"))
