"""records.md §8 (v1.1) in real headless Chromium: the new blocks of a matter page on a 360×740
phone, and the printed notice with the objections' outcome and the township's review."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "locale": "zh-CN"}
PAGES = {
    "matter-v11-objections": "shiqiao/2026-008/",  # on notice: one objection answered, one not yet
    "matter-v11-road": "dongliu/2026-007/",  # funding, approval, acceptance
    "matter-v11-dyke": "nantang/2026-006/",  # online participation, unanimous votes
}


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_v11_page_fits_a_phone_and_passes_axe(phone, served: str, name: str) -> None:
    page = phone.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(served + PAGES[name], wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    page.close()


def test_an_unanswered_objection_says_so_in_words(phone, served: str) -> None:
    page = phone.new_page()
    page.goto(served + PAGES["matter-v11-objections"], wait_until="networkidle")
    still_open = page.locator(".cw-objection--open")
    assert still_open.count() == 1 and still_open.is_visible()
    assert still_open.locator(".cw-objection__state").inner_text().strip() == "! 尚未答复"
    answered = page.locator(".cw-objection:not(.cw-objection--open) .cw-objection__state")
    assert answered.inner_text() == "已答复"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cw-objection p')).fontSize)")
    assert size >= 16
    page.close()


def test_the_printed_notice_has_the_objections_and_the_township_review(browser, served: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + PAGES["matter-v11-road"])
    page.emulate_media(media="print")
    notice = page.locator("#notice")
    assert notice.is_visible() and not page.locator(".cw-steps").is_visible()
    printed = notice.inner_text()
    for words in ("异议及答复（1 件）", "已答复", "乡镇审核：青禾镇人民政府", "验收：2026年10月13日", "资金来源："):
        assert words in printed, words
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    context.close()
