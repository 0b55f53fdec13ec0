"""Releases: one version, reproducible artifacts, verification that catches tampering and
hostile archives, and a diff that names the bump a change needs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import dipdata
from dipdata.base import archives
from dipdata.publish import verify as verifying
from dipdata.base.archives import ReleaseError
from dipdata.publish.verify import verify
from dipdata.make.package import build
from dipdata.publish.release import bump_of, diff, release

from .conftest import ROOT, commit_all, copy_checkout, run, write_record
from .test_validate import good_event

# one worker makes the shared release and runs every test that reads it
pytestmark = pytest.mark.xdist_group("release")


def test_one_version_everywhere():
    version = dipdata.__version__
    descriptor = json.loads((ROOT / "datapackage/datapackage.json").read_text("utf-8"))
    assert descriptor["version"] == version
    assert f"\nversion: {version}\n" in (ROOT / "CITATION.cff").read_text("utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$",
                     (ROOT / "CHANGELOG.md").read_text("utf-8"), re.MULTILINE)
    jsonld = json.loads((ROOT / "datapackage/dataset.jsonld").read_text("utf-8"))
    assert jsonld["@type"] == "Dataset" and jsonld["version"] == version


def test_two_releases_are_byte_identical(artifacts):
    first, second = artifacts
    names = sorted(p.name for p in first.iterdir())
    version = dipdata.__version__
    assert names == sorted([f"dipdata-{version}-datapackage.zip", f"dipdata-{version}.tar.gz",
                            f"dipdata-{version}-py3-none-any.whl", f"dipdata-{version}-notes.md",
                            f"dipdata-{version}-sqlite.zip",
                            f"dipdata-{version}-parquet.zip", f"dipdata-{version}-site.zip",
                            "SHA256SUMS"])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_release_zip_holds_package_schemas_and_documents(artifacts):
    archive = next(artifacts[0].glob("*-datapackage.zip"))
    assert archive.name == f"dipdata-{dipdata.__version__}-datapackage.zip"
    names = zipfile.ZipFile(archive).namelist()
    # The descriptor sits at the zip's root, so any Data Package client reads the zip as is.
    for name in ("datapackage.json", "data/events.csv", "schema/events.schema.json",
                 "README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff",
                 "dataset.jsonld"):
        assert name in names, name
    assert names == sorted(names)


def test_frictionless_reads_the_release_zip_and_checks_every_resource(artifacts):
    from frictionless import Package

    archive = next(artifacts[0].glob("*-datapackage.zip"))
    descriptor = json.loads(zipfile.ZipFile(archive).read("datapackage.json"))
    report = Package(str(archive)).validate()
    assert report.valid
    assert sorted(task.name for task in report.tasks) == sorted(
        r["name"] for r in descriptor["resources"])
    assert len(report.tasks) == 23 + 8 + 2  # the tables, the JSON records, the two texts of the review


def test_verify_passes_on_the_release(artifacts, capsys):
    assert verify(artifacts[0]).valid
    code, out, err = run(capsys, "verify", str(next(artifacts[0].glob("*-datapackage.zip"))))
    records = sum(1 for _ in (ROOT / "records").glob("*/*.json"))
    assert (code, out, err) == (0, f"{next(artifacts[0].glob('*-datapackage.zip'))}: valid: "
                                   f"{records} records, no problems\n", "")


def test_one_changed_byte_is_caught(artifacts, tmp_path):
    copy = tmp_path / "set"
    shutil.copytree(artifacts[0], copy)
    archive = next(copy.glob("*-datapackage.zip"))
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    archive.write_bytes(bytes(data))
    report = verify(copy)
    assert not report.valid
    assert any(p.code == "checksum-mismatch" and p.path == archive.name for p in report.problems)


def test_tampered_member_is_caught_by_the_descriptor_hash(artifacts, tmp_path):
    archive = next(artifacts[0].glob("*-datapackage.zip"))
    tampered = tmp_path / archive.name
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("data/events.csv"):
                data = data.replace(b"Moscow", b"Moskva", 1)
            target.writestr(info, data)
    report = verify(tampered)
    assert [(p.code, p.path) for p in report.problems][:1] == [
        ("bytes-mismatch", f"{archive.name}!data/events.csv")] or any(
        p.code == "hash-mismatch" for p in report.problems)


def _zip(path: Path, members: list[tuple[str, bytes]], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


HOSTILE = {
    "absolute": ([("/tmp/evil.txt", b"x")], None, "has an absolute path"),
    "dot-dot": ([("pkg/../../evil.txt", b"x")], None, "climbs out of the archive"),
    "symlink": ([("pkg/datapackage.json", b"{}")], "pkg/link", "is a symbolic link"),
    "duplicate": ([("pkg/a.txt", b"1"), ("pkg/a.txt", b"2")], None, "appears twice"),
    "zip-bomb": ([("pkg/zeros.bin", b"\0" * 5_000_000)], None, "a zip bomb?"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archives_are_refused(tmp_path, case, capsys):
    members, symlink, message = HOSTILE[case]
    with pytest.warns(UserWarning) if case == "duplicate" else _nothing():
        archive = _zip(tmp_path / f"{case}.zip", members, symlink)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, "verify", str(archive))
    assert code == 1 and "Traceback" not in err
    assert f"{case}.zip: unsafe-archive: refused: " in out and message in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_oversized_member_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1000)
    archive = _zip(tmp_path / "big.zip", [("pkg/big.bin", bytes(range(256)) * 8)])
    report = verify(archive)
    assert "over the 1000-byte limit" in report.render()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_diff_lists_changes_and_the_bump_they_need(repo, capsys):
    old = ROOT / "datapackage"
    assert diff(old, old).required_bump == "none"
    write_record(repo, "events", good_event())
    assert build(repo).report.valid
    change = diff(old, repo / "datapackage")
    assert change.tables["events"].added == ["planted-event"]
    assert change.required_bump == "minor"

    russia = json.loads((repo / "records/events/xi-state-visit-russia-2023.json").read_text())
    russia["title"] = "A corrected title"
    write_record(repo, "events", russia)
    (repo / "records/events/planted-event.json").unlink()
    assert build(repo).report.valid
    change = diff(old, repo / "datapackage")
    assert change.tables["events"].changed["xi-state-visit-russia-2023"]["title"][1] == \
        "A corrected title"
    assert change.required_bump == "patch"
    code, out, _ = run(capsys, "diff", str(old), str(repo / "datapackage"))
    assert code == 0 and "  ~ xi-state-visit-russia-2023" in out
    assert out.rstrip().endswith("required bump: patch (the versions differ by: none)")
    code, out, _ = run(capsys, "diff", "--format", "json", str(old), str(repo / "datapackage"))
    assert json.loads(out)["required_bump"] == "patch"


def test_removed_record_needs_a_major_bump(repo):
    old = ROOT / "datapackage"
    (repo / "records/events/xi-meets-bill-gates-2023-06-16.json").unlink()
    aggregates = repo / "records/aggregates"
    for path in aggregates.glob("*.json"):
        record = json.loads(path.read_text())
        if "xi-meets-bill-gates-2023-06-16" in record.get("examples", []):
            record["examples"].remove("xi-meets-bill-gates-2023-06-16")
            write_record(repo, "aggregates", record)
    # Keep the review's sentence covered by the other records quoting it.
    report = build(repo).report
    assert report.valid, report.render()
    assert diff(old, repo / "datapackage").required_bump == "major"


def test_bump_rules():
    assert bump_of("1.2.3", "1.2.4") == "patch"
    assert bump_of("1.2.3", "1.3.0") == "minor"
    assert bump_of("1.2.3", "2.0.0") == "major"
    assert bump_of("1.2.3", "1.2.3") == "none"
    with pytest.raises(ReleaseError):
        bump_of("1.2", "1.3.0")


def test_release_refuses_a_bump_smaller_than_the_change(source_tree, tmp_path, repo):
    write_record(repo, "events", good_event())
    assert build(repo).report.valid
    # The previous release has the planted record; the current one does not: a removal.
    with pytest.raises(ReleaseError, match="needs a major bump|need a major bump"):
        release(source_tree, tmp_path / "out", previous=repo / "datapackage")
    assert not (tmp_path / "out").exists()


def test_release_zip_checksums_are_listed(artifacts):
    sums = (artifacts[0] / "SHA256SUMS").read_text().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((artifacts[0] / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("position", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_damaged_zip_gives_a_clear_message_not_a_traceback(artifacts, tmp_path, capsys, position):
    archive = next(artifacts[0].glob("*-datapackage.zip"))
    damaged = tmp_path / archive.name
    data = bytearray(archive.read_bytes())
    for offset in range(int(len(data) * position), int(len(data) * position) + 64):
        data[offset] ^= 0x5A
    damaged.write_bytes(bytes(data))
    code, out, err = run(capsys, "verify", str(damaged))
    assert code == 1 and out and "Traceback" not in err


@pytest.mark.parametrize("descriptor", ['{"resources": 5}', "not json",
                                        '{"resources": [{"path": "../../etc/passwd"}]}',
                                        '{"resources": [{"path": "a.json", "jsonSchema": "/x"}]}'])
def test_malformed_descriptors_are_reported_not_raised(tmp_path, capsys, descriptor):
    (tmp_path / "datapackage.json").write_text(descriptor)
    (tmp_path / "a.json").write_text("[]")
    code, out, err = run(capsys, "verify", str(tmp_path))
    assert code == 1 and out.count("\n") >= 1 and "Traceback" not in err
    code, _, err = run(capsys, "diff", str(tmp_path), str(ROOT / "datapackage"))
    assert code == 1 and "is not a readable dipdata package" in err


def test_diff_takes_versions_from_git_tags(repo, capsys):
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "first"], check=True)
    subprocess.run(git + ["tag", "v0.1.0"], check=True)
    write_record(repo, "events", good_event())
    assert build(repo).report.valid
    code, out, _ = run(capsys, "--root", str(repo), "diff", "0.1.0", str(repo / "datapackage"))
    assert code == 0 and "  + planted-event" in out and "required bump: minor" in out
    code, _, err = run(capsys, "--root", str(repo), "diff", "v9.9.9", str(repo / "datapackage"))
    assert code == 1 and "is neither a release zip or folder nor a version" in err


def test_the_release_notes_are_the_version_section_and_the_tools(release_folder):
    version = dipdata.__version__
    notes = (release_folder / f"dipdata-{version}-notes.md").read_text("utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    section = changelog.split(f"## [{version}] - ", 1)[1].split("\n", 1)[1].split("\n## ", 1)[0]
    assert notes.startswith(section.strip() + "\n\n### Built with\n\n- Python 3.")
    assert "## [Unreleased]" not in notes and f"## [{version}]" not in notes
    for line in (ROOT / "release-constraints.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, pinned = line.split("==")
            assert f"\n- {name} {pinned}\n" in notes
