"""Photo uploads: only real images are stored, cleaned of metadata, upright, with renditions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image, ImageCms, PngImagePlugin

from earful.blog import photos as images
from earful.blog.actions.photos import PhotoError, delete_photo, upload_photo
from earful.blog.models import Photo, PhotoRendition


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_URL = "/media/"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(db, django_user_model):
    """A user holding the given console roles (no password: hashing one is slow)."""
    from earful.accounts.actions import set_roles

    def make(role: str):
        user = django_user_model.objects.create_user(f"a-{role}")
        set_roles(user, [role])
        return user

    return make


@pytest.fixture
def author(person):
    return person("author")


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def open_stored(field) -> Image.Image:
    with field.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
        return image


def camera_jpeg(width: int = 2000, height: int = 1500, orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF with camera, GPS position and orientation."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((200, 0, 0), (0, 0, width // 2, height))  # left half red, right half white
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Industries"  # Make
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (48.0, 8.0, 14.0)  # GPS latitude
    return encode(image, "JPEG", exif=exif.tobytes(), comment=b"private note", quality=90)


# --- upload, end to end ---------------------------------------------------------------------


def test_an_uploaded_photo_is_stored_with_renditions_at_each_smaller_width(author, media_root):
    photo = upload_photo(
        upload(camera_jpeg(), "holiday-in-rome.jpg"), author, alt="The harbour", caption="At dawn"
    )

    photo.refresh_from_db()
    assert (photo.width, photo.height, photo.alt, photo.caption) == (
        2000,
        1500,
        "The harbour",
        "At dawn",
    )
    assert photo.uploaded_by == author
    assert photo.image.name.startswith("blog/photos/") and photo.image.name.endswith(".jpg")
    assert [(r.width, r.height) for r in photo.renditions.all()] == [
        (480, 360),
        (960, 720),
        (1600, 1200),
    ]
    for rendition in photo.renditions.all():
        stored = open_stored(rendition.image)
        assert stored.format == "JPEG"
        assert stored.size == (rendition.width, rendition.height)
    assert len(stored_files(media_root)) == 4
    assert "holiday" not in photo.image.name  # the uploader's file name is not kept


@pytest.mark.parametrize(
    "width, expected",
    [(1700, [480, 960, 1600]), (1000, [480, 960]), (700, [480]), (480, []), (120, [])],
)
def test_renditions_are_never_upscaled(author, width, expected):
    data = encode(Image.new("RGB", (width, 100), "blue"), "PNG")
    photo = upload_photo(upload(data, "wide.png"), author)
    assert [r.width for r in photo.renditions.all()] == expected
    assert open_stored(photo.image).format == "PNG"


def test_the_exif_orientation_is_applied_to_the_pixels(author):
    # Orientation 6: the camera was turned; the picture must be turned 90° clockwise.
    photo = upload_photo(upload(camera_jpeg(400, 200, orientation=6)), author)
    assert (photo.width, photo.height) == (200, 400)
    stored = open_stored(photo.image)
    assert stored.size == (200, 400)
    red, green, _ = stored.getpixel((100, 20))  # the left half is now on top
    assert red > 150 and green < 60
    assert stored.getpixel((100, 380))[1] > 200  # white below
    assert stored.getexif().get(0x0112) is None


def test_metadata_and_anything_hidden_in_the_file_are_stripped(author):
    data = camera_jpeg() + b"PK\x03\x04<script>alert(1)</script>"
    photo = upload_photo(upload(data), author)
    for field in [photo.image] + [r.image for r in photo.renditions.all()]:
        with field.open("rb") as f:
            content = f.read()
        assert b"SecretCam" not in content
        assert b"private note" not in content
        assert b"<script>" not in content
        stored = Image.open(io.BytesIO(content))
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info and "comment" not in stored.info


def test_png_text_is_stripped_but_the_colour_profile_is_kept(author):
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Private")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 48.1N</x:xmpmeta>")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (1000, 500), "green"), "PNG", pnginfo=text, icc_profile=profile)

    photo = upload_photo(upload(data, "x.png"), author)
    for field in [photo.image, photo.renditions.first().image]:
        with field.open("rb") as f:
            content = f.read()
        assert b"Jane Private" not in content and b"xmpmeta" not in content
        assert Image.open(io.BytesIO(content)).info.get("icc_profile") == profile


def test_webp_and_transparent_gif_uploads_are_taken(author):
    webp = upload_photo(upload(encode(Image.new("RGBA", (800, 600)), "WEBP"), "a.webp"), author)
    assert open_stored(webp.image).format == "WEBP"
    assert [r.width for r in webp.renditions.all()] == [480]
    assert open_stored(webp.renditions.first().image).format == "WEBP"

    gif = Image.new("P", (600, 300), 0)
    gif.info["transparency"] = 0
    still = upload_photo(upload(encode(gif, "GIF"), "a.gif"), author)
    assert open_stored(still.image).format == "GIF"
    rendition = open_stored(still.renditions.first().image)
    assert rendition.format == "PNG" and rendition.size == (480, 240)
    assert rendition.mode == "RGBA" and rendition.getpixel((0, 0))[3] == 0  # still transparent


def test_an_animated_gif_keeps_its_frames_and_gets_no_still_renditions(author):
    frames = [Image.new("RGB", (1200, 600), colour) for colour in ("red", "green", "blue")]
    data = encode(
        frames[0], "GIF", save_all=True, append_images=frames[1:], duration=200, comment=b"secret"
    )
    photo = upload_photo(upload(data, "a.gif"), author)
    stored = open_stored(photo.image)
    assert stored.format == "GIF" and stored.n_frames == 3
    assert photo.renditions.count() == 0
    with photo.image.open("rb") as f:
        assert b"secret" not in f.read()


# --- refusals -------------------------------------------------------------------------------


def refused(author, data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(PhotoError) as caught:
        upload_photo(upload(data, name), author)
    return str(caught.value)


@pytest.mark.parametrize(
    "data, name",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.svg"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b"%PDF-1.4\n", "photo.jpg"),
        (encode(Image.new("RGB", (10, 10)), "BMP"), "photo.bmp"),
        (encode(Image.new("RGB", (10, 10)), "TIFF"), "photo.tif"),
        (b"GIF89a", "photo.gif"),
    ],
)
def test_files_that_are_not_jpeg_png_gif_or_webp_are_refused(author, media_root, data, name):
    assert "JPEG, PNG, GIF or WebP" in refused(author, data, name)
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_truncated_image_is_refused_at_upload(author, media_root):
    message = refused(author, camera_jpeg()[:3000])
    assert "damaged or incomplete" in message
    assert stored_files(media_root) == []


def test_a_png_with_a_broken_checksum_is_refused(author):
    data = bytearray(encode(Image.new("RGB", (50, 50), "red"), "PNG"))
    data[-20] ^= 0xFF  # inside the image data chunk, whose CRC no longer matches
    assert "damaged or incomplete" in refused(author, bytes(data))


def test_an_empty_file_is_refused(author):
    assert refused(author, b"") == "The file is empty."


def test_an_oversize_file_is_refused_before_it_is_decoded(author, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10_000)
    message = refused(author, camera_jpeg())
    assert "at most 0.0 MB" in message or "photos can be at most" in message
    assert "MB" in message


def test_a_decompression_bomb_is_refused_from_its_header(author, media_root):
    # 100 megapixels in a 12 kB file: Pillow's own bomb limit speaks first.
    bomb = encode(Image.new("1", (10_000, 10_000)), "PNG")
    assert len(bomb) < 50_000
    assert "too many pixels" in refused(author, bomb, "bomb.png")
    assert stored_files(media_root) == []


def test_an_image_over_the_megapixel_limit_is_refused(author):
    big = encode(Image.new("1", (8_000, 7_000)), "PNG")  # 56 megapixels
    assert "8000×7000 pixels" in refused(author, big, "big.png")


def test_a_long_animation_is_refused(author, monkeypatch):
    monkeypatch.setattr(images, "MAX_FRAMES", 2)
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert "3 frames" in refused(author, data, "a.gif")


def test_alternative_text_and_caption_have_limits(author):
    with pytest.raises(PhotoError, match="alternative text is 301 characters"):
        upload_photo(upload(camera_jpeg(100, 100)), author, alt="a" * 301)
    with pytest.raises(PhotoError, match="caption is 501 characters"):
        upload_photo(upload(camera_jpeg(100, 100)), author, caption="c" * 501)


def test_only_people_who_write_posts_may_upload(person, media_root):
    listener = person("listener")
    with pytest.raises(PermissionDenied):
        upload_photo(upload(camera_jpeg(100, 100)), listener)
    with pytest.raises(PermissionDenied):
        upload_photo(upload(camera_jpeg(100, 100)), None)
    assert stored_files(media_root) == []


def test_a_failure_while_storing_leaves_no_files_behind(author, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PhotoRendition.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        upload_photo(upload(camera_jpeg()), author)
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


# --- delete ---------------------------------------------------------------------------------


def test_deleting_a_photo_removes_its_rows_and_files(
    author, media_root, django_capture_on_commit_callbacks
):
    photo = upload_photo(upload(camera_jpeg()), author)
    kept = upload_photo(upload(camera_jpeg(600, 400)), author)
    kept_files = {Path(media_root, kept.image.name)} | {
        Path(media_root, r.image.name) for r in kept.renditions.all()
    }
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(photo, author)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert PhotoRendition.objects.filter(photo_id=photo.pk).count() == 0
    assert set(stored_files(media_root)) == kept_files


def test_only_people_who_write_posts_may_delete(author, person):
    photo = upload_photo(upload(camera_jpeg(100, 100)), author)
    with pytest.raises(PermissionDenied):
        delete_photo(photo, person("listener"))
    assert Photo.objects.filter(pk=photo.pk).exists()


# --- in templates ---------------------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load blog_media %}" + source).render(Context(context))


def test_the_photo_tag_renders_a_responsive_lazy_image(author):
    photo = upload_photo(upload(camera_jpeg()), author, alt='Dawn "harbour" <script>x</script>')
    html = render("{% photo p %}", p=photo)
    by_width = {r.width: r.image.url for r in photo.renditions.all()}
    assert html == (
        f'<img src="{by_width[960]}" srcset="{by_width[480]} 480w, {by_width[960]} 960w, '
        f'{by_width[1600]} 1600w, {photo.image.url} 2000w" '
        'sizes="(max-width: 960px) 100vw, 960px" '
        'alt="Dawn &quot;harbour&quot; &lt;script&gt;x&lt;/script&gt;" width="2000" '
        'height="1500" loading="lazy" decoding="async">'
    )
    assert all(url.startswith("/media/blog/renditions/") for url in by_width.values())


def test_a_small_photo_uses_its_original_and_options_are_escaped(author):
    photo = upload_photo(upload(camera_jpeg(300, 200)), author, caption="<b>Me</b> & you")
    html = render(
        '{% photo_figure p sizes=s css_class="wide" %}', p=photo, s='100vw" onerror="alert(1)'
    )
    assert f'src="{photo.image.url}" srcset="{photo.image.url} 300w"' in html
    assert 'sizes="100vw&quot; onerror=&quot;alert(1)"' in html
    assert html.startswith('<figure class="wide"><img ')
    assert html.endswith("<figcaption>&lt;b&gt;Me&lt;/b&gt; &amp; you</figcaption></figure>")
    assert render("{% photo p %}", p=None) == ""
