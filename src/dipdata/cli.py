"""The `dipdata` command: a thin skin over the library.

Every command parses its arguments, calls the library, prints the result and sets the exit
code; one error boundary turns expected failures into a plain message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .base.problems import Report

FORMATS = ("text", "json", "github")
#: What exit status 1 means for each command (0 is success, 2 a usage error, everywhere).
FAILURE = {
    None: "a command failed; it says why",
    "validate": "problems were found; they are listed",
    "build": "problems were found (nothing was written); they are listed",
    "release": "the release was refused; the reason and the next step are said",
    "verify": "the release or package is not valid; the problems are listed",
    "diff": "a release or version could not be read; it says why",
    "new": None,  # a refused id or table is a usage error (2)
    "site": None,  # a folder that cannot be written is said, with status 2
}


def _epilog(name: str | None, *examples: str) -> str:
    failure = f"  1  {FAILURE[name]}\n" if FAILURE[name] else ""
    usage = {"new": "the table is unknown, the id is not valid or already taken",
             "site": "the folder cannot be written"}.get(name or "", "")
    codes = ("exit codes:\n  0  success\n" + failure +
             "  2  usage error: bad arguments, or not run inside a dipdata repository"
             + (f";\n     or {usage}" if usage else ""))
    return codes + "\n\nexamples:\n" + "\n".join(f"  {example}" for example in examples)


def _command(commands: argparse._SubParsersAction, name: str, help: str,
             *examples: str) -> argparse.ArgumentParser:
    return commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                               epilog=_epilog(name, *examples),
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def _format(parser: argparse.ArgumentParser, choices: tuple[str, ...] = FORMATS,
            unit: str = "problem") -> None:
    parser.add_argument("--format", choices=choices, default="text",
                        help=f"text (one line per {unit}, the default), json (a report "
                             "for programs)" + (", or github (workflow annotations)"
                                                if "github" in choices else ""))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dipdata", description="Validate, build, release and explore the dipdata data "
        "package.", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_epilog(None, "dipdata validate", "dipdata diff 0.1.0 HEAD"))
    parser.add_argument("--version", action="version", version=f"dipdata {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="the repository (default: found by walking up from the current "
                             "folder, as git does)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = _command(commands, "validate", "check records, rules across records, and "
                        "that every generated file is current", "dipdata validate",
                        "dipdata validate records/events/my-new-event.json --format json")
    validate.add_argument("paths", nargs="*", type=Path,
                          help="record files to check in the context of the rest, relative "
                               "to the current folder (default: everything)")
    validate.add_argument("--full", action="store_true",
                          help="make every generated file to compare, even when the build "
                               "lock shows that nothing they are made from changed")
    _format(validate)

    build = _command(commands, "build", "validate the records and write schema/, "
                     "datapackage/, CITATION.cff and the README's generated parts",
                     "dipdata build", "dipdata build --check")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 when any generated file is stale (every "
                            "file is made and compared, as `dipdata validate --full` does)")
    _format(build)

    release = _command(commands, "release", "build the release artifacts from the commit "
                       "at HEAD", "dipdata release", "dipdata release --out /tmp/release")
    release.add_argument("--out", type=Path, default=None,
                         help="where to write them (default: dist/ in the repository)")
    release.add_argument("--previous", type=Path,
                         help="the previous release (zip or folder) to compare with "
                              "(default: the highest vX.Y.Z git tag)")

    verify = _command(commands, "verify", "verify a release zip, a package folder, or a "
                      "folder of release artifacts with SHA256SUMS",
                      "dipdata verify dist/", "dipdata verify dipdata-1.0.0-datapackage.zip")
    verify.add_argument("path", type=Path, help="the zip or folder to verify")
    _format(verify)

    diff = _command(commands, "diff", "list what changed between two releases, and the "
                    "version bump it needs", "dipdata diff 0.1.0 HEAD",
                    "dipdata diff old.zip new.zip --format json")
    diff.add_argument("old", help="a release zip, a package folder, or a version (0.1.0) or "
                                  "git revision of this repository")
    diff.add_argument("new", help="the same, for the newer release")
    _format(diff, ("text", "json"), unit="change")

    new = _command(commands, "new", "write a record skeleton to fill in",
                   "dipdata new event xi-example-meeting-2023-05-01",
                   "dipdata new actor jane-doe")
    new.add_argument("table", help="events, actors, outcomes, positions, aggregates, "
                                   "sources, texts or commentary (singular works too)")
    new.add_argument("id", help="the new record's id (lowercase kebab-case, unused in any "
                                "table)")

    site = _command(commands, "site", "write the offline explorer (a static site)",
                    "dipdata site --out site", "dipdata site --out /tmp/explorer")
    site.add_argument("--out", type=Path, required=True, help="the folder to write it to")
    return parser


class UsageError(Exception):
    """The command cannot run as asked; exit 2."""


def find_root(start: Path) -> Path:
    """The repository: the nearest folder, from ``start`` upwards, that holds `records/`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "records").is_dir():
            return folder
    raise UsageError(f"{start} is not inside a dipdata repository (no records/ folder here "
                     "or above); run dipdata in the repository, or give --root")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except UsageError as error:
        print(f"dipdata: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the one boundary: expected failures of the library
        from .base.archives import ReleaseError
        from .use.loader import PackageError
        from .make.package import BuildError
        from .model.skeleton import SkeletonError

        if isinstance(error, PackageError):
            print(f"dipdata: error: {error}", file=sys.stderr)
            return 1
        if isinstance(error, (ReleaseError, BuildError)):
            print(f"dipdata: {args.command} refused: {error}", file=sys.stderr)
            return 1
        if isinstance(error, SkeletonError):
            print(f"dipdata: error: {error}", file=sys.stderr)
            return 2
        if isinstance(error, OSError):
            where = f"{error.filename}: " if error.filename else ""
            reason = error.strerror or str(error)
            if isinstance(error, FileExistsError):
                reason = "it exists and is not a folder"
            print(f"dipdata: error: {where}{reason.rstrip('.').lower()}", file=sys.stderr)
            return 2
        raise


def _repository(args: argparse.Namespace) -> Path:
    if args.root is None:
        return find_root(Path.cwd())
    if not (args.root / "records").is_dir():
        raise UsageError(f"{args.root} has no records/ folder: it is not a dipdata repository")
    return args.root.resolve()


def _run(args: argparse.Namespace) -> int:
    if args.command == "verify":
        from .publish.verify import verify

        return _print(verify(args.path), args.format)
    if args.command == "diff":
        return _diff(args)
    root = _repository(args)
    if args.command == "release":
        return _release(root, args)
    if args.command == "new":
        from .model.skeleton import write_skeleton

        print(write_skeleton(root, args.table, args.id))
        return 0
    if args.command == "site":
        from .views.site import write_site

        print(write_site(root, args.out))
        return 0
    if args.command == "validate" and args.paths:
        from .check.validate import check_records

        return _print(check_records(root, only=[p.resolve() for p in args.paths]).report,
                      args.format)
    if args.command == "validate" or args.check:
        from .make.package import check

        return _print(check(root, full=args.command == "build" or args.full), args.format)
    from .make.package import build

    built = build(root)
    status = _print(built.report, args.format)
    if built.report.valid and args.format == "text":
        for path in built.changed:
            print(f"wrote {path}")
        if not built.changed:
            print("nothing changed: every generated file is current")
    return status


def _diff(args: argparse.Namespace) -> int:
    from .publish.diff import diff

    root = args.root if args.root is not None else _root_or_here()
    change = diff(args.old, args.new, root)
    if args.format == "json":
        print(json.dumps(change.as_json(), indent=2, ensure_ascii=False))
    else:
        print(change.as_text())
    return 0


def _root_or_here() -> Path:
    try:
        return find_root(Path.cwd())
    except UsageError:
        return Path.cwd()


def _release(root: Path, args: argparse.Namespace) -> int:
    from . import __version__
    from .publish.release import release

    for path in release(root, args.out if args.out is not None else root / "dist",
                        args.previous):
        print(path)
    print(f"to publish it, tag the commit and push the tag: git tag -a v{__version__} "
          f"-m 'dipdata {__version__}' && git push origin v{__version__}", file=sys.stderr)
    return 0


def _print(report: Report, format: str) -> int:
    output = report.render(format)
    if output:
        print(output)
    if format == "text":  # success is the result (`> report.txt` keeps it); a failure's
        # summary goes beside the problems' lines, which stay alone on stdout
        print(report.summary(), file=sys.stdout if report.valid else sys.stderr)
    return 0 if report.valid else 1


if __name__ == "__main__":
    sys.exit(main())
