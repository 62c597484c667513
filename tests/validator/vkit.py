"""Test kit for the validator: a valid base record as a dict, dumped to YAML text in a temporary
content folder, so that each test case is a one-line change of that dict.

Line numbers are computed here independently of the builder: PyYAML's pure-Python composer is
run on the text we wrote and the key's mark is taken, so a test compares the validator's line
with where the key really is in the file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from builder.engine.parallel import validate_content as validate
from builder.model.report import Report
from builder.model.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2024, 12, 31)
VILLAGE_ID = "dongwang"
RECORD_ID = "2024-003"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image(fmt: str) -> bytes:
    """A real (tiny) image: attachments are opened, not just sniffed."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
WEBP = image("WEBP")

VILLAGE = {
    "id": VILLAGE_ID,
    "name": "东王村",
    "township": "张村镇",
    "party_members": 42,
    "representatives": 45,
    "households": 380,
    "adult_villagers": 1150,
}

BODY = (
    "村东耕地二百亩，原由各户分散种植小麦玉米，收益不高。经村民提议，拟统一流转给合作社种植速生杨。\n\n"
    "流转期限十年，租金每亩每年八百元，按年支付到户。\n"
)


def base_record() -> dict:
    """A complete, valid record (status ``completed`` on ``TODAY``) with every optional part."""
    d = dt.date
    return {
        "id": RECORD_ID,
        "title": "关于村东200亩耕地流转种植速生杨的事项",
        "village": VILLAGE_ID,
        "category": "land",
        "summary": "村东耕地统一流转给合作社种植速生杨",
        "budget": Decimal("120000.00"),
        "proposal": {
            "date": d(2024, 3, 2),
            "attendance": {"expected": 5, "present": 5},
            "votes": {"for": 5, "against": 0, "abstain": 0},
            "outcome": "passed",
            "notes": "提议内容",
        },
        "deliberation": {
            "date": d(2024, 3, 5),
            "attendance": {"expected": 9, "present": 8},
            "outcome": "passed",
        },
        "review": {
            "date": d(2024, 3, 10),
            "attendance": {"expected": 42, "present": 35},
            "votes": {"for": 33, "against": 1, "abstain": 1},
        },
        "resolution": {
            "body": "representatives",
            "date": d(2024, 3, 15),
            "attendance": {"expected": 45, "present": 38},
            "votes": {"for": 36, "against": 2, "abstain": 0},
            "text": "同意将村东200亩耕地流转给合作社种植速生杨",
        },
        "disclosure": {
            "date": d(2024, 3, 16),
            "until": d(2024, 3, 23),
            "channels": ["公开栏", "微信群", "网站"],
        },
        "implementation": {
            "responsible": "村委会",
            "start": d(2024, 4, 1),
            "due": d(2024, 6, 30),
            "updates": [{"date": d(2024, 5, 1), "progress": 50, "note": "完成土地平整"}],
        },
        "result": {
            "date": d(2024, 7, 5),
            "completed": d(2024, 6, 28),
            "cost": Decimal("118500.00"),
            "summary": "已完成流转，租金已发放到户",
            "channels": ["公开栏", "网站"],
        },
        "attachments": [{"file": "决议公告.pdf", "title": "决议公告扫描件"}],
        "corrections": [{"date": d(2024, 7, 10), "reason": "更正实际支出金额"}],
    }


class Raw(str):
    """A scalar written exactly as typed (plain, unquoted when YAML allows it): ``Raw("2024-3-5")``."""


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


def _raw(dumper: yaml.SafeDumper, value: Raw) -> yaml.Node:
    text = str(value)
    return dumper.represent_scalar(dumper.resolve(yaml.ScalarNode, text, (True, False)), text)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(Raw, _raw)


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)


def record_text(rec: dict, body: str = BODY) -> str:
    return "---\n" + dump(rec) + "---\n" + body


def key_line(text: str, *path: str | int) -> int:
    """1-based line in ``text`` (a whole record file) of the key at ``path`` in its front matter."""
    lines = text.split("\n")
    assert lines[0].rstrip() == "---"
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    line = node.start_mark.line
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
            line = node.start_mark.line
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
            line = key.start_mark.line
    return line + 2  # 0-based, and the opening fence is line 1


def text_line(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


@dataclass
class Site:
    """A content folder in a temporary directory."""

    root: Path
    villages: list = field(default_factory=lambda: [dict(VILLAGE)])

    def __post_init__(self) -> None:
        self.content = self.root / "content"
        self.content.mkdir(parents=True, exist_ok=True)
        self.write_villages()

    def write_villages(self, data: object = None, text: str | None = None) -> Path:
        path = self.content / "villages.yml"
        if text is None:
            text = dump({"villages": self.villages if data is None else data})
        path.write_text(text, encoding="utf-8")
        return path

    def add_village(self, **fields: object) -> None:
        self.villages.append(fields)
        self.write_villages()

    def record_path(self, village: str = VILLAGE_ID, name: str = RECORD_ID) -> Path:
        return self.content / village / f"{name}.md"

    def write(self, rec: dict | None = None, *, text: str | bytes | None = None, body: str = BODY,
              village: str = VILLAGE_ID, name: str | None = None, attachments: bool = True) -> Path:
        """Write a record (the base record when ``rec`` is None) and, by default, its attachments."""
        rec = base_record() if rec is None and text is None else rec
        if name is None:
            name = str(rec.get("id", RECORD_ID)) if isinstance(rec, dict) else RECORD_ID
        path = self.record_path(village, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            text = record_text(rec, body)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
        if attachments and isinstance(rec, dict):
            for item in rec.get("attachments") or []:
                name_ = item.get("file") if isinstance(item, dict) else None
                if isinstance(name_, str) and name_ == "决议公告.pdf":
                    self.attach(name_, PDF, village=village, record=path.stem)
        return path

    def attach(self, name: str, data: bytes, village: str = VILLAGE_ID, record: str = RECORD_ID) -> Path:
        folder = self.content / village / record
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        return path

    def validate(self, today: dt.date = TODAY, settings: Settings | None = None,
                 only: list[Path] | None = None) -> Report:
        return validate(self.content, settings or Settings(), today, only)


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def codes(report: Report, path: Path | None = None) -> set[str]:
    return {d.code for d in of(report, path)}


def of(report: Report, path: Path | None = None, code: str | None = None) -> list:
    """Diagnostics of ``report`` for ``path`` (a record or villages.yml), optionally of one code."""
    out = report.diagnostics
    if path is not None:
        want = os.path.abspath(path)
        out = [d for d in out if os.path.abspath(d.file) == want]
    if code is not None:
        out = [d for d in out if d.code == code]
    return out


def cli(*args: str, cwd: Path, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m builder`` in a subprocess, the way a user or CI runs it."""
    full_env = dict(os.environ)
    full_env.pop("CUNWU_TODAY", None)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env["PYTHONIOENCODING"] = "utf-8"
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False)


# -- personal numbers, computed independently of the builder ------------------------------------

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """``first17`` with its check character (GB 11643): a valid resident ID number."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _W, strict=True)) % 11]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def with_luhn(prefix: str) -> str:
    """``prefix`` and the one digit that makes it pass the Luhn check: a valid card number."""
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def deep(rec: dict) -> dict:
    return copy.deepcopy(rec)
