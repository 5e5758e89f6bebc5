"""Every regular expression the package compiles, with where it was compiled.

    python -m tests.regex_census          # prints JSON: [{"pattern", "flags", "where"}, ...]

Run in a fresh process (``tests/test_regex_safety.py`` does): ``re``'s compile entry point
is wrapped *before* ``policy_audit`` is imported, then every module of the package is
imported (module-level patterns), every bundled rubric, loophole and state is loaded
(patterns kept as data), and each sample policy is audited under each rubric and state
(patterns built or used inline on the hot path). A pattern is recorded when the code that
asked for it lives in ``policy_audit/`` or ``api/``.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("policy_audit", "api")
_RE_FILES = {str(Path(re.__file__).parent)}

found: dict[tuple[str | bytes, int], str] = {}
_original = re._compile  # type: ignore[attr-defined]


def _where() -> str | None:
    frame = sys._getframe(2)
    while frame is not None and str(Path(frame.f_code.co_filename).parent) in _RE_FILES:
        frame = frame.f_back
    if frame is None:
        return None
    path = Path(frame.f_code.co_filename).resolve()
    try:
        relative = path.relative_to(ROOT)
    except ValueError:
        return None
    if relative.parts[0] not in PACKAGES:
        return None
    return f"{relative.as_posix()}:{frame.f_lineno}"


def _recording_compile(pattern: object, flags: int | re.RegexFlag = 0) -> re.Pattern:
    compiled = _original(pattern, flags)
    if isinstance(pattern, str | bytes):
        where = _where()
        if where is not None:
            found.setdefault((pattern, int(compiled.flags)), where)
    return compiled


def census() -> list[dict[str, object]]:
    re._compile = _recording_compile  # type: ignore[attr-defined]
    try:
        sys.path.insert(0, str(ROOT))
        for package in PACKAGES:
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, f"{package}."):
                # __main__ runs the command line, migrations run under Alembic only.
                if not info.name.endswith("__main__") and ".migrations" not in info.name:
                    importlib.import_module(info.name)
        _exercise()
    finally:
        re._compile = _original  # type: ignore[attr-defined]
    _literal_patterns()
    return [
        {"pattern": p.decode("latin-1") if isinstance(p, bytes) else p,
         "bytes": isinstance(p, bytes), "flags": f, "where": w}
        for (p, f), w in sorted(found.items(), key=lambda item: (item[1], repr(item[0])))
    ]


_RE_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn",
             "split"}


def _literal_patterns() -> None:
    """Patterns written inline (``re.search(r"...", text)``) on paths the samples did not
    take: read from the source, with the flags written next to them."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                        and node.func.attr in _RE_CALLS and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str | bytes)):
                    continue
                flags = 0
                for flag in ast.walk(ast.Module(body=[ast.Expr(a) for a in node.args[1:]]
                                                + [ast.Expr(k.value) for k in node.keywords],
                                                type_ignores=[])):
                    if isinstance(flag, ast.Attribute) and hasattr(re, flag.attr) and isinstance(
                            getattr(re, flag.attr), re.RegexFlag):
                        flags |= int(getattr(re, flag.attr))
                where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                found.setdefault((node.args[0].value, flags), where)


def _exercise() -> None:
    from policy_audit.ingest import read_document
    from policy_audit.jurisdiction import available
    from policy_audit.loopholes import library
    from policy_audit.pipeline import audit_text

    library()
    states = available()
    samples = sorted(
        path for path in (ROOT / "sample_policies").rglob("*")
        if path.suffix in {".txt", ".md", ".html", ".pdf", ".docx"} and path.name != "README.md"
    )
    for path in samples:
        source = read_document(path)
        for rubric in ("comprehensive", "core"):
            audit_text(source, rubric)
        for state in states:
            audit_text(source, "comprehensive", jurisdiction=state)


if __name__ == "__main__":
    json.dump(census(), sys.stdout, indent=1)
