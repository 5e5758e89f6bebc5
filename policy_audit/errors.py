"""Errors a user can act on. Each message says what is wrong and what to do.

PolicyAuditError
 ├── InputError                 the document cannot be read
 │    ├── EmptyDocumentError     no bytes, or no text at all
 │    ├── UnsupportedFormatError not a PDF, DOCX, HTML, Markdown or text file
 │    ├── CorruptDocumentError   claims a format but does not parse as it
 │    ├── EncryptedDocumentError password-protected PDF
 │    ├── ScannedDocumentError   PDF pages are images: needs OCR
 │    ├── TooLargeError          over a size, page or time limit
 │    ├── NotAPolicyError        never mentions license plate readers (``force`` overrides)
 │    └── AuditAbortedError      the worker scoring it was stopped or died (policy_audit.worker)
 │         ├── DeadlineExceededError  the whole audit took longer than its deadline
 │         └── MemoryExceededError    the audit needed more memory than its cap
 └── RubricError                a rubric file is invalid (names the file and the fix)

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``;
the API maps ``http_status`` to a problem+json response.
"""

from __future__ import annotations


class PolicyAuditError(Exception):
    exit_code = 1
    http_status = 422
    code = "policy-audit-error"


class InputError(PolicyAuditError):
    exit_code = 2
    code = "unreadable-document"


class EmptyDocumentError(InputError):
    code = "empty-document"


class UnsupportedFormatError(InputError):
    http_status = 415
    code = "unsupported-format"


class CorruptDocumentError(InputError):
    code = "corrupt-document"


class EncryptedDocumentError(InputError):
    code = "encrypted-document"


class ScannedDocumentError(InputError):
    code = "scanned-document"


class TooLargeError(InputError):
    http_status = 413
    code = "too-large"


class NotAPolicyError(InputError):
    """Readable, but not about license plate readers: refused unless the user insists."""

    code = "not-an-alpr-policy"


class AuditAbortedError(InputError):
    """The process scoring the document was stopped or died; nothing was saved."""

    code = "audit-aborted"


class DeadlineExceededError(AuditAbortedError):
    code = "deadline-exceeded"


class MemoryExceededError(AuditAbortedError):
    code = "memory-exceeded"


class RubricError(PolicyAuditError):
    exit_code = 3
    http_status = 400
    code = "invalid-rubric"
