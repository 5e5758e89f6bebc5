"""Read the documents of a job out of a zip archive, treating the archive as hostile.

Each member is one document. What is refused is refused per document (too large,
encrypted, a compression method Python cannot read), so one bad member does not sink the
job; only an archive that cannot be opened at all, or that holds more documents or more
uncompressed bytes than a job may, refuses the whole request.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO

from .job_service import JobItem
from .problems import Problem

# Zip members that are not documents: folders and the metadata some archivers add.
SKIPPED_PREFIXES = ("__MACOSX/",)


def is_document(info: zipfile.ZipInfo) -> bool:
    if info.is_dir() or info.filename.startswith(SKIPPED_PREFIXES):
        return False
    base = info.filename.rsplit("/", 1)[-1]
    return bool(base) and not base.startswith(".")  # .DS_Store, ._resource forks


def read_archive(
    file: IO[bytes],
    *,
    archive_name: str,
    max_items: int,
    max_document_bytes: int,
    max_total_bytes: int,
) -> Iterator[JobItem]:
    """The documents in the archive, in archive order. Raises ``Problem`` when the archive
    cannot be read (422), or is over ``max_items`` / ``max_total_bytes`` (413)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Problem(
            422,
            f"{archive_name}: not a readable zip archive; send a .zip file, or the "
            "documents as separate 'files' parts.",
            code="unreadable-archive",
        ) from None
    with archive:
        members = [info for info in archive.infolist() if is_document(info)]
        if len(members) > max_items:
            raise Problem(
                413,
                f"{archive_name} holds {len(members)} documents; the job has room for "
                f"{max_items} (POLICY_AUDIT_MAX_JOB_ITEMS). Split it into several jobs.",
                code="too-many-documents",
            )
        total = 0
        for info in members:
            name = info.filename
            if info.flag_bits & 0x1:
                yield JobItem(name, _refusal(422, f"{name}: encrypted in the archive; "
                                             "send it unencrypted", "encrypted-document"))
                continue
            if info.file_size > max_document_bytes:
                yield JobItem(name, _too_large(name, max_document_bytes))
                continue
            try:
                with archive.open(info) as member:
                    # The header's size may lie: never read more than the limit allows.
                    data = member.read(max_document_bytes + 1)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
                yield JobItem(name, _refusal(422, f"{name}: could not be extracted from the "
                                             f"archive ({exc})", "unreadable-document"))
                continue
            if len(data) > max_document_bytes:
                yield JobItem(name, _too_large(name, max_document_bytes))
                continue
            total += len(data)
            if total > max_total_bytes:
                raise Problem(
                    413,
                    f"{archive_name} unpacks to more than {max_total_bytes:,} bytes, the "
                    "limit of one job (POLICY_AUDIT_MAX_JOB_MB); split it into several jobs.",
                    code="too-large",
                )
            yield JobItem(name, data)


def _refusal(status: int, detail: str, code: str) -> Problem:
    return Problem(status, detail, code=code)


def _too_large(name: str, limit: int) -> Problem:
    return Problem(413, f"{name}: larger than the limit of {limit:,} bytes", code="too-large")
