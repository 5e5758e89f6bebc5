"""The command line: formats, output files, thresholds, and one-line errors with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policy_audit import __version__
from policy_audit.cli import main

POLICY = (
    "Policy 12 - License Plate Readers\n"
    "12.4 RETENTION\n"
    "Plate reads that are not evidence shall be purged no later than 30 days after capture.\n"
    "12.5 RELEASE\n"
    "ALPR data may be shared only with law enforcement agencies that submit a written request "
    "approved by the Chief, and shall not be sold or given to any private entity.\n"
)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.txt"
    path.write_text(POLICY, encoding="utf-8")
    return path


def test_score_json(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(policy), "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["document"]["name"] == "policy.txt"
    assert card["facts"]["retention_days"] == 30
    levels = {c["id"]: c["level"] for c in card["criteria"]}
    core = {k: levels[k] for k in ("retention", "sharing", "immigration", "reporting")}
    assert core == {"retention": "strong", "sharing": "strong", "immigration": "missing",
                    "reporting": "missing"}
    assert len(levels) >= 18  # the comprehensive rubric is the default


@pytest.mark.parametrize(("fmt", "marker"), [("text", "Overall"),
                                             ("markdown", "ALPR policy scorecard"),
                                             ("html", "<!doctype html>")])
def test_score_formats(policy: Path, capsys: pytest.CaptureFixture[str], fmt: str,
                       marker: str) -> None:
    assert main(["score", str(policy), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert marker in out and "purged no later than 30 days" in out


def test_output_file_and_folder(policy: Path, tmp_path: Path) -> None:
    target = tmp_path / "card.md"
    assert main(["score", str(policy), "-f", "markdown", "-o", str(target)]) == 0
    assert "purged no later than 30 days" in target.read_text(encoding="utf-8")
    second = tmp_path / "other.txt"
    second.write_text(POLICY, encoding="utf-8")
    folder = tmp_path / "cards"
    assert main(["score", str(policy), str(second), "-f", "json", "--output-dir",
                 str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["other.json", "policy.json"]


def test_fail_under(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(policy), "--fail-under", "101"]) == 1
    assert "below 101" in capsys.readouterr().err
    assert main(["score", str(policy), "--fail-under", "10"]) == 0


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class FakeStdin:
        buffer = __import__("io").BytesIO(POLICY.encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    assert main(["score", "-", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["document"]["name"] == "stdin"


def test_stdin_over_the_size_limit_is_refused_without_reading_it_all(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policy_audit.ingest import Limits

    limit = Limits().max_bytes

    class Endless:
        """A stream that never ends; an unbounded read() would never return."""

        given = 0

        def read(self, size: int = -1) -> bytes:
            assert size is not None and size >= 0, "unbounded read of standard input"
            self.given += size
            return b"x" * size

    endless = Endless()

    class FakeStdin:
        buffer = endless

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    assert main(["score", "-", "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "larger than the limit of 20.0 MB" in err
    assert endless.given == limit + 1  # one byte past the limit, no more


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.pdf", "no such file"),
        (b"", "empty.txt", "empty"),
        (b"\x00\x9f\x13junk" * 100, "junk.pdf", "not a PDF"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, name: str,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policy-audit: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_rubric_exit_3(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "my-rubric"
    folder.mkdir()
    manifest = 'id = "mine"\nversion = "1.0"\ntitle = "Mine"\ncolour = 1\n'
    (folder / "rubric.toml").write_text(manifest)
    assert main(["score", str(policy), "--rubric", str(folder)]) == 3
    err = capsys.readouterr().err
    assert "rubric.toml" in err and "colour" in err


def test_internal_errors_are_one_line_unless_debug(
    policy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("policy_audit.pipeline.audit", broken)  # in this process only
    assert main(["score", str(policy), "--timeout", "0"]) == 70
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err
    assert main(["--debug", "score", str(policy), "--timeout", "0"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_schema_and_rubric_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "criteria" in schema["properties"]
    assert main(["rubric"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("comprehensive ") and "retention" in out and "audit_trail" in out
    assert main(["rubric", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "Model language:" in markdown
    assert "## Grades" in markdown and "- **A** from 90: Close to the model language" in markdown


def test_module_entry_point_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "policy_audit", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == f"policy-audit {__version__}"


def test_folder_and_unreadable_file_are_one_line_exit_2(
    policy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["score", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and err.count("\n") == 1

    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == policy:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)  # root can read a chmod 000 file
    # (--timeout 0: read in this process, where the patch applies, not in a worker)
    assert main(["score", str(policy), "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert "permission denied" in err and err.count("\n") == 1 and "Traceback" not in err


def test_output_never_overwrites_an_input(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(policy), "-f", "json", "-o", str(policy)]) == 2
    assert "overwrite an input" in capsys.readouterr().err
    assert policy.read_text(encoding="utf-8") == POLICY


def test_output_folder_keeps_inputs_with_the_same_name_apart(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "policy.txt").write_text(POLICY, encoding="utf-8")
    out = tmp_path / "out"
    files = [str(tmp_path / "a" / "policy.txt"), str(tmp_path / "b" / "policy.txt")]
    assert main(["score", *files, "-f", "html", "--output-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["policy-2.html", "policy.html"]
    single = tmp_path / "single"
    single.mkdir()
    assert main(["score", files[0], "-f", "markdown", "-o", str(single)]) == 0
    assert [p.name for p in single.iterdir()] == ["policy.md"]


def test_several_files_refuse_an_output_file(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "report.json"
    existing.write_text("{}", encoding="utf-8")
    assert main(["score", str(policy), str(policy), "--output-dir", str(existing)]) == 2
    assert "must be a folder" in capsys.readouterr().err
    # -o names one file: with several inputs it is refused, and no folder appears.
    named = tmp_path / "name.md"
    assert main(["score", str(policy), str(policy), "-f", "markdown", "-o", str(named)]) == 2
    err = capsys.readouterr().err
    assert "--output-dir" in err and err.count("\n") == 1
    assert not named.exists()
    assert main(["score", "-", "-"]) == 2
    assert "only once" in capsys.readouterr().err


def test_serve_passes_defaults_to_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    calls: list[dict[str, object]] = []
    fake = types.ModuleType("api.server")
    fake.serve = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "api.server", fake)
    assert main(["serve"]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8000, "workers": 1, "database": None}]
    assert main(["serve", "--port", "9000", "--workers", "3", "--database", "sqlite://"]) == 0
    assert calls[-1] == {"host": "127.0.0.1", "port": 9000, "workers": 3,
                         "database": "sqlite://"}


def test_serve_without_the_service_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "api.server", None)  # import raises ModuleNotFoundError
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("policy-audit: error: ") and err.count("\n") == 1


def test_bad_serve_flags_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "70000"])
    assert exit_info.value.code == 2 and "port" in capsys.readouterr().err


def test_score_stops_at_the_timeout_with_exit_2(capsys):
    # A real audit cannot finish within a millisecond of leaving this process.
    sample = Path(__file__).parents[1] / "sample_policies" / "riverton-pd-policy-462.txt"
    assert main(["score", str(sample), "--timeout", "0.001"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("policy-audit: error: riverton-pd-policy-462.txt: scoring was stopped")
    assert "--timeout" in err


def test_score_timeout_and_memory_are_checked(capsys):
    for bad in (["--timeout", "-1"], ["--timeout", "soon"], ["--max-memory", "64"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["score", "x.txt", *bad])
        assert exit_info.value.code == 2
    assert "256 MB" in capsys.readouterr().err


def test_score_without_a_timeout_runs_in_process(tmp_path, capsys):
    policy = tmp_path / "p.txt"
    policy.write_text("ALPR data shall be purged after thirty (30) days.\n", encoding="utf-8")
    assert main(["score", str(policy), "--timeout", "0", "--format", "json"]) == 0
    assert '"retention_days": 30' in capsys.readouterr().out


def test_help_shows_the_defaults_the_code_uses(capsys: pytest.CaptureFixture[str]) -> None:
    from policy_audit.rubric import load_rubric
    from policy_audit.worker import DEFAULT_DEADLINE

    for command in (["score", "--help"], ["serve", "--help"], ["rubric", "--help"]):
        with pytest.raises(SystemExit):
            main(command)
    out = " ".join(capsys.readouterr().out.split())
    assert f"default: {load_rubric().id})" in out  # the rubric used when none is named
    assert f"(default: {DEFAULT_DEADLINE:g};" in out
    assert "POLICY_AUDIT_DATABASE_URL" in out
    assert "markdown: the whole rubric" in out


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["score", "--help"],
                                  ["serve", "--help"], ["rubric", "--help"],
                                  ["schema", "--help"], ["jurisdictions", "--help"]])
def test_version_and_help_do_not_load_the_engine(argv: list[str]) -> None:
    # In a fresh interpreter: the modules named here take a second to import.
    code = ("import sys\nfrom policy_audit.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('spacy', 'pydantic', 'fastapi', 'api', 'policy_audit.pipeline',"
            " 'policy_audit.models') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out
