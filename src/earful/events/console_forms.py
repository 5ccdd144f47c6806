"""The console's tour forms. They check and tidy what was typed; the rules (time zones,
time windows, coordinates, templates, planning announcements) live in events/actions.

Channels have no actions module of their own: ChannelForm.save() is where a channel's
settings are written, secrets included (a blank secret keeps the one stored)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from .actions.announcements import FIELDS
from .actions.live import MAX_TEXT as MAX_UPDATE
from .local_times import at_venue
from .models import Channel, Stop
from .places import FIRST_YEAR, LAST_YEAR, YEARS_RULE, time_zone

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
TEMPLATE_HELP = "Fields filled in for each stop: " + ", ".join("{" + f + "}" for f in FIELDS)


@cache
def zone_choices() -> list[tuple[str, str]]:
    """IANA zone names the stop rules accept (Area/Place, and UTC), sorted."""
    names = sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == "UTC")
    return [(n, n.replace("_", " ")) for n in names]


class LocalDateTimeField(forms.Field):
    """A wall-clock time at the venue, as <input type="datetime-local"> sends it: the
    value stays naive, the stop's own time zone places it (actions.tours.save_stop)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("Enter a date and time like 2031-01-31T09:00.") from None
        if timezone.is_aware(moment):
            raise ValidationError("Give the venue's local time, without an offset.")
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(YEARS_RULE)
        return moment.replace(second=0, microsecond=0)


class TourForm(forms.Form):
    title = forms.CharField(max_length=150)
    description = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. Shown on the public tour page.",
    )  # fmt: skip
    announce_hours_before = forms.IntegerField(
        min_value=0, max_value=720, initial=24,
        help_text="Each stop is announced this many hours before it starts.",
    )  # fmt: skip
    announcement_template = forms.CharField(
        required=False, max_length=1_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEMPLATE_HELP + ". Empty: a default text.",
    )  # fmt: skip
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Where announcements go. Disabled channels send nothing.",
    )  # fmt: skip
    published = forms.BooleanField(
        required=False, help_text="Shown to the public, and announced on the channels."
    )

    @staticmethod
    def initial_for(tour) -> dict:
        return {
            "title": tour.title,
            "description": tour.description,
            "announce_hours_before": tour.announce_hours_before,
            "announcement_template": tour.announcement_template,
            "channels": list(tour.channels.all()),
            "published": tour.published,
        }


class StopForm(forms.Form):
    venue = forms.CharField(max_length=150)
    address = forms.CharField(max_length=300)
    city = forms.CharField(max_length=100, required=False)
    time_zone = forms.ChoiceField(choices=zone_choices, help_text="The venue's time zone.")
    starts_at = LocalDateTimeField(label="Starts (local time at the venue)")
    ends_at = LocalDateTimeField(
        label="Ends (local time at the venue)",
        help_text="When the clocks go back, a time that happens twice is the first one; "
        "a time the clocks skip when they go forward cannot be chosen.",
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    description = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Shown on the stop's public page.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give both latitude and longitude, or neither.")
        return data

    @staticmethod
    def initial_for(stop: Stop) -> dict:
        zone = time_zone(stop.time_zone)
        return {
            "venue": stop.venue,
            "address": stop.address,
            "city": stop.city,
            "time_zone": stop.time_zone,
            "starts_at": at_venue(stop.starts_at, zone).strftime(LOCAL_FORMAT),
            "ends_at": at_venue(stop.ends_at, zone).strftime(LOCAL_FORMAT),
            "latitude": stop.latitude,
            "longitude": stop.longitude,
            "description": stop.description,
        }


def masked(secret: str) -> str:
    """A stored secret as the console shows it: never in full."""
    if not secret:
        return "not set"
    return "set, ending in …" + secret[-4:] if len(secret) >= 12 else "set"


def _http_url(value: str, what: str) -> str:
    value = (value or "").strip().rstrip("/")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(f"The {what} is an address starting with https://.") from None
    return value


SECRETS = {"mastodon": ("token",), "bluesky": ("app_password",), "webhook": ("secret",)}


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Channel.Kind.choices)
    enabled = forms.BooleanField(required=False, initial=True)
    instance = forms.CharField(
        required=False, max_length=300, label="Mastodon instance",
        help_text="e.g. https://mastodon.social",
    )  # fmt: skip
    token = forms.CharField(
        required=False, max_length=500, label="Access token",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="From Preferences → Development → New application, scope write:statuses.",
    )  # fmt: skip
    service = forms.CharField(
        required=False, max_length=300, label="Bluesky service", initial="https://bsky.social"
    )
    handle = forms.CharField(required=False, max_length=253, label="Bluesky handle")
    app_password = forms.CharField(
        required=False, max_length=200, label="App password",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Settings → Privacy and security → App passwords (never the account's own).",
    )  # fmt: skip
    url = forms.CharField(required=False, max_length=500, label="Webhook URL")
    secret = forms.CharField(
        required=False, max_length=200, label="Signing secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Requests carry X-Earful-Signature: sha256=HMAC of the body with it.",
    )  # fmt: skip

    def __init__(self, *args, channel: Channel | None = None, **kwargs):
        self.channel = channel
        if channel is not None and "initial" not in kwargs:
            config = channel.config or {}
            kwargs["initial"] = {
                "name": channel.name,
                "kind": channel.kind,
                "enabled": channel.enabled,
                **{k: v for k, v in config.items() if k in ("instance", "service", "handle")},
                "url": config.get("url", ""),
            }
        super().__init__(*args, **kwargs)
        if channel is not None:
            self.fields["kind"].disabled = True
            for names in SECRETS.values():
                for name in names:
                    stored = (channel.config or {}).get(name, "")
                    self.fields[name].help_text = (
                        f"Now {masked(stored)}; leave empty to keep it. "
                        + self.fields[name].help_text
                    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Channel.objects.filter(name__iexact=name)
        if self.channel is not None:
            taken = taken.exclude(pk=self.channel.pk)
        if taken.exists():
            raise ValidationError("Another channel has this name.")
        return name

    def _secret(self, name: str) -> str:
        typed = (self.cleaned_data.get(name) or "").strip()
        if typed:
            return typed
        if self.channel is not None:
            return (self.channel.config or {}).get(name, "")
        return ""

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or (self.channel.kind if self.channel else "")
        config: dict[str, str] = {}
        try:
            if kind == Channel.Kind.MASTODON:
                config["instance"] = _http_url(data.get("instance", ""), "Mastodon instance")
            elif kind == Channel.Kind.BLUESKY:
                config["service"] = _http_url(
                    data.get("service") or "https://bsky.social", "Bluesky service"
                )
                handle = (data.get("handle") or "").strip().lstrip("@")
                if not handle or " " in handle:
                    raise ValidationError("Give the account's handle, e.g. tours.bsky.social.")
                config["handle"] = handle
            elif kind == Channel.Kind.WEBHOOK:
                config["url"] = _http_url(data.get("url", ""), "webhook URL")
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        for name in SECRETS.get(kind, ()):
            config[name] = self._secret(name)
            if not config[name]:
                label = self.fields[name].label.lower()
                raise ValidationError(f"The {label} is needed.")
        if kind == Channel.Kind.WEBHOOK and len(config["secret"]) < 16:
            raise ValidationError("The signing secret is at least 16 characters.")
        data["config"] = config
        return data

    def save(self) -> Channel:
        data = self.cleaned_data
        channel = self.channel or Channel(kind=data["kind"])
        channel.name = data["name"]
        channel.enabled = data["enabled"]
        channel.config = data["config"]
        channel.save()
        return channel


class AnnouncementTextForm(forms.Form):
    text = forms.CharField(max_length=3_000, widget=forms.Textarea(attrs={"rows": 4}))


class LiveUpdateForm(forms.Form):
    stop = forms.TypedChoiceField(coerce=int, label="Stop")
    text = forms.CharField(
        max_length=MAX_UPDATE,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What is happening here?"}),
    )
    photo = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    photo_alt = forms.CharField(
        required=False, max_length=300, label="Describe the photo (for people who cannot see it)"
    )
    cross_post = forms.BooleanField(required=False, label="Also publish it as a blog post")
    post_title = forms.CharField(required=False, max_length=300, label="Blog post title")

    def __init__(self, *args, stops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stop"].choices = [
            (s.pk, f"{s.venue}, {s.city or s.address} ({s.tour.title})") for s in stops
        ]
