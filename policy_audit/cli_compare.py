"""``policy-audit compare`` and ``policy-audit rank``.

Kept apart from ``cli.py`` so that ``--help`` stays light: nothing here imports spaCy, the
pipeline or pydantic at module level; the run functions import what they need.
``add_compare_parser`` and ``add_rank_parser`` add the subcommands (each sets ``handler``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .compare import Version
    from .reference import Reference
    from .rubric import Rubric
    from .worker import AuditResult

    ScoreOne = Callable[[Path, Rubric], AuditResult]

COMPARE_FORMATS = ("text", "json", "markdown", "html")
EXIT_REGRESSED = 1
# Documents the rank command reads from a folder (by suffix; the content decides the format).
POLICY_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


def _limits(parser: argparse.ArgumentParser) -> None:
    from .cli import _megabytes, _seconds

    parser.add_argument("--rubric", "-r", default=None, metavar="RUBRIC",
                        help="shipped rubric (core, comprehensive; default: comprehensive) "
                        "or a rubric folder")
    parser.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                        help="stop scoring a document after SECONDS (default: 60; 0: no limit, "
                        "and no separate process)")
    parser.add_argument("--max-memory", type=_megabytes, default=1024, metavar="MB",
                        help="memory cap of the process scoring a document (default: 1024)")
    parser.add_argument("--output", "-o", type=Path, default=None, metavar="FILE",
                        help="write to this one file instead of standard output")


def add_compare_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare", help="compare versions of a policy (or one draft with the model language)",
        description="Compare two or more versions of a policy, in the order given: each "
        "criterion's level per version (improved, regressed, unchanged) with the deciding "
        "quotes, the overall score, retention, new and resolved conflicts, loopholes and "
        "legal findings, and a section-aligned redline. With one FILE: the draft against "
        "the rubric's model language.")
    compare.set_defaults(handler=run_compare)
    compare.add_argument("files", nargs="+", metavar="FILE",
                         help="PDF, DOCX, HTML, Markdown or text files, oldest first")
    compare.add_argument("--format", "-f", choices=COMPARE_FORMATS, default="text",
                         help="output format (default: text)")
    compare.add_argument("--jurisdiction", "-j", default=None, metavar="XX",
                         help="also compare the state-law findings (e.g. CA, VA)")
    compare.add_argument("--baseline", action="store_true",
                         help="compare every version with the first (current law against "
                         "competing bills) instead of each with the one before it")
    compare.add_argument("--fail-on-regression", action="store_true",
                         help="exit 1 when any criterion or the overall score regressed "
                         "from the first version to the last")
    _limits(compare)


def add_rank_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rank = commands.add_parser(
        "rank", help="place a policy among its peers, per criterion and overall",
        description="Place a policy among a folder of policies (or the shipped reference "
        "set of scored real policies), per criterion and overall, with the percentile of "
        "its score and a chart per criterion (html).")
    rank.set_defaults(handler=run_rank)
    rank.add_argument("file", metavar="FILE", help="the policy to place")
    rank.add_argument("--against", default=None, metavar="DIR",
                      help="a folder of policies to score and compare with, or a reference "
                      "figures file (.json); default: the shipped reference set")
    rank.add_argument("--format", "-f", choices=COMPARE_FORMATS, default="text",
                      help="output format (default: text)")
    _limits(rank)


PARSERS = (add_compare_parser, add_rank_parser)


# --------------------------------------------------------------------------- running


@contextlib.contextmanager
def _scorer(args: argparse.Namespace) -> Iterator[ScoreOne]:
    """Reads and scores documents: in a worker process under --timeout and --max-memory,
    or, with --timeout 0, in this process."""
    from .worker import AuditJob, AuditPool, run_audit

    state = args_jurisdiction(args)
    if not args.timeout:
        yield lambda path, rubric: run_audit(AuditJob(path, None, rubric, state))
        return
    pool = AuditPool(1, deadline=args.timeout, memory_mb=args.max_memory,
                     deadline_hint="--timeout", memory_hint="--max-memory", warm=False)
    with pool:
        yield lambda path, rubric: pool.run(AuditJob(path, None, rubric, state))


def args_jurisdiction(args: argparse.Namespace) -> str | None:
    return getattr(args, "jurisdiction", None)


def _check_files(files: list[str]) -> list[Path]:
    paths = [Path(name) for name in files]
    for path in paths:
        if str(path) == "-":
            raise InputError("compare reads files, not standard input: save each version "
                             "to a file")
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    return paths


def run_compare(args: argparse.Namespace) -> int:
    from .compare import Version, compare_to_model, compare_versions
    from .compare.render import render
    from .rubric import load_rubric

    paths = _check_files(args.files)
    _check_output(args.output, paths)
    rubric = load_rubric(args.rubric)
    if args.jurisdiction:
        from .jurisdiction import load_jurisdiction

        load_jurisdiction(args.jurisdiction)  # an unknown state fails before any reading
    versions: list[Version] = []
    with _scorer(args) as score:
        for path in paths:
            result = score(path, rubric)
            versions.append(Version(result.scorecard, result.source.text, result.source.pages))
    if len(versions) == 1:
        comparison = compare_to_model(versions[0], rubric)
    else:
        comparison = compare_versions(versions, baseline=args.baseline)
    _emit(render(comparison, args.format), args.output)
    if args.fail_on_regression and len(versions) > 1 and (
        comparison.overall.change == "regressed"
        or any(c.change == "regressed" for c in comparison.criteria)
    ):
        regressed = [c.id for c in comparison.criteria if c.change == "regressed"]
        print(f"policy-audit: regressed: {', '.join(regressed) or 'overall score'}",
              file=sys.stderr)
        return EXIT_REGRESSED
    return 0


def run_rank(args: argparse.Namespace) -> int:
    from .rank import load_figures, rank, render
    from .reference import Reference
    from .rubric import load_rubric

    path = _check_files([args.file])[0]
    _check_output(args.output, [path])
    rubric = load_rubric(args.rubric)
    with _scorer(args) as score:
        card = score(path, rubric).scorecard
        if args.against is None:
            peers = Reference.shipped()
        else:
            against = Path(args.against)
            if against.is_file() and against.suffix.lower() == ".json":
                peers = load_figures(against)
            elif against.is_dir():
                peers = _score_folder(against, path, rubric, score)
            else:
                raise InputError(f"{against}: --against needs a folder of policies or a "
                                 "reference figures file (.json)")
    _emit(render(rank(card, peers), args.format), args.output)
    return 0


def _score_folder(folder: Path, exclude: Path, rubric: Rubric, score: ScoreOne) -> Reference:
    from .errors import PolicyAuditError
    from .reference import Reference

    cards = []
    skipped: list[str] = []
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in POLICY_SUFFIXES
                   and p.resolve() != exclude.resolve())
    if not files:
        raise InputError(f"{folder}: no policies (PDF, DOCX, HTML, Markdown, text) in it")
    for file in files:
        try:
            cards.append(score(file, rubric).scorecard)
        except PolicyAuditError as error:  # one unreadable peer does not stop the ranking
            skipped.append(f"{file.name}: {error}")
    for note in skipped:
        print(f"policy-audit: skipped {note}", file=sys.stderr)
    if not cards:
        raise InputError(f"{folder}: none of its documents could be read")
    return Reference.from_scorecards(cards, description=f"{len(cards)} policies in {folder}")


def _check_output(output: Path | None, inputs: list[Path]) -> None:
    if output is None:
        return
    if output.is_dir():
        raise InputError(f"{output}: is a folder; --output takes a file name")
    if output.resolve() in {p.resolve() for p in inputs}:
        raise InputError(f"{output}: --output would overwrite an input file; choose another "
                         "path")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{output}: cannot write ({error.strerror or error})") from None
