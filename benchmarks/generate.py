"""Synthetic content for benchmarks: ``villages.yml`` and N valid records.

The records follow spec v1 and pass every error check on ``today``; statuses (all eight of
spec §6), categories, meeting bodies, budgets and attachments are mixed, each body has about
300 Chinese characters, and the records are spread over hundreds of villages.

    python -m benchmarks.generate OUT N [--villages 300] [--seed 1] [--today 2026-11-20]

writes ``OUT/content/`` and prints its path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import time
from pathlib import Path

CATEGORIES = ("land", "assets", "project", "public-works", "finance", "compensation", "homestead", "subsidy",
              "other")
STATUSES = ("deliberating", "rejected", "awaiting_disclosure", "disclosure_overdue", "on_notice", "implementing",
            "result_overdue", "completed")
# Share of each status, roughly as a real site would look: most matters are done.
WEIGHTS = (6, 4, 3, 2, 5, 12, 3, 65)

_SYLLABLES = ("dong", "xi", "nan", "bei", "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou",
              "wu", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "tang", "qiao", "shi", "he",
              "tian", "shan")
_CHARS = "东西南北前后上下大小新老河山桥塘沟湾岭坡庄集店屯寨王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高唐石田"
_TOWNS = ("青禾镇", "张村镇", "柳林乡", "石门镇", "白水乡", "清河镇")
PER_TOWNSHIP = 20  # villages a township, as in the city of the issue (578 villages, 28 townships)


def township(i: int) -> str:
    """The township of the ``i``-th village: ``PER_TOWNSHIP`` villages each, in turn."""
    k = i // PER_TOWNSHIP
    if k < len(_TOWNS):
        return _TOWNS[k]
    return f"{_CHARS[k % len(_CHARS)]}{_CHARS[k // len(_CHARS) % len(_CHARS)]}{'镇' if k % 2 else '乡'}"
_TITLES = {
    "land": "关于{place}耕地流转种植{crop}的事项",
    "assets": "关于出租村集体{asset}的事项",
    "project": "关于村集体投资建设{facility}的事项",
    "public-works": "关于硬化{place}道路并安装路灯的事项",
    "finance": "关于使用集体收益改善{place}饮水条件的事项",
    "compensation": "关于{place}征地补偿款分配方案的事项",
    "homestead": "关于{place}宅基地调整使用的事项",
    "subsidy": "关于调整村干部误工补贴标准的事项",
    "other": "关于修订{place}村规民约的事项",
}
_PLACES = ("村东", "村西", "村南", "村北", "河滩", "后岭", "前庄", "新村组", "老村组")
_CROPS = ("速生杨", "核桃", "中药材", "蔬菜大棚", "优质小麦")
_ASSETS = ("旧小学校舍", "闲置仓库", "村部临街门面", "鱼塘", "果园")
_FACILITIES = ("光伏电站", "冷库", "农产品加工车间", "标准化厂房", "烘干房")
_PHRASES = (
    "经党支部会提议、两委会商议、党员大会审议，提交村民代表会议表决。",
    "该事项涉及全体村民切身利益，村委会多次入户征求意见，群众总体支持。",
    "实施过程中由村务监督委员会全程监督，资金使用严格执行村级财务管理制度。",
    "项目资金来源为上级专项补助和村集体自筹，不向农户摊派任何费用。",
    "施工期间注意保护沿线农田和树木，确保群众生产生活不受影响。",
    "租金按年支付，收入全部纳入村集体账户，年底向全体村民公开收支明细。",
    "对有异议的农户，村委会安排专人解释政策，做到公开透明、程序合规。",
    "工程完工后由镇政府组织验收，验收合格后方可支付尾款。",
    "分配方案按照户籍人口和承包面积确定，特殊情况由村民代表会议讨论决定。",
    "本事项的会议记录、签到表和表决票已存档，群众可到村委会查阅。",
    "村里优先聘用本村劳动力参与施工，增加群众务工收入。",
    "实施后将显著改善群众出行条件，方便农产品运输销售。",
)


def _village_ids(count: int, rnd: random.Random) -> list[dict]:
    out, seen = [], set()
    i = 0
    while len(out) < count:
        i += 1
        a, b = rnd.choice(_SYLLABLES), rnd.choice(_SYLLABLES)
        vid = f"{a}{b}" if f"{a}{b}" not in seen else f"{a}{b}-{i}"
        if vid in seen:
            continue
        seen.add(vid)
        party = rnd.randint(20, 90)
        households = rnd.randint(150, 900)
        out.append({
            "id": vid,
            "name": rnd.choice(_CHARS) + rnd.choice(_CHARS) + "村",
            "township": township(len(out)),
            "party_members": party,
            "representatives": rnd.randint(25, 60),
            "households": households,
            "adult_villagers": households * rnd.randint(2, 4),
        })
    return out


def _villages_yml(villages: list[dict]) -> str:
    rows = ["# 基准测试用的虚构数据", "villages:"]
    for v in villages:
        rows += [f"  - id: {v['id']}", f"    name: {v['name']}", f"    township: {v['township']}",
                 f"    party_members: {v['party_members']}", f"    representatives: {v['representatives']}",
                 f"    households: {v['households']}", f"    adult_villagers: {v['adult_villagers']}"]
    return "\n".join(rows) + "\n"


def _body(rnd: random.Random) -> str:
    paragraphs, size = [], 0
    while size < 300:
        para = "".join(rnd.sample(_PHRASES, k=rnd.randint(2, 4)))
        paragraphs.append(para)
        size += len(para)
    return "\n\n".join(paragraphs) + "\n"


def _meeting(key: str, day: dt.date, expected: int, rnd: random.Random, *, votes: bool, reject: bool = False,
             outcome: bool = False) -> list[str]:
    """A step 1–3 meeting with a quorum (more than half present)."""
    present = rnd.randint(expected // 2 + 1, expected)
    rows = [f"{key}:", f"  date: {day.isoformat()}", f"  attendance: {{expected: {expected}, present: {present}}}"]
    if votes:
        for_ = rnd.randint(0, present // 2) if reject else rnd.randint(present // 2 + 1, present)
        against = rnd.randint(0, present - for_)
        rows.append(f"  votes: {{for: {for_}, against: {against}, abstain: {present - for_ - against}}}")
    if outcome or not votes:
        rows.append(f"  outcome: {'rejected' if reject else 'passed'}")
    return rows


def _resolution(day: dt.date, village: dict, rnd: random.Random, reject: bool) -> list[str]:
    rows = ["resolution:"]
    if rnd.random() < 0.8:
        expected = village["representatives"]
        present = rnd.randint(-(-2 * expected // 3), expected)
        rows += ["  body: representatives", f"  date: {day.isoformat()}",
                 f"  attendance: {{expected: {expected}, present: {present}}}"]
    else:
        expected = village["adult_villagers"]
        present = rnd.randint(expected // 2 + 1, expected)
        hh = village["households"]
        rows += ["  body: assembly", f"  date: {day.isoformat()}",
                 f"  attendance: {{expected: {expected}, present: {present}}}",
                 f"  households: {{expected: {hh}, present: {rnd.randint(-(-2 * hh // 3), hh)}}}"]
    for_ = rnd.randint(0, present // 2) if reject else rnd.randint(present // 2 + 1, present)
    against = rnd.randint(0, present - for_)
    rows.append(f"  votes: {{for: {for_}, against: {against}, abstain: {present - for_ - against}}}")
    rows.append("  text: |")
    rows.append("    " + ("不同意该方案，事项终止。" if reject else "同意该方案，由村委会组织实施，实施情况向全体村民公开。"))
    return rows


def _days(day: dt.date, lo: int, hi: int, rnd: random.Random) -> dt.date:
    return day + dt.timedelta(days=rnd.randint(lo, hi))


# When the resolution was (days before today), so that each status holds on ``today``.
_RESOLVED = {"deliberating": (0, 30), "rejected": (30, 700), "awaiting_disclosure": (0, 7),
             "disclosure_overdue": (8, 120), "on_notice": (2, 7), "implementing": (20, 200),
             "result_overdue": (200, 700), "completed": (150, 1000)}


def _updates(start: dt.date, end: dt.date, rnd: random.Random) -> list[str]:
    if end <= start or rnd.random() < 0.3:
        return []
    rows, day, progress = ["  updates:"], start, 0
    for _ in range(rnd.randint(1, 3)):
        day = min(_days(day, 5, 30, rnd), end)
        progress = min(100, progress + rnd.randint(10, 40))
        rows.append(f"    - {{date: {day.isoformat()}, progress: {progress}, note: 按计划推进}}")
    return rows


def _record(status: str, village: dict, today: dt.date, rnd: random.Random) -> tuple[str, dt.date, bool]:
    """Front matter rows after ``summary`` for a record of ``status``; its first date; attachments."""
    resolved = today - dt.timedelta(days=rnd.randint(*_RESOLVED[status]))
    d3 = resolved - dt.timedelta(days=rnd.randint(1, 4))
    d2 = d3 - dt.timedelta(days=rnd.randint(1, 4))
    d1 = d2 - dt.timedelta(days=rnd.randint(0, 3))
    reject_at = rnd.choice(("proposal", "review", "resolution", "resolution")) if status == "rejected" else ""
    rows: list[str] = []
    budget = None
    if status in ("implementing", "completed", "result_overdue") and rnd.random() < 0.7:
        budget = rnd.randint(5, 900) * 1000
        rows.append(f"budget: {budget}.00")
    rows += _meeting("proposal", d1, rnd.randint(3, 7), rnd, votes=rnd.random() < 0.3,
                     reject=reject_at == "proposal")
    if reject_at == "proposal":
        return "\n".join(rows), d1, False
    rows += _meeting("deliberation", d2, rnd.randint(7, 11), rnd, votes=rnd.random() < 0.3)
    if status == "deliberating" and rnd.random() < 0.4:
        return "\n".join(rows), d1, False
    rows += _meeting("review", d3, village["party_members"], rnd, votes=True, reject=reject_at == "review",
                     outcome=rnd.random() < 0.2)
    if status == "deliberating" or reject_at == "review":
        return "\n".join(rows), d1, False
    rows += _resolution(resolved, village, rnd, reject=reject_at == "resolution")
    if status in ("awaiting_disclosure", "disclosure_overdue") or (reject_at and rnd.random() < 0.5):
        return "\n".join(rows), d1, False
    posted = _days(resolved, 0, 5, rnd)
    if status == "on_notice":
        posted = min(posted, today)
        until = max(_days(posted, 6, 12, rnd), today)
    else:
        until = _days(posted, 6, 9, rnd)
    rows += ["disclosure:", f"  date: {posted.isoformat()}", f"  until: {until.isoformat()}",
             "  channels: [村务公开栏, 村民微信群, 镇村务公开网]"]
    if reject_at:
        return "\n".join(rows), d1, False
    if status == "on_notice":
        rows += ["implementation:", "  responsible: 村委会", f"  due: {_days(until, 30, 120, rnd).isoformat()}"]
        return "\n".join(rows), d1, False
    start = _days(until, 1, 5, rnd)
    if status == "implementing":
        due = max(_days(start, 30, 200, rnd), today - dt.timedelta(days=25))
        end = today
    elif status == "result_overdue":
        due = _days(start, 20, 60, rnd)
        end = today
    else:
        due = _days(start, 20, 90, rnd)
        end = max(start, min(_days(due, -10, 10, rnd), today - dt.timedelta(days=20)))
    impl = ["implementation:", "  responsible: 村委会", f"  start: {start.isoformat()}", f"  due: {due.isoformat()}"]
    impl += _updates(start, end, rnd)
    if status != "completed" or rnd.random() < 0.8:
        rows += impl
    if status != "completed":
        return "\n".join(rows), d1, False
    rows += ["result:", f"  date: {_days(end, 0, 14, rnd).isoformat()}", f"  completed: {end.isoformat()}"]
    if budget is not None:
        rows.append(f"  cost: {budget - rnd.randint(0, budget // 10)}.{rnd.randint(0, 99):02d}")
    rows += ["  summary: |", "    已按决议完成，经村务监督委员会验收合格，收支明细已在公开栏张贴。",
             "  channels: [村务公开栏, 镇村务公开网]"]
    attachments = rnd.random() < 0.1
    if attachments:
        rows += ["attachments:", "  - {file: 公告.png, title: 结果公告照片}"]
    if rnd.random() < 0.05:
        rows += ["corrections:", f"  - {{date: {min(_days(end, 15, 30, rnd), today).isoformat()}, reason: 更正公开栏照片}}"]
    return "\n".join(rows), d1, attachments


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as"
       b"\x00\x00\x00\x16IDATx\x9cc<a\xa3\xc1\xc0\xc0\xc0\xc4\xc0\xc0\xc0\xc0\xc0\x00\x00\x0e\xda\x010\xe0I0\x8f"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")  # a valid 2x2 PNG: the site re-encodes photos, so it must open


DISCARDED = ".discarded"


def discard(path: Path) -> None:
    """Move ``path`` aside (into ``.discarded`` beside it) instead of deleting it now.

    On this machine's ext4 disk, creating files in the minutes after thousands were deleted costs
    several times the system time (the allocator looks at each recently freed inode and skips
    it): a build right after deleting the last site took up to 20 s longer, a noise larger than
    what the benchmark measures. ``empty_discarded`` deletes them once the measuring is over."""
    trash = path.parent / DISCARDED
    trash.mkdir(exist_ok=True)
    path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_discarded(root: Path) -> None:
    for trash in sorted(root.rglob(DISCARDED)):
        shutil.rmtree(trash, ignore_errors=True)


_SAMPLE = Path(__file__).resolve().parents[1] / "content"
_CLAUSE = re.compile(r"[^，。；：、！？（）“”‘’\s:#{}\[\]\"'|>*`-]{4,40}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def clauses() -> list[str]:
    """The clauses of the sample records' prose (about a thousand), for text with the vocabulary
    of real records rather than a dozen fixed sentences."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(_SAMPLE.glob("*/*.md")))
    found = {c for c in _CLAUSE.findall(text) if len(_HAN.findall(c)) >= 4}
    return sorted(found)


class Prose:
    """Sentences of two to four clauses drawn at random from ``clauses()``."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd, self.pool = rnd, clauses()

    def sentence(self) -> str:
        return "，".join(self.rnd.sample(self.pool, k=self.rnd.randint(2, 4))) + "。"

    def body(self) -> str:
        paragraphs, size = [], 0
        while size < 300:
            para = "".join(self.sentence() for _ in range(self.rnd.randint(2, 4)))
            paragraphs.append(para)
            size += len(para)
        return "\n\n".join(paragraphs) + "\n"

    def vary(self, rows: str) -> str:
        """Front matter rows with the fixed notes and result summary replaced by drawn sentences,
        and notes on the proposal."""
        rows = rows.replace("note: 按计划推进", "note: " + self.rnd.choice(self.pool), 1)
        rows = rows.replace("    已按决议完成，经村务监督委员会验收合格，收支明细已在公开栏张贴。", "    " + self.sentence())
        return rows.replace("proposal:\n", f"proposal:\n  notes: {self.sentence()}\n", 1)


def generate(out_dir: Path, n: int, villages: int = 300, seed: int = 1,
             today: dt.date = dt.date(2026, 11, 20), varied: bool = False) -> Path:
    """Write ``out_dir/content`` with ``villages`` villages and ``n`` valid records; return its path.

    ``varied``: bodies, notes and summaries drawn from the clauses of the sample records
    (``Prose``) instead of a dozen fixed sentences: the vocabulary search is measured on."""
    rnd = random.Random(seed)
    prose = Prose(random.Random(seed + 1)) if varied else None
    content = Path(out_dir) / "content"
    if content.exists():
        discard(content)
    content.mkdir(parents=True)
    registry = _village_ids(villages, rnd)
    (content / "villages.yml").write_text(_villages_yml(registry), encoding="utf-8")
    seq: dict[tuple[str, int], int] = {}
    made = set()
    for i in range(n):
        village = registry[i % villages] if i < villages else rnd.choice(registry)
        status = rnd.choices(STATUSES, WEIGHTS)[0] if i >= len(STATUSES) else STATUSES[i]
        category = CATEGORIES[i % len(CATEGORIES)] if i < len(CATEGORIES) else rnd.choice(CATEGORIES)
        rows, first, attachments = _record(status, village, today, rnd)
        key = (village["id"], first.year)
        seq[key] = seq.get(key, 0) + 1
        if seq[key] > 999:
            raise ValueError(f"more than 999 records for {village['id']} in {first.year}: use more villages")
        rid = f"{first.year}-{seq[key]:03d}"
        title = _TITLES[category].format(place=rnd.choice(_PLACES), crop=rnd.choice(_CROPS),
                                         asset=rnd.choice(_ASSETS), facility=rnd.choice(_FACILITIES))
        summary = title.removeprefix('关于').removesuffix('的事项')
        body = _body(rnd)
        if prose:
            rows, body = prose.vary(rows), prose.body()
            summary = f"{summary}。{prose.sentence()}"
        text = (f"---\nid: {rid}\ntitle: {title}\nvillage: {village['id']}\ncategory: {category}\n"
                f"summary: {summary}\n{rows}\n---\n{body}")
        folder = content / village["id"]
        if village["id"] not in made:
            folder.mkdir()
            made.add(village["id"])
        (folder / f"{rid}.md").write_text(text, encoding="utf-8")
        if attachments:
            (folder / rid).mkdir()
            (folder / rid / "公告.png").write_bytes(PNG)
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write content/ into")
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 20))
    parser.add_argument("--varied", action="store_true", help="prose drawn from the sample records' clauses")
    args = parser.parse_args(argv)
    print(generate(args.out, args.n, args.villages, args.seed, args.today, args.varied))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
