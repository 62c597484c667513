"""Personal numbers (E060–E062) as people really type them: full-width digits, groups split by
spaces, hyphens or dots, a country code in front, invisible characters pasted from a chat app,
letters touching the number. Each form is caught with the right line and a masked message made
of the plain digits; each near miss (order numbers, amounts, dates, years, public phones) passes.

The numbers are computed here (check character, Luhn), independently of the builder.
"""

from __future__ import annotations

import time

import pytest
from vkit import Site, base_record, luhn_ok, of, resident_id, text_line, text_of, with_luhn

from builder.model.settings import Settings

ID = resident_id("11010519491231002")  # the check character is X
MOBILE = "13800138000"
CARD = with_luhn("622202123456789012")  # 19 digits
NOT_CARD = next(CARD[:-1] + d for d in "0123456789" if not luhn_ok(CARD[:-1] + d))
FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ZWSP, NBSP, SHY, IDSP = "\u200b", "\u00a0", "\u00ad", "\u3000"


def _groups(number: str, sizes: tuple[int, ...], sep: str) -> str:
    out, at = [], 0
    for n in sizes:
        out.append(number[at:at + n])
        at += n
    return sep.join(out)


def masked(digits: str) -> str:
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def privacy(report, path) -> list:
    """The E060–E062 diagnostics of one record (other checks may have their own say about,
    for example, invisible characters)."""
    return [d for d in of(report, path) if d.code in ("E060", "E061", "E062")]


FAIL = {
    # mobile numbers
    "mobile-plus86": ("E061", MOBILE, f"+86{MOBILE}"),
    "mobile-0086": ("E061", MOBILE, f"0086{MOBILE}"),
    "mobile-86-hyphen": ("E061", MOBILE, f"86-{MOBILE}"),
    "mobile-plus86-grouped": ("E061", MOBILE, "+86 138 0013 8000"),
    "mobile-fullwidth-plus86": ("E061", MOBILE, "＋８６" + MOBILE.translate(FW)),
    "mobile-fullwidth": ("E061", MOBILE, MOBILE.translate(FW)),
    "mobile-fullwidth-hyphens": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), "－").translate(FW)),
    "mobile-ideographic-spaces": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), IDSP).translate(FW)),
    "mobile-dots": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), ".")),
    "mobile-spaced-hyphens": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), " - ")),
    "mobile-nbsp": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), NBSP)),
    "mobile-zero-width": ("E061", MOBILE, _groups(MOBILE, (3, 4, 4), ZWSP)),
    "mobile-soft-hyphen": ("E061", MOBILE, _groups(MOBILE, (5, 6), SHY)),
    "mobile-in-words": ("E061", MOBILE, f"手机{MOBILE}号"),
    "mobile-latin-letters": ("E061", MOBILE, f"Tel{MOBILE}ext"),
    # resident ID numbers
    "id-spaces": ("E060", ID, _groups(ID, (6, 8, 4), " ")),
    "id-hyphens": ("E060", ID, _groups(ID, (6, 8, 4), "-")),
    "id-6-4-4-4": ("E060", ID, _groups(ID, (6, 4, 4, 4), " ")),
    "id-fullwidth": ("E060", ID, ID.translate(FW)),
    "id-fullwidth-spaces": ("E060", ID, _groups(ID, (6, 8, 4), IDSP).translate(FW)),
    "id-lowercase-x": ("E060", ID, ID.lower()),
    "id-zero-width": ("E060", ID, ID[:10] + ZWSP + ID[10:]),
    "id-many-invisible": ("E060", ID, ZWSP.join(ID)),
    "id-latin-before": ("E060", ID, f"ID{ID}"),
    "id-latin-around": ("E060", ID, f"No.{ID}abc"),
    # bank cards
    "card-hyphens": ("E062", CARD, _groups(CARD, (4, 4, 4, 4, 3), "-")),
    "card-spaces": ("E062", CARD, _groups(CARD, (4, 4, 4, 4, 3), " ")),
    "card-fullwidth-spaces": ("E062", CARD, _groups(CARD, (4, 4, 4, 4, 3), IDSP).translate(FW)),
    "card-nbsp": ("E062", CARD, _groups(CARD, (4, 4, 4, 4, 3), NBSP)),
    "card-zero-width": ("E062", CARD, CARD[:8] + ZWSP + CARD[8:]),
    "card-fullwidth": ("E062", CARD, CARD.translate(FW)),
}

NEAR = {
    "order-number-fails-luhn": f"订单号 {NOT_CARD}",
    "order-number-grouped-fails-luhn": "订单号 " + _groups(NOT_CARD, (4, 4, 4, 4, 3), "-"),
    "amount": "预算 120000.00 元，其中 1380013.50 元已拨付",
    "amount-big": "合计 13800138000000.00 元",
    "dates": "2024-03-05、2024-03-06 和 2024-03-05 2024-03-06 各开一次会",
    "ids": "见 2024-003、2024-004 号事项",
    "chinese-date": "2024年3月5日召开，" + "2024年3月5日".translate(FW),
    "years-spaced": "2023 2024 2025 2026 四年",  # its digits pass Luhn: not a card all the same
    "years-hyphens": "2023-2024-2025-2026 年度",
    "years-list": "2019、2020、2021、2022年",
    "id-wrong-check-digit-grouped": _groups(ID[:17] + "7", (6, 8, 4), " "),
    "id-17-digits-and-letters": f"ID{ID[:17]}Y",
    "mobile-12-digits": f"编号 {MOBILE}1",
    "mobile-12-prefix-with-86": "+8612012345678",
    "plus86-10-digits": f"+86{MOBILE[:-1]}",
    "landline": "电话 0371-6512-3456、(0371)65123456",
    "ip-address": "服务器 192.168.100.138",
}


def _write(site: Site, text: str, settings: Settings | None = None):
    body = f"事项说明{ZWSP}第一段，含全角数字２０２４。\n\n第二段{NBSP}。\n\n号码：{text}。\n\n最后一段。\n"
    path = site.write(base_record(), body=body)
    return path, site.validate(settings=settings)


@pytest.mark.parametrize("name", list(FAIL))
def test_number_as_typed_is_caught(site: Site, name: str) -> None:
    code, digits, typed = FAIL[name]
    path, report = _write(site, typed)
    found = privacy(report, path)
    assert [(d.code, d.line) for d in found] == [(code, text_line(text_of(path), "号码："))], found
    assert f"（{masked(digits)}）" in found[0].message
    assert digits not in found[0].message


@pytest.mark.parametrize("name", list(NEAR))
def test_near_miss_passes(site: Site, name: str) -> None:
    path, report = _write(site, NEAR[name])
    assert privacy(report, path) == []


def test_in_front_matter_line_is_the_key(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["text"] = "补偿款打入 " + _groups(CARD, (4, 4, 4, 4, 3), "－").translate(FW)
    rec["proposal"]["notes"] = "联系人 +86 138-0013-8000"
    path = site.write(rec)
    text = text_of(path)
    got = [(d.code, d.line) for d in privacy(site.validate(), path)]
    assert got == [("E061", text_line(text, "联系人")), ("E062", text_line(text, "补偿款"))]


def test_several_on_one_line_and_lines_after_invisible_characters(site: Site) -> None:
    body = (ZWSP * 50 + "\n" + "１２３" * 20 + "\n\n" + f"甲 {ID.translate(FW)}，乙 +86{MOBILE}\n"
            + NBSP * 30 + "\n" + f"丙 {_groups(CARD, (4, 4, 4, 4, 3), ' ')}\n")
    path = site.write(base_record(), body=body)
    text = text_of(path)
    got = [(d.code, d.line) for d in privacy(site.validate(), path)]
    assert sorted(got) == [("E060", text_line(text, "甲")), ("E061", text_line(text, "甲")),
                           ("E062", text_line(text, "丙"))]


@pytest.mark.parametrize(("listed", "typed"), [
    (MOBILE, f"+86{MOBILE}"),
    (MOBILE, "+86 138-0013-8000"),
    (MOBILE, f"0086{MOBILE}"),
    (MOBILE, MOBILE.translate(FW)),
    (MOBILE, _groups(MOBILE, (3, 4, 4), ZWSP)),
    ("+86 138 0013 8000", MOBILE),
    ("0086-138-0013-8000", "138 0013 8000"),
])
def test_public_phone_in_any_form_passes(site: Site, listed: str, typed: str) -> None:
    path, report = _write(site, typed, Settings(public_phones=(listed,)))
    assert privacy(report, path) == []
    path, report = _write(site, typed, Settings(public_phones=("13900139000",)))  # another number is listed
    assert [d.code for d in privacy(report, path)] == ["E061"]


@pytest.mark.parametrize("body", [
    "1 " * 150_000,
    ("1" + ZWSP * 40) * 5_000,
    "2024-03-05 " * 30_000,
    ("1234567890年") * 30_000,
    "１２３４－" * 60_000,
    "1" + ZWSP * 300_000 + "年",
])
def test_hostile_runs_stay_fast(site: Site, body: str) -> None:
    path = site.write(base_record(), body=body)
    start = time.perf_counter()
    site.validate()
    assert time.perf_counter() - start < 10  # a hang or a quadratic blowup, not a timing
    assert path.exists()
