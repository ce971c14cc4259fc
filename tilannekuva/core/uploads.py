"""The one check of an uploaded document (evidence of a follow-up report, a grant application's attachment, an
agreement of the register): its type by name and by content, and its size within `FOLLOWUP_MAX_UPLOAD_MB`."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# What a council's minutes, a plan, an agreement or a table come as. Checked by name and by content.
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
    ".csv": (),
}


class DocumentRefused(ValueError):
    """An uploaded document is not accepted; the message says why, in the user's language."""


def max_upload_bytes() -> int:
    return int(settings.FOLLOWUP_MAX_UPLOAD_MB) * 1024 * 1024


def check_document(upload: UploadedFile) -> None:
    """Refuse (DocumentRefused) a file of a type not accepted, over the size limit, or whose content does not
    match its name."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        allowed = ", ".join(sorted(DOCUMENT_TYPES))
        raise DocumentRefused(
            _("The file type %(type)s is not accepted. Accepted: %(allowed)s.")
            % {"type": suffix or _("(none)"), "allowed": allowed}
        )
    if upload.size is not None and upload.size > max_upload_bytes():
        raise DocumentRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_upload_bytes() // 1024 // 1024}
        )
    head = upload.read(16)
    upload.seek(0)
    signatures = DOCUMENT_TYPES[suffix]
    if signatures and not any(head.startswith(s) for s in signatures):
        raise DocumentRefused(_("The file's content does not match its name %(name)s.") % {"name": upload.name})
