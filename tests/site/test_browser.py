"""The built site in real headless Chromium at a 360×740 phone viewport, served from a sub-path."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from buildkit import SITE_URL
from PIL import Image

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAGES = {
    "home": "",
    "village": "dongliu/",
    "matter": "dongliu/2025-001/",
    "matter-overdue": "dongliu/2026-004/",
    "matter-implementing": "nantang/2026-004/",
    "stats": "stats/",
    "status-list": "status/on_notice/",
}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "locale": "zh-CN"}


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_without_errors(phone, served: str, name: str) -> None:
    page = phone.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(served + PAGES[name], wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []
    assert page.locator("h1").first.is_visible()
    if name.startswith("matter"):
        assert page.locator(".cw-steps").is_visible()
        assert page.locator(".cw-lead .cw-badge").is_visible()
        # the first screen answers: what, where it stands, what is next
        assert page.locator(".cw-lead .cw-badge").bounding_box()["y"] < 740
        assert page.locator(".cw-next").bounding_box()["y"] < 740
        assert page.locator(".cw-step").count() == 7
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(phone, served: str, name: str) -> None:
    page = phone.new_page()
    page.goto(served + PAGES[name], wait_until="networkidle")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    page.close()


def test_readable_without_javascript(browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(served + "dongliu/2026-004/")
    assert page.locator(".cw-step--overdue").is_visible()
    assert "逾期未公开" in page.locator(".cw-lead").inner_text()
    page.goto(served + "dongliu/")
    every = page.locator(".cw-years .cw-item").count()
    page.locator("a[href='#status-completed']").click()  # the village's list by status: CSS :target
    shown = page.locator(".cw-years .cw-item:visible")
    assert 0 < shown.count() < every
    assert all(s == "已办结" for s in shown.locator(".cw-badge").all_inner_texts())
    page.get_by_role("link", name="显示全部").click()
    assert page.locator(".cw-years .cw-item:visible").count() == every
    page.goto(served)
    page.locator(".cw-counts a").first.click()
    assert page.url.startswith(served + "status/")
    context.close()


def test_text_is_large_enough_and_taps_are_big(phone, served: str) -> None:
    page = phone.new_page()
    page.goto(served + "dongliu/2025-001/")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cw-step__facts')).fontSize)")
    line = page.evaluate("(e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize))"
                         "(document.querySelector('.cw-summary'))")
    assert size >= 16 and line >= 1.6
    page.goto(served)
    heights = page.evaluate("[...document.querySelectorAll('.cw-item__link, .cw-count, .cw-chips a')]"
                            ".map(a => a.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44
    # A village's link in the statistics tables is the height of its row, not of its text.
    page.goto(served + "stats/")
    heights = page.evaluate("[...document.querySelectorAll('table.cw-table th a')].map(a => a.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44
    page.close()


def test_a_matter_prints_as_its_notice_on_one_a4_page(browser, served: str, tmp_path: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "dongliu/2025-001/")
    assert not page.locator("#notice").is_visible(), "on screen, only when asked for"
    page.emulate_media(media="print")
    assert page.locator("#notice").is_visible() and page.locator(".cw-notice__qr svg").is_visible()
    for part in (".cw-steps", ".cw-title", ".md-header", ".md-footer", ".cw-notice__bar"):
        assert not page.locator(part).is_visible(), part
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    context.close()


def test_the_notice_shows_on_screen_without_javascript(browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(served + "dongliu/2026-003/")
    page.get_by_role("link", name="打印公告").click()
    assert page.locator("#notice").is_visible()
    assert page.get_by_text("的决议公告").is_visible()
    assert page.locator(".cw-notice__how").is_visible() and not page.locator(".cw-notice__print").is_visible()
    context.close()


def test_notice_qr_code_scans_to_its_matter_page(browser, served: str, tmp_path: Path) -> None:
    context = browser.new_context(device_scale_factor=2)
    page = context.new_page()
    page.goto(served + "dongliu/2026-003/#notice")
    assert page.locator(".cw-notice__print").is_visible(), "with JavaScript, a button prints it"
    page.locator(".cw-notice__qr svg").screenshot(path=tmp_path / "qr.png")
    context.close()
    found = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))]
    assert found == [SITE_URL + "dongliu/2026-003/"]  # the configured address, wherever it is served
