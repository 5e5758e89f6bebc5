"""The layering rule: the web service (``api/``) uses only the public ``policy_audit`` API.

Every module under ``api/`` (subpackages and migrations included, and any module added
later) may ``import policy_audit`` or ``from policy_audit import NAME`` where NAME is in
``policy_audit.__all__``; it may not import a submodule (``from policy_audit.worker import
AuditPool``, ``import policy_audit.report``, ``from policy_audit import defaults``). The
engine's modules can then move and change inside the package while the service keeps
working, and a name the service needs is added to ``policy_audit/__init__.py`` (``_PUBLIC``,
``__all__`` and the ``TYPE_CHECKING`` imports) on purpose.

The public names are imported lazily, so ``import policy_audit`` stays cheap (the CLI's
``--version``); the checks below hold that table together.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import policy_audit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "policy_audit"


def violations(source: str, filename: str, public: set[str]) -> list[str]:
    """``file:line: what`` for every import of a policy_audit submodule or private name."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(f"{PACKAGE}."):
                    found.append(f"{filename}:{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith(f"{PACKAGE}."):
                found.append(f"{filename}:{node.lineno}: from {node.module} import ...")
            elif node.module == PACKAGE:
                found.extend(
                    f"{filename}:{node.lineno}: from {PACKAGE} import {alias.name} "
                    "(not in policy_audit.__all__)"
                    for alias in node.names
                    if alias.name not in public
                )
    return found


def test_api_imports_only_the_public_policy_audit_api() -> None:
    files = sorted((ROOT / "api").rglob("*.py"))
    assert len(files) > 10  # the walk found the service's modules
    found = [
        line
        for path in files
        for line in violations(
            path.read_text(encoding="utf-8"),
            str(path.relative_to(ROOT)),
            set(policy_audit.__all__),
        )
    ]
    assert not found, (
        "api/ may import only names in policy_audit.__all__ (add the name to "
        "policy_audit/__init__.py):\n" + "\n".join(found)
    )


def test_the_check_names_file_and_line_of_each_kind_of_violation() -> None:
    source = (
        "import policy_audit\n"
        "from policy_audit import Scorecard\n"
        "from policy_audit.worker import AuditPool\n"
        "import policy_audit.report\n"
        "def f():\n"
        "    from policy_audit import defaults\n"
        "from .routes import links\n"
    )
    assert violations(source, "api/x.py", {"Scorecard"}) == [
        "api/x.py:3: from policy_audit.worker import ...",
        "api/x.py:4: import policy_audit.report",
        "api/x.py:6: from policy_audit import defaults (not in policy_audit.__all__)",
    ]


def test_every_public_name_resolves_and_is_declared_for_type_checkers() -> None:
    table: dict[str, str] = policy_audit._PUBLIC
    assert len(policy_audit.__all__) == len(set(policy_audit.__all__)) == len(table)
    assert set(policy_audit.__all__) == set(table)
    init = ast.parse((ROOT / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    checked = next(
        node for node in init.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    declared = {
        alias.asname or alias.name
        for node in checked.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert declared == set(table)
    for name in table:
        assert getattr(policy_audit, name) is not None, name


def test_no_public_name_is_shadowed_by_a_submodule() -> None:
    # Importing policy_audit.rank sets the package attribute ``rank`` to the module, so a
    # public function of that name would silently turn into a module.
    submodules = {module.name for module in pkgutil.iter_modules(policy_audit.__path__)}
    assert not submodules & set(policy_audit.__all__)


def test_importing_the_package_imports_none_of_its_modules() -> None:
    code = (
        "import sys, policy_audit; "
        "print(sorted(m for m in sys.modules if m.startswith('policy_audit.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
