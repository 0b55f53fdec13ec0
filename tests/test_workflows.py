"""CI workflows and hooks: linted (they cannot run here), and wired to the README's commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def test_workflows_pass_the_linter():
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    result = subprocess.run([zizmor, "--offline", "--min-severity", "low", str(WORKFLOWS)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_actions_are_pinned_and_permissions_least():
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text("utf-8"))
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for job in workflow["jobs"].values():
            if "uses" in job:  # a reusable workflow of this repository
                assert job["uses"].startswith("./.github/workflows/"), job["uses"]
                continue
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_the_release_workflow_publishes_the_explorer_and_the_version_notes():
    """A release published with the workflow's own token starts no other workflow, so the
    release workflow calls the pages workflow itself; the notes are the version's section."""
    release = yaml.safe_load((WORKFLOWS / "release.yml").read_text("utf-8"))
    assert release["jobs"]["pages"] == {
        "needs": "release", "uses": "./.github/workflows/pages.yml",
        "permissions": {"contents": "read", "pages": "write", "id-token": "write"}}
    pages = yaml.safe_load((WORKFLOWS / "pages.yml").read_text("utf-8"))
    assert "workflow_call" in pages[True]  # YAML reads the key `on` as True
    runs = "\n".join(step.get("run", "") for step in release["jobs"]["release"]["steps"])
    assert '--notes-file "$notes"' in runs and "-notes.md" in runs
    assert "CHANGELOG.md" not in runs
    installs = [step["run"] for workflow in (release, pages) for job in workflow["jobs"].values()
                for step in job.get("steps", []) if "pip install" in step.get("run", "")]
    assert installs and all("-c release-constraints.txt" in run for run in installs)


def test_ci_runs_validation_with_annotations_and_the_build_check():
    runs = [step.get("run", "") for step in
            yaml.safe_load((WORKFLOWS / "ci.yml").read_text("utf-8"))["jobs"]["validate"]["steps"]]
    assert "dipdata validate --format github" in runs
    assert "dipdata build --check" in runs


def test_ci_script_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) >= 2 and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_pre_commit_hook_files():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hooks[0]["id"] == "dipdata-validate" and hooks[0]["entry"] == "dipdata validate"
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    assert "datapackage" in config["exclude"] and "schema" in config["exclude"]
    fixers = [h for repo in config["repos"] for h in repo["hooks"]
              if h["id"] in ("trailing-whitespace", "end-of-file-fixer")]
    assert fixers and all("records" in h["exclude"] for h in fixers)
