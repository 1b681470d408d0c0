"""Debian's headless chromium for the browser tests: where it is, the skip when it is missing, one way to start it.

Four browser test files each carried the same lines (found by ``duplicates --change`` when a fifth copy came in).
Importing this module skips the importing test file when selenium is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium (valuegrad[test])")

#: A test file's ``pytestmark``: skipped where Debian's chromium and its driver are not installed.
needs_chromium = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
                                    reason="Debian's chromium and chromium-driver are not installed")


def start_chromium(size: str = "1400,1000", flags: Iterable[str] = (), prefs: dict[str, Any] | None = None,
                   log_console: bool = False) -> Any:
    """A headless chromium driver of window ``size`` (width,height) with extra ``flags``, download ``prefs`` and,
    if ``log_console``, the page's console kept for ``driver.get_log("browser")``; the caller quits it."""
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={size}", *flags):
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    if log_console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)
