"""The `dipdata` command: a thin skin over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

FORMATS = ("text", "json", "github")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dipdata", description="Validate and build the dipdata data package.")
    parser.add_argument("--version", action="version", version=f"dipdata {__version__}")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the repository (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check records, cross-record rules and the committed package")
    validate.add_argument("paths", nargs="*", type=Path,
                          help="record files to check in the context of the rest "
                               "(default: everything)")
    validate.add_argument("--format", choices=FORMATS, default="text")

    build = commands.add_parser("build", help="validate records and write datapackage/")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 when datapackage/ or schema/ is stale")
    build.add_argument("--format", choices=FORMATS, default="text")

    release = commands.add_parser(
        "release", help="check the repository and write the release artifacts")
    release.add_argument("--out", type=Path, default=Path("dist"),
                         help="where to write them (default: dist)")
    release.add_argument("--previous", type=Path,
                         help="the previous release (zip or folder) to compare with "
                              "(default: the highest vX.Y.Z git tag)")

    verify = commands.add_parser(
        "verify", help="verify a release zip, package folder, or folder with SHA256SUMS")
    verify.add_argument("path", type=Path)
    verify.add_argument("--format", choices=FORMATS, default="text")

    diff = commands.add_parser(
        "diff", help="what changed between two releases (zips, folders or versions)")
    diff.add_argument("old", help="a release zip, a package folder, or a version such as 0.1.0")
    diff.add_argument("new", help="the same, for the newer release")
    diff.add_argument("--format", choices=("text", "json"), default="text")

    new = commands.add_parser("new", help="write a record skeleton to fill in")
    new.add_argument("table", help="events, actors, outcomes, positions, aggregates, "
                                   "sources or commentary (singular works too)")
    new.add_argument("id", help="the new record's id (lowercase kebab-case)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # the one boundary for failures outside the data itself
        print(f"dipdata: error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command in ("verify", "diff"):
        return _run_release_tools(args)
    root = args.root
    if not (root / "records").is_dir():
        print(f"dipdata: error: {root} has no records/ folder; run dipdata in the "
              "repository, or give --root", file=sys.stderr)
        return 2
    if args.command == "release":
        from .release import ReleaseError, release

        try:
            for path in release(root, args.out, args.previous):
                print(path)
        except ReleaseError as error:
            print(f"dipdata: release refused: {error}", file=sys.stderr)
            return 1
        return 0
    if args.command == "new":
        from .skeleton import SkeletonError, write_skeleton

        try:
            print(write_skeleton(root, args.table, args.id))
        except SkeletonError as error:
            print(f"dipdata: error: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "validate":
        from .validate import validate

        report = validate(root, args.paths)
    elif args.check:  # the same full check as validate, named for the build
        from .package import check

        report = check(root)
    else:
        from .package import build

        report = build(root).report
    _print(report, args.format)
    return 0 if report.valid else 1


def _run_release_tools(args: argparse.Namespace) -> int:
    from .archive import ReleaseError, verify
    from .release import diff

    if args.command == "verify":
        report = verify(args.path)
        _print(report, args.format)
        return 0 if report.valid else 1
    try:
        change = diff(args.old, args.new, args.root)
    except ReleaseError as error:
        print(f"dipdata: error: {error}", file=sys.stderr)
        return 1
    if args.format == "json":
        import json

        print(json.dumps(change.as_json(), indent=2, ensure_ascii=False))
    else:
        print(change.as_text())
    return 0


def _print(report, format: str) -> None:
    output = report.render(format)
    if output:
        print(output)
    if format == "text":
        print(report.summary(), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
