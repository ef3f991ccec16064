"""Browser tests: Playwright driving Debian's Chromium (installed by .ci/run); skipped when it is absent.

Screenshots go to build/screenshots/ (or $KG_SCREENSHOTS); the path is printed at the end of the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.web.testing import find_chromium, launch_chromium

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("KG_SCREENSHOTS", ROOT / "build" / "screenshots"))


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")
    config.addinivalue_line("markers", "large: runs on a generated graph of 100,000+ nodes (slow)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def context(tmp_path_factory):
    """One Chromium (fresh profile) for the whole session."""
    missing = pytest.fail if os.environ.get("KG_REQUIRE_BROWSER") else pytest.skip  # .ci/run requires them
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright; .ci/run does it)")
    if not find_chromium():
        missing("Debian's chromium is not installed (apt-get install chromium; .ci/run does it)")
    with sync_playwright() as p:
        ctx = launch_chromium(p, tmp_path_factory.mktemp("chromium-profile"))
        ctx.set_default_timeout(30_000)
        yield ctx
        ctx.close()


@pytest.fixture
def page(context):
    """A tab that fails the test on a JavaScript error, a dialog (alert) or a request off this machine."""
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"javascript error: {exc}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog opened: {d.message}"), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "about:"))
          else problems.append(f"request off this machine: {r.url}"))
    yield pg
    pg.close()
    assert not problems, problems


@pytest.fixture(scope="session")
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
