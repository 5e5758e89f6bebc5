"""Defaults that the code and the command's help text both read, from one place.

Deliberately free of imports from the rest of the package (no pydantic, no spaCy), so that
``policy-audit --help`` and ``--version`` can show them without loading the engine.
"""

from __future__ import annotations

BUILTIN_RUBRICS: tuple[str, ...] = ("comprehensive", "core")
DEFAULT_RUBRIC = "comprehensive"

# Report formats of ``score --format`` (the renderers live in ``policy_audit.report``).
REPORT_FORMATS: tuple[str, ...] = ("json", "markdown", "text", "html")
DEFAULT_FORMAT = "text"
RUBRIC_FORMATS: tuple[str, ...] = ("text", "json", "markdown")

# One audit in a worker process: its deadline and the memory cap of the process.
DEFAULT_DEADLINE = 60.0  # seconds for the whole audit of one document
DEFAULT_MEMORY_MB = 1024  # address space of one worker process
MIN_MEMORY_MB = 256  # the language pipeline does not start in less

# The web service.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_SERVE_WORKERS = 1
DEFAULT_DATABASE_URL = "sqlite:///./policy-audit.db"
DATABASE_ENV: tuple[str, ...] = ("POLICY_AUDIT_DATABASE_URL", "DATABASE_URL")  # first wins
