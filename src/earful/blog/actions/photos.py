"""Photos: upload (checked, cleaned, resized) and delete, files and rows together."""

from __future__ import annotations

import contextlib
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .. import photos as images
from ..models import Photo, PhotoRendition
from ..photos import EncodedImage, PhotoError, prepare_photo

MAX_ALT = 300
MAX_CAPTION = 500
WRITE_POSTS = "accounts.write_posts"

__all__ = ["PhotoError", "delete_photo", "upload_photo"]


def _may_write(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(WRITE_POSTS))


def _read_upload(file) -> bytes:
    """The uploaded bytes, refusing an oversize file before it is read into memory."""
    limit = images.MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise PhotoError(
            f"The file is {size / 1048576:.1f} MB; photos can be at most {limit / 1048576:.1f} MB."
        )
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    data = file.read(limit + 1)
    if not isinstance(data, bytes):
        raise PhotoError("The upload is not a file.")
    if len(data) > limit:
        raise PhotoError(f"Photos can be at most {limit / 1048576:.1f} MB.")
    return data


def _one_line(value: str, limit: int, what: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise PhotoError(f"The {what} is {len(value)} characters; at most {limit} are taken.")
    return value


def upload_photo(file, user, alt: str = "", caption: str = "") -> Photo:
    """Store an uploaded photo and its renditions; PhotoError says why an upload is refused.

    `file` is an uploaded file (or any binary file object). The user must be allowed to
    write posts. Nothing is stored unless everything is: files written before a failure
    are removed again.
    """
    if not _may_write(user):
        raise PermissionDenied("Only people who write posts may upload photos.")
    alt = _one_line(alt, MAX_ALT, "alternative text")
    caption = _one_line(caption, MAX_CAPTION, "caption")
    prepared = prepare_photo(_read_upload(file))  # all checks and resizing, before storing

    stem = uuid.uuid4().hex
    original = prepared.original
    photo = Photo(
        width=original.width,
        height=original.height,
        alt=alt,
        caption=caption,
        uploaded_by=user,
    )
    written: list[str] = []
    try:
        photo.image.save(f"{stem}.{original.extension}", ContentFile(original.content), save=False)
        written.append(photo.image.name)
        renditions = []
        for encoded in prepared.renditions:
            renditions.append(_rendition(photo, stem, encoded))
            written.append(renditions[-1].image.name)
        with transaction.atomic():
            photo.save()
            for rendition in renditions:
                rendition.photo = photo
            PhotoRendition.objects.bulk_create(renditions)
    except BaseException:
        for name in written:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        raise
    return photo


def _rendition(photo: Photo, stem: str, encoded: EncodedImage) -> PhotoRendition:
    rendition = PhotoRendition(photo=photo, width=encoded.width, height=encoded.height)
    name = f"{stem}-{encoded.width}w.{encoded.extension}"
    rendition.image.save(name, ContentFile(encoded.content), save=False)
    return rendition


def delete_photo(photo: Photo, user) -> None:
    """Delete a photo, its renditions and their files (posts using it lose their cover)."""
    if not _may_write(user):
        raise PermissionDenied("Only people who write posts may delete photos.")
    names = [photo.image.name] if photo.image else []
    names += [r.image.name for r in photo.renditions.all() if r.image]
    storage = photo.image.storage

    def remove_files() -> None:
        for name in names:
            with contextlib.suppress(OSError):
                storage.delete(name)

    with transaction.atomic():
        photo.delete()
        transaction.on_commit(remove_files)
