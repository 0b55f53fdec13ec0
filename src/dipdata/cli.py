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
    root = args.root
    if not (root / "records").is_dir():
        print(f"dipdata: error: {root} has no records/ folder; run dipdata in the "
              "repository, or give --root", file=sys.stderr)
        return 2
    if args.command == "validate":
        from .validate import validate

        report = validate(root, args.paths)
    elif args.check:
        from .validate import validate

        report = validate(root)
    else:
        from .package import build

        report = build(root).report
    _print(report, args.format)
    return 0 if report.valid else 1


def _print(report, format: str) -> None:
    output = report.render(format)
    if output:
        print(output)
    if format == "text":
        print(report.summary(), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
