"""The console's blog forms: a post with its publishing choice, and an author's profile.

The forms only check and tidy what was typed; saving goes through blog/actions (the rules
of slugs, summaries, tags, publishing and the river live there)."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .actions.posts import RESERVED_SLUGS, _summary
from .models import AuthorProfile, Post

MAX_POST_BODY = 200_000
MAX_BIO = 10_000
MAX_TAGS = 20
MAX_TAG_CHARS = 60
MAX_CLOSE_DAYS = 36_500

KEEP, PUBLISH, SCHEDULE, UNPUBLISH = "keep", "publish", "schedule", "unpublish"
DATETIME_HINT = "2031-01-31T09:00"


class UTCDateTimeField(forms.DateTimeField):
    """A date and time as an ISO-like text (what <input type="datetime-local"> sends).
    A value without an offset is taken as UTC, whatever time zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            text = str(value).strip()
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    f"Enter a date and time like {DATETIME_HINT} (UTC).", code="invalid"
                ) from None
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=UTC)
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:00-05:00 is past the last year there is
            raise ValidationError("That date and time is out of range.", code="invalid") from None


def split_tags(text: str) -> list[str]:
    """Comma separated tag names, tidied, without repeats (case-insensitive)."""
    names, seen = [], set()
    for part in (text or "").split(","):
        name = " ".join(part.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def utc_text(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if moment else "no time set"


def publish_choices(post: Post | None) -> list[tuple[str, str]]:
    """What the form offers for a post in its present state."""
    if post is None or post.pk is None or post.status == Post.Status.DRAFT:
        keep = "Keep as a draft"
    elif post.status == Post.Status.SCHEDULED:
        keep = f"Keep scheduled for {utc_text(post.publish_at)}"
    else:
        keep = "Keep published"
    choices = [(KEEP, keep)]
    if post is None or post.status != Post.Status.PUBLISHED:
        choices.append((PUBLISH, "Publish now"))
        choices.append((SCHEDULE, "Schedule at the time below (UTC)"))
    if post is not None and post.pk is not None and post.status != Post.Status.DRAFT:
        choices.append((UNPUBLISH, "Unpublish (back to draft)"))
    return choices


class PostForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "A post needs a title."})
    slug = forms.SlugField(
        max_length=200,
        required=False,
        help_text="The address of the post; left blank, it is made from the title.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=MAX_POST_BODY,
        strip=False,
        error_messages={"required": "A post needs a body."},
        help_text="Markdown. A link alone on its line to YouTube, Flickr or a Mastodon "
        "post becomes an embed.",
    )
    summary = forms.CharField(
        max_length=500, required=False, help_text="Left blank, the start of the post."
    )
    tags = forms.CharField(
        max_length=2000, required=False, help_text="Comma separated, e.g. news, phones"
    )
    comments_enabled = forms.BooleanField(required=False, initial=True)
    close_comments_after_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_CLOSE_DAYS,
        help_text="Blank: the site's default. 0: never.",
    )
    cover = forms.FileField(
        required=False,
        label="New cover photo",
        help_text="JPEG, PNG, GIF or WebP. Choose it again after a preview.",
    )
    cover_alt = forms.CharField(
        max_length=300,
        required=False,
        label="Its alternative text",
        help_text="What the photo shows, for readers who cannot see it.",
    )
    remove_cover = forms.BooleanField(required=False, label="Remove the cover photo")
    publish = forms.ChoiceField(choices=(), initial=KEEP)
    publish_at = UTCDateTimeField(
        required=False,
        label="Publish at (UTC)",
        help_text=f"For scheduling: a date and time in UTC, like {DATETIME_HINT}.",
    )

    def __init__(self, *args, post: Post | None = None, now: datetime | None = None, **kwargs):
        self.post = post
        self.now = now or timezone.now()
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(post)
        super().__init__(*args, **kwargs)
        self.fields["publish"].choices = publish_choices(post)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("A post needs a title.")
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError("A post needs a body.")
        return body

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if not slug:
            return slug
        if slug in RESERVED_SLUGS:
            raise ValidationError(f"“{slug}” is the name of another blog page; choose another.")
        others = Post.objects.filter(slug=slug)
        if self.post is not None and self.post.pk is not None:
            others = others.exclude(pk=self.post.pk)
        if others.exists():
            raise ValidationError(f"Another post already has the address “{slug}”.")
        return slug

    def clean_tags(self) -> list[str]:
        names = split_tags(self.cleaned_data["tags"])
        if len(names) > MAX_TAGS:
            raise ValidationError(f"At most {MAX_TAGS} tags.")
        long = [name for name in names if len(name) > MAX_TAG_CHARS]
        if long:
            raise ValidationError(f"A tag is at most {MAX_TAG_CHARS} characters: {long[0][:80]}…")
        return names

    def clean(self) -> dict:
        data = super().clean()
        if data.get("publish") == SCHEDULE:
            at = data.get("publish_at")
            if at is None and "publish_at" not in self.errors:
                self.add_error("publish_at", "Give the date and time (UTC) to publish at.")
            elif at is not None and at <= self.now:
                self.add_error(
                    "publish_at",
                    f"{utc_text(at)} has passed: choose a later time, or “Publish now”.",
                )
        return data


def initial_of(post: Post) -> dict:
    """The form's values for a post. A summary the site made from the body shows blank, so
    that it keeps following the body when that changes."""
    made_up = post.summary == _summary(post.body_html, "")
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "summary": "" if made_up else post.summary,
        "tags": ", ".join(tag.name for tag in post.tags.all()),
        "comments_enabled": post.comments_enabled,
        "close_comments_after_days": post.close_comments_after_days,
        "publish": KEEP,
        "publish_at": post.publish_at.astimezone(UTC) if post.publish_at else None,
    }


class AuthorForm(forms.Form):
    display_name = forms.CharField(
        max_length=120,
        label="Name shown on posts",
        error_messages={"required": "Give the name readers will see."},
    )
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="The address of your author page; left blank, it is made from your name.",
    )
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BIO,
        required=False,
        help_text="Markdown (links, emphasis, lists).",
    )

    def __init__(self, *args, profile: AuthorProfile | None = None, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError("Give the name readers will see.")
        return name

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        others = AuthorProfile.objects.filter(slug=slug)
        if self.profile is not None:
            others = others.exclude(pk=self.profile.pk)
        if slug and others.exists():
            raise ValidationError(f"Another author already has the address “{slug}”.")
        return slug
