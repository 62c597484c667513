"""records.md §8 (v1.1) on the built site: the matter page, the printed notice, the open data and
the statistics, from a real `mkdocs build` of the sample content (which has matters using every
new field) and of an altered copy of it."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import yaml
from buildkit import ROOT, copy_content, mkdocs_build, write_config

from builder.views import labels

V11_KEYS = {"funding", "approval"}
V11_STEP_KEYS = {"online", "method", "objections", "acceptance"}


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def notice(html: str) -> str:
    return html[html.index('id="notice"'): html.index("</section>")]


def text(html: str) -> str:
    """What a reader sees: tags dropped, whitespace squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def uses_v11(data: dict) -> bool:
    """Whether a record uses any key of records.md §8."""
    if V11_KEYS & set(data):
        return True
    for step in ("proposal", "deliberation", "review", "resolution", "disclosure", "result"):
        s = data.get(step) or {}
        if V11_STEP_KEYS & set(s) or "online" in (s.get("attendance") or {}) or s.get("votes") == "unanimous":
            return True
    return False


def test_unanimous_votes_method_and_online_attendance(site: Path) -> None:
    html = text(page(site, "nantang/2026-006"))
    assert "应到 37 人，实到 33 人，其中线上参会 4 人，达到法定人数；全票通过（实到 33 人）；表决方式：线上线下结合" in html
    assert "应到 7 人，实到 7 人，其中线上参会 3 人，达到法定人数；全票通过（实到 7 人）；表决方式：线上表决" in html
    assert "表决方式：举手表决；通过" in html  # the proposal: an outcome, no votes
    # a unanimous step has no invented split of counts, and no second "通过"
    assert "全票通过（实到 33 人）；表决方式：线上线下结合；通过" not in html
    review = text(page(site, "dongliu/2026-007"))
    assert "赞成 35 票，反对 1 票，弃权 1 票；表决方式：投票表决；通过" in review


def test_approval_takes_its_place_between_disclosure_and_implementation(site: Path) -> None:
    html = page(site, "nantang/2026-006")
    steps = re.findall(r'<li class="cw-step cw-step--(\w+)" id="(\w+)"', html)
    assert [key for _, key in steps] == ["proposal", "deliberation", "review", "resolution", "disclosure", "approval",
                                         "implementation", "result"]
    approval = text(html[html.index('id="approval"'): html.index('id="implementation"')])
    assert "乡镇审核 已完成 2026年9月2日" in approval and "青禾镇党委、政府；经镇水利站现场踏勘" in approval
    # without an approval the stepper is the 4+2 of v1: no pending township step is invented
    steps = re.findall(r'<li class="cw-step cw-step--\w+" id="(\w+)"', page(site, "shiqiao/2026-008"))
    assert "approval" not in steps and len(steps) == 7


def test_objections_with_answers_and_an_unanswered_one_in_words(site: Path) -> None:
    html = page(site, "shiqiao/2026-008")
    block = html[html.index('class="cw-objections"'):]
    block = block[: block.index("</ol>")]
    assert "异议及答复</strong>（2 件，1 件尚未答复）" in block
    answered, still_open = re.findall(r'<li class="cw-objection( cw-objection--open)?">(.*?)</li>', block, re.S)
    assert answered[0] == "" and "已答复" in answered[1] and "2026年11月17日" in answered[1]
    assert "当天现场复测" in answered[1]
    assert still_open[0] and "尚未答复" in still_open[1] and 'aria-hidden="true">!</span>' in still_open[1]
    assert "2026年11月19日" in still_open[1] and "要求调换到渠边" in still_open[1]
    none = page(site, "nantang/2026-006")
    assert none.count('<p class="cw-objections cw-objections--none">公示期间无异议</p>') == 2  # disclosure, result


def test_funding_under_the_budget_and_acceptance_in_the_result(site: Path) -> None:
    html = page(site, "dongliu/2026-007")
    result = html[html.index('id="result"'):]
    assert result.index('class="cw-money"') < result.index('class="cw-funding"') < result.index('class="cw-step__text"')
    funding = text(result[result.index('<div class="cw-funding">'): result.index("</ul>")])
    assert funding.split() == ["资金来源", "一事一议财政奖补", "240,000.00", "元", "村集体经营收益", "90,000.00", "元",
                               "受益农户自筹", "30,000.00", "元", "合计", "360,000.00", "元"]
    assert "验收：2026年10月13日，镇村联合验收，工程质量合格" in text(result)


def test_the_notice_carries_votes_objections_and_the_township_review(site: Path) -> None:
    resolution = text(notice(page(site, "dongliu/2026-008")))
    assert "进行表决（表决方式：举手表决），全票通过（实到 38 人）。" in resolution
    assert "资金来源：省级养老服务补助资金 150,000.00 元、帮扶资金 120,000.00 元、村集体收益 150,000.00 元。" in resolution
    assert resolution.index("公示期：") < resolution.index("公示期间无异议。") < resolution.index("乡镇审核：青禾镇党委、政府，2026年9月22日")
    result = text(notice(page(site, "dongliu/2026-007")))
    assert "决议公开：异议及答复（1 件）：" in result and "2026年5月27日已答复：经“两委”研究" in result
    assert result.index("决议公开：异议及答复") < result.index("乡镇审核：青禾镇人民政府，2026年6月3日") \
        < result.index("验收：2026年10月13日") < result.index("实施结果公开：公示期间无异议。")
    on_notice = text(notice(page(site, "shiqiao/2026-008")))
    assert "异议及答复（2 件，1 件尚未答复）：" in on_notice and "要求调换到渠边。尚未答复。" in on_notice
    assert "决议公开：" not in on_notice  # a resolution notice: its own notice period, not named


def test_v1_pages_show_nothing_of_v1_1(site: Path) -> None:
    """The matters that use no v1.1 key render as before: none of the new blocks or words. (Their
    pages were also compared byte for byte with the site built before v1.1: unchanged.)"""
    old = [p for p in sorted(ROOT.glob("content/*/*.md")) if not uses_v11(front(p))]
    assert len(old) >= 30
    for path in old:
        html = page(site, f"{path.parent.name}/{path.stem}")
        for mark in ("cw-funding", "cw-objection", 'id="approval"', labels.APPROVAL, "全票通过", "其中线上参会",
                     "表决方式：", labels.NO_OBJECTIONS, labels.ACCEPTANCE + "："):
            assert mark not in html, (path, mark)


def test_open_data_keeps_the_record_keys(site: Path) -> None:
    matters = {(m["village"], m["id"]): m for m in json.loads((site / "data/matters.json").read_text(encoding="utf-8"))}
    dyke = matters[("nantang", "2026-006")]
    assert dyke["resolution"]["votes"] == "unanimous" and dyke["resolution"]["method"] == "mixed"
    assert dyke["resolution"]["attendance"] == {"expected": 37, "present": 33, "online": 4}
    assert dyke["disclosure"]["objections"] == "none" and dyke["result"]["objections"] == "none"
    assert dyke["approval"]["date"] == "2026-09-02" and dyke["result"]["acceptance"]["date"] == "2026-11-05"
    assert dyke["funding"] == [{"source": "上级水利专项资金", "amount": 200000.0}, {"source": "村集体收益", "amount": 86000.0}]
    road = matters[("dongliu", "2026-007")]
    assert road["disclosure"]["objections"][0]["answered"] == "2026-05-27"
    village = json.loads((site / "data/villages/dongliu.json").read_text(encoding="utf-8"))
    assert [m for m in village if m["id"] == "2026-007"] == [road]
    for m in matters.values():  # a v1 record gets no v1.1 key it did not have
        if not uses_v11(m):
            assert not V11_KEYS & set(m), m["id"]


def test_csv_has_columns_for_the_new_fields(site: Path) -> None:
    rows = list(csv.reader(io.StringIO((site / "data/matters.csv").read_text(encoding="utf-8-sig"))))
    head = rows[0]
    assert head[:16][-1] == "网址" and head[16:-2] == list(labels.CSV.values())  # the v1 columns keep their places
    by = {(r[0], r[1]): dict(zip(head, r, strict=True)) for r in rows[1:]}
    road, dyke, land = by[("东柳村", "2026-007")], by[("南塘村", "2026-006")], by[("石桥村", "2026-008")]
    assert road["资金来源"] == "一事一议财政奖补 240000.00；村集体经营收益 90000.00；受益农户自筹 30000.00"
    assert (road["决议公示异议（件）"], road["决议公示异议已答复（件）"], road["结果公示异议（件）"]) == ("1", "1", "0")
    assert (road["乡镇审核"], road["乡镇审核单位"], road["验收"]) == ("2026-06-03", "青禾镇人民政府", "2026-10-13")
    assert (dyke["决议表决方式"], dyke["决议全票通过"], dyke["决议线上参会人数"]) == ("线上线下结合", "是", "4")
    assert (land["决议公示异议（件）"], land["决议公示异议已答复（件）"], land["决议全票通过"]) == ("2", "1", "否")
    old = by[("东柳村", "2025-001")]
    assert [old[c] for c in head[16:-2] if c != "决议全票通过"] == [""] * (len(labels.CSV) - 1)


def test_statistics_count_objections_per_village_and_township(site: Path) -> None:
    html = page(site, "stats")
    raised: dict[str, list[int]] = {}
    towns = {v["id"]: v.get("township") for v in yaml.safe_load((ROOT / "content/villages.yml").read_text())["villages"]}
    for path in ROOT.glob("content/*/*.md"):
        data = front(path)
        for step in ("disclosure", "result"):
            found = (data.get(step) or {}).get("objections")
            if isinstance(found, list):
                counts = raised.setdefault(path.parent.name, [0, 0])
                counts[0] += len(found)
                counts[1] += sum("response" in o for o in found)
    assert sum(n for n, _ in raised.values()) >= 3  # the sample has objections to count

    def rows(section: str) -> tuple[str, str]:
        found = re.findall(r'<th scope="row">(公示期间收到异议|其中已答复)</th><td>(\d+) 件</td>', section)
        return found[0][1], found[1][1]

    for village in towns:  # each village page carries its own figures
        assert rows(page(site, village)) == tuple(str(n) for n in raised.get(village, [0, 0])), village
    total = [sum(raised.get(v, [0, 0])[i] for v in towns) for i in (0, 1)]
    assert rows(html) == tuple(str(n) for n in total)  # the sample is one township: its total is the site's
    names = {v["id"]: v["name"] for v in yaml.safe_load((ROOT / "content/villages.yml").read_text())["villages"]}
    compare = html.split('class="cw-table cw-compare"')[1].split("</table>")[0]
    for village, name in names.items():  # the comparison of its villages, side by side
        n = raised.get(village, [0, 0])
        assert re.search(rf">{name}</a></th><td>\d+</td><td>\d+</td><td>\d+</td><td>{n[0]}</td><td>{n[1]}</td>", compare), name


MARKUP = "<b>粗</b><script>alert(1)</script>"


def test_new_text_is_shown_as_text_never_run(tmp_path: Path) -> None:
    """Every new text field carries markup: page and notice show it escaped; W054 warns of the
    objection left unanswered, and the site still builds."""
    content = copy_content(tmp_path)
    record = content / "dongliu/2026-008.md"
    text_ = record.read_text(encoding="utf-8")
    text_ = text_.replace("  objections: none\n", "  objections:\n    - {date: 2026-09-10, summary: '异议" + MARKUP
                          + "'}\n    - {date: 2026-09-11, summary: 有异议, response: '答复" + MARKUP
                          + "', answered: 2026-09-12}\n")
    text_ = text_.replace("by: 青禾镇党委、政府", "by: '镇" + MARKUP + "'").replace(
        "source: 帮扶资金", "source: '帮扶" + MARKUP + "'")
    record.write_text(text_, encoding="utf-8")
    out = tmp_path / "site"
    done = mkdocs_build(write_config(tmp_path, content), out)
    assert done.returncode == 0, done.stderr
    assert "2026-008.md" in done.stderr and "W054" in done.stderr and "W070" in done.stderr
    html = (out / "dongliu/2026-008/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<b>粗" not in html
    assert html.count("&lt;b&gt;粗&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;") >= 8  # 4 fields, page and notice
