"""Reading an uploaded photo safely and making its resized renditions (no database here).

`prepare_photo(data)` takes the uploaded bytes and either raises PhotoError with a message
a person can act on, or returns the cleaned original and its renditions as encoded bytes,
ready to be stored by actions.photos.upload_photo. What it guarantees:

- only JPEG, PNG, GIF and WebP are decoded at all (Pillow is told to try no other format,
  so an SVG, a PSD or a file in some rarely used, rarely audited format never reaches a
  decoder);
- the file is at most MAX_UPLOAD_BYTES, its pixel count at most MAX_PIXELS (checked from
  the header, before anything is decompressed), an animation at most MAX_FRAMES frames and
  MAX_ANIMATION_PIXELS pixels in all; Pillow's own decompression bomb limit and its limits
  on compressed text chunks are errors, not warnings;
- the whole image is decoded once, so a truncated or corrupt file is refused at upload,
  not when someone views it;
- the EXIF orientation is applied to the pixels, so the photo stands as it was taken;
- every stored file is re-encoded from the pixels alone: EXIF (camera, GPS position, dates),
  XMP, IPTC, comments and anything appended after the image data are gone. The ICC colour
  profile is kept, because without it colours shift; it says nothing about the person.
- renditions are made at RENDITION_WIDTHS, only those narrower than the original (never
  upscaled). An animated GIF or WebP keeps all its frames in the original and gets no
  renditions: a resized still would not be the same picture.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: any camera photo, no decompression bomb
MAX_FRAMES = 500
MAX_ANIMATION_PIXELS = 200_000_000
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 85  # renditions, also optimised and progressive: they are what readers load
ORIGINAL_JPEG_QUALITY = 92  # the original keeps more detail and is encoded quickly
WEBP_QUALITY = 85
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class PhotoError(ValueError):
    """The upload is not a photo Earful will store; the message says why."""


@dataclass
class EncodedImage:
    content: bytes
    format: str  # one of ALLOWED_FORMATS
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


@dataclass
class PreparedPhoto:
    original: EncodedImage
    renditions: list[EncodedImage] = field(default_factory=list)  # narrowest first
    animated: bool = False


def rendition_widths(width: int) -> list[int]:
    """The rendition widths for an original `width` pixels wide: never wider than it."""
    return [w for w in RENDITION_WIDTHS if w < width]


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Check the uploaded bytes and make the stored original and its renditions."""
    if not data:
        raise PhotoError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(
            f"The file is {_megabytes(len(data))}; photos can be at most "
            f"{_megabytes(MAX_UPLOAD_BYTES)}."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _prepare(data)
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(f"The image has too many pixels to be safe to open ({exc}).") from exc
        except UnidentifiedImageError as exc:
            raise PhotoError(
                "The file is not an image in a format Earful takes (JPEG, PNG, GIF or WebP)."
            ) from exc
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            # Pillow reports corrupt and truncated data with all of these.
            raise PhotoError(
                f"The image is damaged or incomplete and cannot be read ({exc})."
            ) from exc


def _prepare(data: bytes) -> PreparedPhoto:
    # First pass: identify from the header alone and check the size before decoding.
    with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
        source_format = probe.format
        if source_format not in ALLOWED_FORMATS:  # pragma: no cover - formats= ensures it
            raise PhotoError(f"{source_format} images are not taken.")
        _check_size(probe)
        probe.verify()  # checksums and structure, without decoding the pixels

    # verify() leaves the image unusable: open again to decode.
    with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > 1:
            return _prepare_animation(image, source_format, frames)
        image.load()
        icc_profile = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)  # a copy, orientation applied
    clean = _pixels_only(upright)
    original = _encode(clean, source_format, icc_profile, original=True)
    renditions = []
    for width in rendition_widths(clean.width):
        height = max(1, round(clean.height * width / clean.width))
        resized = _resizable(clean).resize((width, height), Image.Resampling.LANCZOS)
        renditions.append(_encode(resized, _rendition_format(source_format), icc_profile))
    return PreparedPhoto(original=original, renditions=renditions)


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoError("The image has no pixels.")
    if width * height > MAX_PIXELS:
        raise PhotoError(
            f"The image is {width}×{height} pixels; photos can have at most "
            f"{MAX_PIXELS // 1_000_000} megapixels."
        )
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES:
        raise PhotoError(f"The animation has {frames} frames; at most {MAX_FRAMES} are taken.")
    if frames * width * height > MAX_ANIMATION_PIXELS:
        raise PhotoError(
            f"The animation has {frames} frames of {width}×{height} pixels, too many to open "
            "safely; make it shorter or smaller."
        )


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy of the image that carries nothing but its pixels (and palette transparency)."""
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")  # CMYK, 16-bit ...
    clean = image.copy()
    transparency = image.info.get("transparency")
    clean.info = {} if transparency is None else {"transparency": transparency}
    return clean


def _resizable(image: Image.Image) -> Image.Image:
    """The image in a mode that resizes smoothly (palettes and 1-bit do not)."""
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode == "1":
        return image.convert("L")
    return image


def _rendition_format(source_format: str) -> str:
    # A resized GIF is no longer a small palette image: PNG keeps it sharp and transparent.
    return "PNG" if source_format == "GIF" else source_format


def _encode(
    image: Image.Image, fmt: str, icc_profile: bytes | None, original: bool = False
) -> EncodedImage:
    options: dict = {}
    if icc_profile and fmt in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc_profile
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        if original:
            options.update(quality=ORIGINAL_JPEG_QUALITY)
        else:
            options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "PNG":
        options.update(optimize=not original)
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        options.update(quality=WEBP_QUALITY, method=4)
    elif fmt == "GIF" and image.mode not in ("P", "L", "1"):
        image = image.convert("P", palette=Image.Palette.ADAPTIVE)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return EncodedImage(buffer.getvalue(), fmt, image.width, image.height)


def _prepare_animation(image: Image.Image, fmt: str, frame_count: int) -> PreparedPhoto:
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        frame.load()
        durations.append(int(frame.info.get("duration") or 100))
        frames.append(_pixels_only(frame.convert("RGBA")))
    first, rest = frames[0], frames[1:]
    buffer = io.BytesIO()
    options: dict = {"save_all": True, "append_images": rest, "duration": durations}
    options["loop"] = int(image.info.get("loop", 0) or 0)
    if fmt == "GIF":
        options["disposal"] = 2
    else:
        options.update(quality=WEBP_QUALITY, method=4)
    first.save(buffer, format=fmt, **options)
    original = EncodedImage(buffer.getvalue(), fmt, first.width, first.height)
    return PreparedPhoto(original=original, renditions=[], animated=True)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- for templates --------------------------------------------------------------------------

DEFAULT_SRC_WIDTH = 960


def _sources(photo) -> list[tuple[str, int]]:
    """(URL, width) of every stored size of the photo, narrowest first, original last."""
    sources = [(r.image.url, r.width) for r in photo.renditions.all() if r.width < photo.width]
    sources.sort(key=lambda source: source[1])
    if photo.image:
        sources.append((photo.image.url, photo.width))
    return sources


def srcset(photo) -> str:
    """The `srcset` attribute value for a Photo: each rendition and the original, by width."""
    return ", ".join(f"{url} {width}w" for url, width in _sources(photo) if width)


def default_src(photo) -> str:
    """The `src` for browsers that ignore srcset: DEFAULT_SRC_WIDTH wide, or the nearest."""
    sources = _sources(photo)
    if not sources:
        return ""
    fitting = [source for source in sources if source[1] <= DEFAULT_SRC_WIDTH]
    return (fitting[-1] if fitting else sources[0])[0]
