"""What the chromium tests of single pages share: logging in through the form and saving a
screenshot when GOVEM_SHOTS_DIR names a folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from tests.helpers.regency import PASSWORD


def shot(page: Any, name: str) -> None:
    """Save the whole page as ``<name>.png`` in GOVEM_SHOTS_DIR (nothing when it is unset)."""
    target = os.environ.get("GOVEM_SHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def log_in(page: Any, login: str) -> None:
    """Log in through /masuk/ and land on the home page."""
    page.goto("/masuk/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "/masuk/" not in page.url


def choose_english(page: Any) -> None:
    """Switch the page to English with the footer's language switcher, as a person would."""
    page.select_option("#lang-select", "en")
    page.click(".langswitch button[type=submit]")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
