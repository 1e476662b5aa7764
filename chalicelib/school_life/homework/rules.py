"""Homework's rules, pure: the due date against Casablanca's today, what a document may be
(PDF, JPEG or PNG by its first bytes, its name's extension telling the same kind), how many."""

from __future__ import annotations

from datetime import date

MAX_DOCUMENTS = 3
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024  # 5 MB a document
HEAD_BYTES = 16  # what is read of a document to know its kind

_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
_EXTENSIONS = {"pdf": ("pdf",), "jpeg": ("jpg", "jpeg"), "png": ("png",)}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def due_problem(due: date, today: date) -> str | None:
    """A due date is today (Casablanca's) or later."""
    return "in_the_past" if due < today else None


def kind_of(head: bytes) -> str | None:
    """ "pdf", "jpeg" or "png" from a file's first bytes; None for anything else."""
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def name_kind(name: str) -> str | None:
    """The kind a file's name announces by its extension (None when it announces none of ours)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((kind for kind, names in _EXTENSIONS.items() if extension in names), None)


def document_problem(head: bytes, size: int, name: str) -> str | None:
    """None for an acceptable document, else its field problem code: too large, not a PDF,
    JPEG or PNG by its content, or named as another kind than its content (a PNG named .pdf)."""
    if size > DOCUMENT_MAX_BYTES:
        return "document_too_large"
    kind = kind_of(head)
    if kind is None:
        return "document_not_pdf_jpeg_or_png"
    if name_kind(name) != kind:
        return "document_name_mismatch"
    return None


def bounds(today: date, past: bool) -> tuple[str, str]:
    """The sort keys' range (`HOMEWORK#<due>#<id>`, both ends included) of the homework due
    today or later, or (`past`) of the homework due before today."""
    if past:
        return "HOMEWORK#", f"HOMEWORK#{today.isoformat()}"
    return f"HOMEWORK#{today.isoformat()}", "HOMEWORK#\uffff"
