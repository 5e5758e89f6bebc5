"""The ``policy-audit`` command.

Errors a user can fix are one line on stderr (``policy-audit: error: …``) and a non-zero
exit code; a traceback is shown only for a bug, and only with ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from . import __version__, defaults
from .errors import InputError, PolicyAuditError, RubricError

# Not ``typing.TYPE_CHECKING``: importing typing alone costs a noticeable part of a
# ``--help``; type checkers treat this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from .models import Scorecard
    from .rubric import Rubric

    # What ``add_subparsers`` returns: each subcommand's parser function adds to it.
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

    # (document, name, rubric, jurisdiction) -> scorecard
    AuditOne = Callable[[Path | bytes, str | None, Rubric, str | None], Scorecard]

# Nothing above imports pydantic, spaCy or the API (nor json, textwrap, traceback or
# typing): ``--version`` and every ``--help`` are answered from argparse alone. Commands
# import what they need when they run.

EXIT_BELOW_THRESHOLD = 1
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
_SUFFIXES = {
    "json": ".json", "markdown": ".md", "text": ".txt", "html": ".html", "amendments": ".md",
}



def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-audit",
        description="Score an ALPR usage and privacy policy, clause by clause, with evidence.",
    )
    parser.add_argument("--version", action="version",
                        version=f"policy-audit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from .cli_compare import PARSERS as compare_parsers  # compare, rank (light to import)

    for add in (*SUBCOMMANDS, *compare_parsers):
        add(commands)
    return parser


def add_score_parser(commands: Subcommands) -> None:
    score = commands.add_parser("score", help="score one or more policies",
                                description="Score one or more policies.")
    score.set_defaults(handler=_score)
    score.add_argument("files", nargs="+", metavar="FILE",
                       help="PDF, DOCX, HTML, Markdown or text file; '-' reads standard input")
    score.add_argument("--format", "-f", choices=defaults.REPORT_FORMATS,
                       default=defaults.DEFAULT_FORMAT,
                       help=f"output format (default: {defaults.DEFAULT_FORMAT})")
    score.add_argument("--rubric", "-r", default=None, metavar="RUBRIC",
                       help=f"shipped rubric ({', '.join(defaults.BUILTIN_RUBRICS)}; default: "
                       f"{defaults.DEFAULT_RUBRIC}) or a rubric folder")
    output = score.add_mutually_exclusive_group()
    output.add_argument("--output", "-o", type=Path, default=None, metavar="FILE",
                        help="write the report of the one FILE to this file")
    output.add_argument("--output-dir", type=Path, default=None, metavar="FOLDER",
                        help="write one report per input into FOLDER (created if needed)")
    score.add_argument("--fail-under", type=float, default=None, metavar="SCORE",
                       help="exit 1 if any overall score is below SCORE (0-100)")
    score.add_argument("--jurisdiction", "-j", default=None, metavar="XX",
                       help="also check a state's ALPR statutes (e.g. CA, VA, MN); "
                       "`policy-audit jurisdictions` lists them")
    score.add_argument("--amendments", action="store_true",
                       help="print the requested amendments (Markdown) instead of the scorecard")
    score.add_argument("--timeout", type=_seconds, default=defaults.DEFAULT_DEADLINE,
                       metavar="SECONDS",
                       help=f"stop scoring a document after SECONDS (default: "
                       f"{defaults.DEFAULT_DEADLINE:g}; 0: no limit, and no separate process)")
    score.add_argument("--max-memory", type=_megabytes, default=defaults.DEFAULT_MEMORY_MB,
                       metavar="MB",
                       help=f"memory cap of the process scoring a document (default: "
                       f"{defaults.DEFAULT_MEMORY_MB}, at least {defaults.MIN_MEMORY_MB})")
    score.add_argument("--force", action="store_true",
                       help="score a document even if it never mentions license plate "
                       "readers (otherwise refused with exit 2)")
    score.add_argument("--progress", action="store_true",
                       help="report OCR progress on stderr (default: only on a terminal)")


def add_schema_parser(commands: Subcommands) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of a scorecard",
                                 description="Print the JSON Schema of a scorecard.")
    schema.set_defaults(handler=_schema)


def add_jurisdictions_parser(commands: Subcommands) -> None:
    states = commands.add_parser(
        "jurisdictions", help="list the states whose ALPR laws are encoded",
        description="List the states whose ALPR laws are encoded (for score --jurisdiction).",
    )
    states.set_defaults(handler=_jurisdictions)


def add_rubric_parser(commands: Subcommands) -> None:
    rubric = commands.add_parser("rubric", help="list the criteria of a rubric",
                                 description="Show a rubric: its criteria, or all of it.")
    rubric.set_defaults(handler=_rubric)
    rubric.add_argument("--rubric", "-r", default=None, metavar="RUBRIC",
                        help=f"shipped rubric ({', '.join(defaults.BUILTIN_RUBRICS)}; default: "
                        f"{defaults.DEFAULT_RUBRIC}) or a rubric folder")
    rubric.add_argument("--format", "-f", choices=defaults.RUBRIC_FORMATS, default="text",
                        help="text: the criteria and their questions; json: the rubric as "
                        "data; markdown: the whole rubric as documentation (default: text)")
    rubric.add_argument("--check", action="store_true",
                        help="score the rubric's own examples and near misses; exit 3 if "
                        "any does not earn its level")
    rubric.add_argument("--cues", action="store_true",
                        help="list the cues state files may name (detectors, elements, "
                        "loopholes) and the recipient kinds, with their meanings")


def add_serve_parser(commands: Subcommands) -> None:
    serve = commands.add_parser("serve", help="run the web service and JSON API",
                                description="Run the web pages and the JSON API.")
    serve.set_defaults(handler=_serve)
    serve.add_argument("--host", default=defaults.DEFAULT_HOST,
                       help=f"address to listen on (default: {defaults.DEFAULT_HOST}"
                       + (", this machine only)" if defaults.DEFAULT_HOST == "127.0.0.1"
                          else ")"))
    serve.add_argument("--port", type=_port, default=defaults.DEFAULT_PORT,
                       help=f"default: {defaults.DEFAULT_PORT}")
    serve.add_argument("--workers", type=_positive, default=defaults.DEFAULT_SERVE_WORKERS,
                       help=f"uvicorn worker processes (default: "
                       f"{defaults.DEFAULT_SERVE_WORKERS})")
    env = ", else ".join(defaults.DATABASE_ENV)
    serve.add_argument("--database", default=None, metavar="URL",
                       help=f"database URL (default: {env}, else "
                       f"{defaults.DEFAULT_DATABASE_URL})")



def add_worker_parser(commands: Subcommands) -> None:
    worker = commands.add_parser("worker", help="score the service's queued large-batch jobs",
                                 description="Score the large-batch jobs queued in the "
                                 "service's database (POST /api/v1/jobs).")
    worker.set_defaults(handler=_worker)
    env = ", else ".join(defaults.DATABASE_ENV)
    worker.add_argument("--database", default=None, metavar="URL",
                        help=f"the service's database URL (default: {env}, else "
                        f"{defaults.DEFAULT_DATABASE_URL})")
    worker.add_argument("--concurrency", type=_positive, default=None, metavar="N",
                        help="documents scored at once (default: POLICY_AUDIT_WORKERS, else "
                        "the number of cores)")


# One function per subcommand: another module can append its own (``compare``, ``rank``).
SUBCOMMANDS: list[Callable[[Subcommands], None]] = [
    add_score_parser,
    add_schema_parser,
    add_jurisdictions_parser,
    add_rubric_parser,
    add_serve_parser,
    add_worker_parser,
]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def _megabytes(value: str) -> int:
    number = _positive(value)
    if number < defaults.MIN_MEMORY_MB:
        raise argparse.ArgumentTypeError(
            f"{value!r}: the language pipeline needs {defaults.MIN_MEMORY_MB} MB or more")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} must be 0 (no limit) or more")
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _tolerate_narrow_terminals()
    try:
        return _run(args)
    except PolicyAuditError as error:
        _error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `policy-audit score x.pdf | head`: stop quietly
        _silence_stdout()
        return 0
    except Exception as error:  # a bug: say so plainly, and keep the traceback for --debug
        if args.debug:
            import traceback

            traceback.print_exc()
        _error(f"internal error: {type(error).__name__}: {error} (please report it; run with "
               "--debug for the traceback)", kind="")
        return EXIT_INTERNAL


def _tolerate_narrow_terminals() -> None:
    """A console that cannot show “ or § (cp1252, ASCII) gets "?" instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _error(message: str, kind: str = "error: ") -> None:
    print(f"policy-audit: {kind}{' '.join(message.split())}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


def _schema(args: argparse.Namespace) -> int:
    import json

    from .models import Scorecard

    print(json.dumps(Scorecard.model_json_schema(), indent=2))
    return 0


def _score(args: argparse.Namespace) -> int:
    if args.files.count("-") > 1:
        raise InputError("'-' (standard input) can be given only once")
    # The worker process starts first: it loads the language pipeline while this one
    # checks the rubric and the state.
    with _auditor(args) as audit_one:
        from .report import render
        from .rubric import load_rubric

        rubric = load_rubric(args.rubric)  # validate once, before reading any document
        if args.jurisdiction:
            from .jurisdiction import load_jurisdiction

            load_jurisdiction(args.jurisdiction)  # an unknown state fails before any reading
        fmt = "amendments" if args.amendments else args.format
        targets = _targets(args.files, args.output, args.output_dir, fmt)
        cards: list[Scorecard] = []
        for name, target in zip(args.files, targets, strict=True):
            if name == "-":
                card = audit_one(read_stdin(), "stdin", rubric, args.jurisdiction)
            else:
                card = audit_one(Path(name), None, rubric, args.jurisdiction)
            cards.append(card)
            _emit(render(card, fmt), target)
    if args.fail_under is not None:
        below = [c for c in cards if c.overall.score < args.fail_under]
        for card in below:
            _error(f"{card.document.name}: overall score {card.overall.score:g} is below "
                   f"{args.fail_under:g}", kind="")
        if below:
            return EXIT_BELOW_THRESHOLD
    return 0


def read_stdin(limit: int | None = None) -> bytes:
    """Standard input, up to the file-size limit: a bounded read, so an endless or huge
    stream is refused after ``limit + 1`` bytes instead of filling memory first."""
    from .errors import TooLargeError
    from .ingest.limits import Limits, megabytes

    limit = Limits().max_bytes if limit is None else limit
    stream = sys.stdin.buffer
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TooLargeError(
            f"stdin: the document on standard input is larger than the limit of "
            f"{megabytes(limit)}"
        )
    return b"".join(chunks)


@contextlib.contextmanager
def _auditor(args: argparse.Namespace) -> Iterator[AuditOne]:
    """Audits one document at a time: in a worker process under the --timeout deadline and
    the --max-memory cap, or, with --timeout 0, in this process without limits."""
    show_progress = args.progress or sys.stderr.isatty()
    if not args.timeout:
        from .ingest.ocr import print_progress
        from .pipeline import audit

        progress = print_progress if show_progress else None
        yield lambda source, name, rubric, state: audit(
            source, name=name, rubric=rubric, jurisdiction=state, progress=progress,
            force=args.force,
        )
        return
    from .worker import AuditJob, AuditPool

    pool = AuditPool(1, deadline=args.timeout, memory_mb=args.max_memory,
                     deadline_hint="--timeout", memory_hint="--max-memory", warm=False)
    with pool:
        # The worker shares this process's stderr: it prints OCR progress itself.
        yield lambda source, name, rubric, state: pool.run(
            AuditJob(source, name, rubric, state, progress=show_progress, force=args.force)
        ).scorecard


def _emit(output: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(output)
        sys.stdout.flush()
    else:
        _write(target, output)


def _targets(files: list[str], output: Path | None, output_dir: Path | None,
             fmt: str) -> list[Path | None]:
    """Where each input's report goes: stdout (None), the --output file, or one file per input
    in the --output-dir folder. Refuses, before any work, to overwrite an input."""
    if output is None and output_dir is None:
        return [None] * len(files)
    if output is not None and len(files) > 1:
        raise InputError(f"--output names one file but {len(files)} inputs were given; use "
                         "--output-dir FOLDER to write one report per input")
    targets: list[Path] = []
    if output_dir is None:
        assert output is not None
        # An existing folder given as --output: the report goes into it, named after the input.
        folder = output if output.is_dir() else None
        targets = [output] if folder is None else [folder / _report_name(files[0], fmt)]
    else:
        if output_dir.exists() and not output_dir.is_dir():
            raise InputError(f"{output_dir}: --output-dir must be a folder, not a file")
        taken: set[str] = set()
        for name in files:
            stem = _report_name(name, fmt).removesuffix(_SUFFIXES[fmt])
            candidate, number = stem, 1
            while candidate.lower() in taken:  # a/policy.pdf and b/policy.pdf both stay
                number += 1
                candidate = f"{stem}-{number}"
            taken.add(candidate.lower())
            targets.append(output_dir / (candidate + _SUFFIXES[fmt]))
    inputs = {Path(name).resolve() for name in files if name != "-"}
    for target in targets:
        if target.resolve() in inputs:
            raise InputError(f"{target}: --output would overwrite an input file; "
                             "choose another path")
    if output_dir is not None:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"{output_dir}: cannot create folder "
                             f"({error.strerror or error})") from None
    return list(targets)


def _report_name(name: str, fmt: str) -> str:
    stem = "stdin" if name == "-" else (Path(name).stem or "policy")
    return stem + _SUFFIXES[fmt]


def _write(target: Path, output: str) -> None:
    try:
        target.write_text(output, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{target}: cannot write ({error.strerror or error})") from None


def _rubric(args: argparse.Namespace) -> int:
    import textwrap

    from .rubric import load_rubric

    if args.cues:
        return _cues(args.format)
    rubric = load_rubric(args.rubric)
    if args.check:
        return _check_rubric(rubric)
    if args.format == "json":
        print(rubric.model_dump_json(indent=2))
        return 0
    if args.format == "markdown":
        from .rubric_docs import rubric_markdown

        print(rubric_markdown(rubric), end="")
        return 0
    print(f"{rubric.id} {rubric.version}: {rubric.title}")
    for c in rubric.criteria:
        print(f"\n  {c.id} (weight {c.weight:g}): {c.title}")
        print(textwrap.fill(c.question, 96, initial_indent="    ", subsequent_indent="    "))
    return 0


def _check_rubric(rubric: Rubric) -> int:
    from .rubric_check import overlaps, problems

    found = problems(rubric)
    for problem in found:
        _error(problem, kind="")
    for overlap in overlaps(rubric):
        _error(overlap, kind="warning: ")
    cases = sum(len(c.examples) + len(c.near_misses) for c in rubric.criteria)
    print(f"{rubric.id} {rubric.version}: {cases - len(found)} of {cases} examples and near "
          "misses score as the rubric says")
    return RubricError.exit_code if found else 0


def _cues(fmt: str) -> int:
    import json

    from .cues import RECIPIENT_KINDS
    from .jurisdiction import cue_vocabulary

    cues = cue_vocabulary()
    if fmt == "json":
        print(json.dumps({"cues": cues, "recipient_kinds": RECIPIENT_KINDS}, indent=2))
        return 0
    bullet = "- `{}`: {}" if fmt == "markdown" else "  {:<44} {}"
    print("Cues (name them in violated_by, satisfied_by, falls_short_by, reasons):")
    print("\n".join(bullet.format(cue, meaning) for cue, meaning in sorted(cues.items())))
    print("\nRecipient kinds (cue[kind+kind]: the clause must name them all):")
    print("\n".join(bullet.format(kind, meaning) for kind, meaning in RECIPIENT_KINDS.items()))
    return 0


def _jurisdictions(args: argparse.Namespace) -> int:
    from .jurisdiction import available, load_jurisdiction

    for code in available():
        state = load_jurisdiction(code)
        unverified = sum(not r.verified for r in state.requirements)
        note = f" ({unverified} unverified)" if unverified else ""
        print(f"{code.upper()}  {state.name}: {len(state.requirements)} requirements{note}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        from api.server import serve
    except ModuleNotFoundError as error:
        if error.name in ("api", "api.server"):
            raise PolicyAuditError("the web service (api.server) is not installed in this "
                                   "build") from None
        raise PolicyAuditError(f"the web service needs the {error.name!r} package; "
                               "install policy-audit with its dependencies") from None
    serve(host=args.host, port=args.port, workers=args.workers, database=args.database)
    return 0


def _worker(args: argparse.Namespace) -> int:
    try:
        from api.job_queue import WorkerAlreadyRunning
        from api.job_worker import run_worker
    except ModuleNotFoundError as error:
        raise PolicyAuditError(f"the job worker needs the {error.name!r} package; install "
                               "policy-audit with its dependencies") from None
    from sqlalchemy.exc import OperationalError

    try:
        run_worker(database=args.database, concurrency=args.concurrency)
    except (WorkerAlreadyRunning, ValueError) as error:
        raise _WorkerSetupError(str(error)) from None
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise _WorkerSetupError(f"cannot reach the database ({reason}); check --database or "
                                "POLICY_AUDIT_DATABASE_URL") from None
    return 0


class _WorkerSetupError(PolicyAuditError):
    exit_code = 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
