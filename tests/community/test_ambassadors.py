"""The ambassador program: applying, staff decisions, word-of-mouth reports with photos,
points credited once and taken back on withdrawal, the river, and the weekly tally."""

import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from earful.community import weekly
from earful.community.actions import ambassadors
from earful.community.errors import CommunityError, Conflict, NotAllowed
from earful.community.models import (
    AmbassadorApplication,
    AmbassadorReport,
    Decision,
    EventKind,
    Member,
    ModerationLog,
    ReputationEvent,
)
from earful.river.models import Mention

MOTIVATION = "I run the Arc users' meetup in Lyon every month and answer questions there."
SAID = "Two students asked whether the Arc 5 battery lasts a day; I showed them mine at 60%."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ambassador(make_member):
    user = make_member("ambre")
    Member.objects.filter(user=user).update(is_ambassador=True)
    return user


def points(user) -> int:
    return Member.objects.get(user=user).points


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def report(user, category, **changes) -> AmbassadorReport:
    fields = {
        "place": "Café du Marché, Lyon",
        "audience": "two students",
        "said": SAID,
        "product": category,
        "happened_on": timezone.localdate(),
    }
    fields.update(changes)
    return ambassadors.submit_report(user, **fields)


# -- applications ------------------------------------------------------------------------


def test_apply_and_be_approved(asker, staff):
    application = ambassadors.apply(asker, MOTIVATION)
    assert ambassadors.status_of(asker) == "pending"
    with pytest.raises(Conflict, match="waiting for staff"):
        ambassadors.apply(asker, MOTIVATION)
    ambassadors.decide_application(application, staff, True)
    assert Member.objects.get(user=asker).is_ambassador
    assert ambassadors.status_of(asker) == "ambassador"
    with pytest.raises(Conflict, match="already an ambassador"):
        ambassadors.apply(asker, MOTIVATION)
    with pytest.raises(Conflict, match="already decided"):
        ambassadors.decide_application(application, staff, False, "changed my mind")
    line = ModerationLog.objects.get()
    assert (line.action, line.target) == ("application_approved", f"application:{application.pk}")


def test_a_rejection_needs_a_reason_and_the_member_may_apply_again(asker, staff):
    application = ambassadors.apply(asker, MOTIVATION)
    with pytest.raises(CommunityError, match="reason"):
        ambassadors.decide_application(application, staff, False, "   ")
    ambassadors.decide_application(application, staff, False, "Tell us more about the meetup.")
    application.refresh_from_db()
    assert application.state == Decision.REJECTED and application.reason.startswith("Tell us")
    assert not Member.objects.get(user=asker).is_ambassador
    ambassadors.apply(asker, MOTIVATION + " Forty people come each time.")
    assert AmbassadorApplication.objects.filter(user=asker).count() == 2


def test_who_may_apply_and_decide(asker, helper, staff):
    with pytest.raises(NotAllowed, match="Sign in"):
        ambassadors.apply(AnonymousUser(), MOTIVATION)
    with pytest.raises(CommunityError, match="at least 30"):
        ambassadors.apply(asker, "I like it")
    application = ambassadors.apply(asker, MOTIVATION)
    with pytest.raises(NotAllowed, match="Only staff"):
        ambassadors.decide_application(application, helper, True)
    own = ambassadors.apply(staff, MOTIVATION)
    with pytest.raises(NotAllowed, match="own application"):
        ambassadors.decide_application(own, staff, True)
    Member.objects.filter(user=helper).update(suspended_until=timezone.now() + timedelta(days=1))
    with pytest.raises(NotAllowed, match="Suspended"):
        ambassadors.apply(helper, MOTIVATION)


# -- reports -----------------------------------------------------------------------------


def test_only_ambassadors_report(asker, category):
    with pytest.raises(NotAllowed, match="Only ambassadors"):
        report(asker, category)


def test_approving_a_report_credits_once_and_enters_the_river(ambassador, category, staff):
    found = report(ambassador, category)
    assert found.state == Decision.PENDING and found.mention_id is None
    assert points(ambassador) == 0
    ambassadors.decide_report(found, staff, True)
    assert points(ambassador) == 20
    with pytest.raises(Conflict, match="already decided"):
        ambassadors.decide_report(found, staff, True)
    assert points(ambassador) == 20
    assert ReputationEvent.objects.filter(key=f"report:{found.pk}").count() == 1
    found.refresh_from_db()
    mention = Mention.objects.get(pk=found.mention_id)
    assert mention.source.name == "Community"
    assert "Café du Marché" in mention.title and "Arc phones" in mention.title
    assert ModerationLog.objects.filter(action="report_approved").count() == 1


def test_withdrawing_reverses_the_points_and_leaves_the_river(ambassador, category, staff):
    found = report(ambassador, category)
    ambassadors.decide_report(found, staff, True)
    mention_id = AmbassadorReport.objects.get(pk=found.pk).mention_id
    with pytest.raises(CommunityError, match="reason"):
        ambassadors.withdraw_report(found, staff, "")
    ambassadors.withdraw_report(found, staff, "The meetup was cancelled that day.")
    assert points(ambassador) == 0
    found.refresh_from_db()
    assert found.state == Decision.REJECTED and found.mention_id is None
    assert not Mention.objects.filter(pk=mention_id).exists()
    kinds = sorted(ReputationEvent.objects.values_list("kind", flat=True))
    assert kinds == sorted([EventKind.REPORT_APPROVED, EventKind.REVERSAL])
    with pytest.raises(Conflict, match="Only an approved"):
        ambassadors.withdraw_report(found, staff, "again")
    assert points(ambassador) == 0


def test_a_rejected_report_shows_its_reason_and_earns_nothing(ambassador, category, staff):
    found = report(ambassador, category)
    with pytest.raises(CommunityError, match="reason"):
        ambassadors.decide_report(found, staff, False)
    ambassadors.decide_report(found, staff, False, "This was an online chat, not offline.")
    found.refresh_from_db()
    assert found.state == Decision.REJECTED and found.reason.startswith("This was")
    assert points(ambassador) == 0 and found.mention_id is None


def test_staff_cannot_decide_their_own_report_and_members_cannot_decide(
    ambassador, category, staff, helper
):
    Member.objects.update_or_create(user=staff, defaults={"is_ambassador": True})
    own = report(staff, category)
    with pytest.raises(NotAllowed, match="own report"):
        ambassadors.decide_report(own, staff, True)
    other = report(ambassador, category)
    with pytest.raises(NotAllowed, match="Only staff"):
        ambassadors.decide_report(other, helper, True)
    with pytest.raises(NotAllowed, match="Only staff"):
        ambassadors.withdraw_report(other, helper, "no")


def test_report_input_is_checked(ambassador, category):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CommunityError, match="future"):
        report(ambassador, category, happened_on=tomorrow)
    with pytest.raises(CommunityError, match="twelve months"):
        report(ambassador, category, happened_on=date(2000, 1, 1))
    with pytest.raises(CommunityError, match="YYYY-MM-DD"):
        report(ambassador, category, happened_on="yesterday")
    with pytest.raises(CommunityError, match="place is empty"):
        report(ambassador, category, place="  \x00 ")
    with pytest.raises(CommunityError, match="at least 20"):
        report(ambassador, category, said="Nice phone.")
    with pytest.raises(CommunityError, match="product"):
        report(ambassador, None)
    with pytest.raises(CommunityError, match="at most 200"):
        report(ambassador, category, audience="x" * 201)
    assert not AmbassadorReport.objects.exists()


# -- photos ------------------------------------------------------------------------------


def _exif_jpeg(size=(400, 200), orientation=6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Industries"
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (48.0, 8.0, 14.0)
    return encode(image, "JPEG", exif=exif.tobytes(), quality=90)


def test_a_photo_is_turned_upright_and_stripped(ambassador, category):
    found = report(ambassador, category, photo=upload(_exif_jpeg()))
    with found.photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    assert image.size == (200, 400)  # orientation 6: turned a quarter
    assert dict(image.getexif()) == {}
    assert b"SecretCam" not in found.photo.open("rb").read()


def test_a_large_photo_is_kept_at_the_report_width(ambassador, category):
    big = encode(Image.new("RGB", (3000, 1500), (10, 120, 200)), "PNG")
    found = report(ambassador, category, photo=upload(big, "big.png"))
    with found.photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.width == ambassadors.PHOTO_WIDTH and image.format == "PNG"


def test_webp_is_taken_gif_and_animations_are_not(ambassador, category):
    still = encode(Image.new("RGB", (64, 64), "green"), "WEBP")
    assert report(ambassador, category, photo=upload(still, "a.webp")).photo
    gif = encode(Image.new("P", (64, 64)), "GIF")
    with pytest.raises(CommunityError, match="JPEG, PNG or WebP"):
        report(ambassador, category, photo=upload(gif, "a.gif"))
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    animated = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)
    with pytest.raises(CommunityError, match="still image"):
        report(ambassador, category, photo=upload(animated, "b.webp"))
    assert AmbassadorReport.objects.count() == 1


def test_hostile_photos_are_refused_and_nothing_is_stored(ambassador, category, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    truncated = _exif_jpeg()[:300]
    for data, message in (
        (b"", "empty"),
        (svg, "JPEG, PNG or WebP"),
        (b"\xff\xd8\xff" + b"\0" * 100, "JPEG, PNG or WebP|damaged"),
        (truncated, "damaged|JPEG, PNG or WebP"),
    ):
        with pytest.raises(CommunityError, match=message):
            report(ambassador, category, photo=upload(data))
    assert not AmbassadorReport.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else True


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims to be width×height: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_decompression_bombs_are_refused_before_decoding(ambassador, category):
    with pytest.raises(CommunityError, match="megapixels|too many pixels"):
        report(ambassador, category, photo=upload(_png_header_only(60_000, 60_000), "bomb.png"))
    assert not AmbassadorReport.objects.exists()


def test_an_oversize_upload_is_refused_unread(ambassador, category, monkeypatch):
    monkeypatch.setattr(ambassadors, "PHOTO_MAX_BYTES", 1000)
    big = encode(Image.new("RGB", (300, 300)), "PNG") + b"\0" * 2000
    with pytest.raises(CommunityError, match="MB"):
        report(ambassador, category, photo=upload(big, "big.png"))


# -- the weekly tally --------------------------------------------------------------------


def _approved(user, category, staff, at) -> AmbassadorReport:
    found = report(user, category)
    ambassadors.decide_report(found, staff, True)
    AmbassadorReport.objects.filter(pk=found.pk).update(decided_at=at)
    return found


def test_the_week_counts_approvals_and_breaks_ties_by_the_earliest_last(
    make_member, category, staff
):
    first, second, third = (make_member(name) for name in ("ana", "ben", "cy"))
    Member.objects.update(is_ambassador=True)
    week = weekly.parse_week("2026-W47")
    monday, _ = week.bounds()
    _approved(first, category, staff, monday + timedelta(hours=10))
    _approved(first, category, staff, monday + timedelta(days=3))
    _approved(second, category, staff, monday + timedelta(hours=1))
    _approved(second, category, staff, monday + timedelta(days=2))
    _approved(third, category, staff, monday + timedelta(days=1))
    _approved(third, category, staff, monday - timedelta(seconds=1))  # the week before
    _approved(third, category, staff, monday + timedelta(days=7))  # the week after
    rows = weekly.tally(week)
    assert [(r.username, r.reports) for r in rows] == [("ben", 2), ("ana", 2), ("cy", 1)]
    assert [r.reports for r in weekly.tally(week.shifted(-1))] == [1]


def test_week_names():
    assert str(weekly.parse_week("2026-W47")) == "2026-W47"
    assert weekly.parse_week("2026-W47").monday == date(2026, 11, 16)
    assert str(weekly.parse_week("2026-W01").shifted(-1)) == "2025-W52"
    assert str(weekly.parse_week("2020-W53").shifted(1)) == "2021-W01"
    assert str(weekly.parse_week("0002-W01").shifted(-1)) == "0001-W52"
    assert str(weekly.parse_week("9998-W53").shifted(1)) == "9999-W01"
    bad_names = ("2026-W54", "2025-W53", "2026-47", "W47", "2026-W", "9999999-W01")
    for bad in (*bad_names, "9999-W52", "0001-W01", "0000-W01", "2026-W00"):
        with pytest.raises(ValueError):
            weekly.parse_week(bad)
    assert weekly.parse_week("") == weekly.of_day(timezone.localdate())
