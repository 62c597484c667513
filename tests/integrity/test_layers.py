"""The three layers: imports go one way (engine → views → model), the model needs nothing but the
standard library and PyYAML (it is to run in a browser, under Pyodide), and the command line's
``validate`` loads nothing of the site builder."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from builder.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "builder"
ORDER = ["model", "views", "engine", "top"]  # each may import only from itself and those before it
MODEL_MAY_IMPORT = {"yaml"}  # besides the standard library
# Standard modules that would give the model a process, a thread, a garbage-collector switch or
# the network: parallelism and such belong to the engine.
NOT_IN_MODEL = {"subprocess", "multiprocessing", "threading", "concurrent", "gc", "asyncio", "socket",
                "shutil", "tempfile", "signal"}
WRITES = {"write_text", "write_bytes", "mkdir", "unlink", "rename", "replace", "rmdir", "touch", "symlink_to"}
SITE_BUILDER = ("mkdocs", "jinja2", "markdown", "PIL", "pagefind", "material", "zxingcpp", "feedgen")


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER[:-1] else "top"


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module ``module``'s source imports (also inside functions), as absolute names."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from . import x: each x is a module
                    found += [(node.lineno, f"{name}.{a.name}") for a in node.names]
                    continue
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def writes(source: str) -> list[int]:
    """Lines that write a file or change the file system: ``Path`` methods, ``open`` for writing."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        if isinstance(fn, ast.Attribute) and fn.attr in WRITES and fn.attr != "replace":
            out.append(node.lineno)
        mode = next((a for a in node.args[1:2]), None) or next((k.value for k in node.keywords if k.arg == "mode"), None)
        is_open = (isinstance(fn, ast.Name) and fn.id == "open") or (isinstance(fn, ast.Attribute) and fn.attr == "open")
        if is_open and isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
            out.append(node.lineno)
    return out


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """What ``module`` imports against the direction of the layers, or that the model may not."""
    mine = layer(module)
    out = []
    for line, name in imports(source, module, is_package):
        top = name.split(".")[0]
        if top == "builder":
            theirs = layer(name)
            if ORDER.index(theirs) > ORDER.index(mine):
                out.append(f"{module}:{line} ({mine}) imports {name} ({theirs})")
        elif mine == "model" and (top in NOT_IN_MODEL or (top not in sys.stdlib_module_names
                                                          and top not in MODEL_MAY_IMPORT and top != "__future__")):
            out.append(f"{module}:{line} (model) imports {name}")
    if mine == "model":
        out += [f"{module}:{line} (model) writes to the disk" for line in writes(source)]
    return out


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        out.append((".".join(parts), path))
    return out


def test_every_import_goes_the_one_way() -> None:
    found = []
    for module, path in modules():
        name = module.removesuffix(".__init__")
        found += violations(name, path.read_text(encoding="utf-8"), is_package=module.endswith("__init__"))
    assert found == []


def test_the_layers_are_all_there() -> None:
    seen = {layer(m) for m, _ in modules()}
    assert seen == set(ORDER)


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("builder.model.x", "from ..views import site", "(model) imports builder.views (views)"),
    ("builder.model.x", "from ..engine.fork import start", "imports builder.engine.fork (engine)"),
    ("builder.model.x", "def f():\n    import PIL.Image", "(model) imports PIL.Image"),
    ("builder.model.x", "import subprocess", "(model) imports subprocess"),
    ("builder.model.x", "from pathlib import Path\nPath('x').write_text('y')", "(model) writes to the disk"),
    ("builder.model.x", "f = open('x', 'w')", "(model) writes to the disk"),
    ("builder.views.x", "from ..engine import plugin", "(views) imports builder.engine (engine)"),
    ("builder.engine.x", "from ..cli import emit", "(engine) imports builder.cli (top)"),
    ("builder.engine.x", "from .. import cli", "(engine) imports builder.cli (top)"),
])
def test_an_import_against_the_direction_is_found(module: str, source: str, expected: str) -> None:
    [found] = violations(module, source)
    assert expected in found


@pytest.mark.parametrize(("module", "source"), [
    ("builder.model.x", "import yaml\nimport re\nfrom .rules import diag\nfrom pathlib import Path\nPath('x').read_bytes()"),
    ("builder.model.x", "f = open('x', 'rb')\ns = 'a'.replace('a', 'b')"),
    ("builder.views.x", "import markdown\nfrom ..model.rules import diag\nfrom .text import cn_date"),
    ("builder.engine.x", "from mkdocs.plugins import BasePlugin\nfrom ..views import site\nfrom ..model import rules"),
    ("builder.cli", "from .engine.parallel import validate_content\nfrom .model.rules import diag"),
])
def test_an_import_with_the_direction_is_allowed(module: str, source: str) -> None:
    assert violations(module, source) == []


# -- the model in a browser: nothing but the standard library and PyYAML --------------------------

IN_MEMORY = r"""
import importlib.abc, json, os, sys
from pathlib import Path

BLOCKED = {"subprocess", "multiprocessing", "threading", "PIL", "markdown", "mkdocs", "jinja2",
           "markupsafe", "pagefind", "zxingcpp", "feedgen"}

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not there (as under Pyodide)")
        return None

already = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
assert not already, already
sys.meta_path.insert(0, Blocker())
root, yaml_dir, settings, today = sys.argv[1:5]
sys.path[:0] = [root, yaml_dir]

files = {}  # the content folder, held in memory: {path inside it: bytes}
for folder, dirs, names in os.walk("content"):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        path = Path(folder, name)
        files[path.relative_to("content").as_posix()] = path.read_bytes()

import datetime as dt
from builder.model.settings import Settings
from builder.model.sources import in_memory
from builder.model.validate import validate

sources, attachments = in_memory(Path("content"), files)
report = validate(sources, Settings.from_mapping(json.loads(settings)), dt.date.fromisoformat(today), attachments)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print(json.dumps({"records": report.checked, "diagnostics": [d.as_dict() for d in report.diagnostics],
                  "loaded": loaded}, ensure_ascii=False))
"""


def _cli_json(cwd: Path, today: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "content", "--format", "json",
                           "--today", today, "--config", str(ROOT / "mkdocs.yml")],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _in_memory_json(cwd: Path, today: str) -> dict:
    settings = json.dumps(asdict(load_settings(ROOT / "mkdocs.yml")), ensure_ascii=False)
    yaml_dir = str(Path(yaml.__file__).parents[1])
    # -S: no site-packages and no .pth files, so nothing is imported before the blocker is in place
    done = subprocess.run([sys.executable, "-S", "-c", IN_MEMORY, str(ROOT), yaml_dir, settings, today],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _broken_copy(tmp_path: Path) -> Path:
    """The sample content with an error of each kind the disk plays a part in."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    record = tmp_path / "content/dongliu/2025-001.md"
    record.write_text(record.read_text(encoding="utf-8").replace("present: 39", "present: 20"), encoding="utf-8")
    (tmp_path / "content/dongliu/2025-002/road-after.jpg").unlink()  # an attachment missing (E070)
    (tmp_path / "content/nantang/2025-003.md").write_bytes("标题：乱码".encode("gbk"))  # E001
    (tmp_path / "content/nantang/extra").mkdir()
    (tmp_path / "content/nantang/extra/2026-009.md").write_text("---\nid: 2026-009\n---\n", encoding="utf-8")  # E022
    return tmp_path


@pytest.mark.parametrize("case", ["sample", "broken"])
def test_records_in_memory_without_the_site_builder_give_the_cli_diagnostics(case: str, tmp_path: Path) -> None:
    cwd = ROOT if case == "sample" else _broken_copy(tmp_path)
    today = "2026-11-20"
    cli, memory = _cli_json(cwd, today), _in_memory_json(cwd, today)
    assert memory["loaded"] == []
    assert memory["records"] == cli["records"]
    assert memory["diagnostics"] == cli["diagnostics"]
    codes = {d["code"] for d in cli["diagnostics"]}
    assert codes >= ({"E041", "E070", "E001", "E022"} if case == "broken" else {"W052"})


def test_the_blocker_blocks() -> None:
    """The in-memory run above would notice a model that needs what is blocked."""
    script = IN_MEMORY.split("root, yaml_dir")[0] + "import markdown\n"
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "is not there (as under Pyodide)" in done.stderr


# -- `python -m builder validate` starts light -------------------------------------------------

def _loaded_by_validate(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "builder", "validate", *args,
                           "--today", "2026-11-20"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          check=False, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return {n.split(".")[0] for n in names}


def test_validating_one_record_loads_nothing_of_the_site_builder() -> None:
    loaded = _loaded_by_validate("content/dongliu/2026-001.md")
    assert "yaml" in loaded and "builder" in loaded  # the measurement sees imports at all
    assert loaded.isdisjoint(SITE_BUILDER), sorted(loaded & set(SITE_BUILDER))


def test_a_record_with_a_photo_loads_pillow_and_only_that() -> None:
    loaded = _loaded_by_validate("content/dongliu/2025-002.md")  # road-before.jpg, road-after.jpg
    assert "PIL" in loaded
    assert loaded.isdisjoint(set(SITE_BUILDER) - {"PIL"}), sorted(loaded & set(SITE_BUILDER))
