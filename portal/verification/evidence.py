"""Evidence files: uploaded by a member into their portal's private evidence collection,
read only through the scoped views of this app (never through ``/documents/``: see
``wagtail_hooks.py``), never linked from a page, so never in a static copy or in search."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse
from wagtail.documents import get_document_model
from wagtail.models import Collection

# What a file must start with to be what its name says.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
MAX_FILES = 5


def max_bytes() -> int:
    return getattr(settings, "VERIFICATION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def check_upload(upload: UploadedFile) -> str:
    """The file's type (its extension), or ValidationError for a file too big, of another
    type, or whose content is not what its name says."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in SIGNATURES:
        raise ValidationError(f"{upload.name}: send a PDF, PNG or JPEG file.")
    if upload.size > max_bytes():
        raise ValidationError(f"{upload.name}: at most {max_bytes() // (1024 * 1024)} MB a file.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(f"{upload.name}: the file is not a {extension.upper()} file.")
    return extension


def store(upload: UploadedFile, collection: Collection, user, title: str):
    """A document in ``collection`` holding ``upload``, under an unguessable file name."""
    extension = check_upload(upload)
    document = get_document_model()(title=title[:255], collection=collection)
    document.uploaded_by_user = user
    document.file.save(f"evidence-{secrets.token_urlsafe(24)}.{extension}", upload, save=False)
    document.save()
    return document


def download(document) -> HttpResponse:
    """The file, as an attachment nobody caches."""
    response = FileResponse(document.file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = f'attachment; filename="{PurePath(document.file.name).name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def evidence_collection_ids() -> set[int]:
    """The collections that hold evidence, of every portal."""
    from .models import Verifiers

    return set(
        Verifiers.objects.filter(collection__isnull=False).values_list("collection_id", flat=True)
    )
