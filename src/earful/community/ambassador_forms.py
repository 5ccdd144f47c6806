"""Forms of the ambassador program; the rules live in actions/ambassadors."""

from __future__ import annotations

from django import forms

from .actions.ambassadors import MAX_AUDIENCE, MAX_MOTIVATION, MAX_PLACE, MAX_REASON, MAX_SAID
from .models import Category


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label="Why do you want to be an ambassador?",
        max_length=MAX_MOTIVATION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Where do you talk about our products, and with whom?",
    )


class ReportForm(forms.Form):
    place = forms.CharField(
        label="Where", max_length=MAX_PLACE, help_text="A shop, a meetup, a café…"
    )
    audience = forms.CharField(
        label="With whom", max_length=MAX_AUDIENCE, help_text="Who you talked to: “two students”."
    )
    said = forms.CharField(
        label="What was said",
        max_length=MAX_SAID,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What they asked, what you said, how it went.",
    )
    product = forms.ModelChoiceField(Category.objects.all(), to_field_name="slug", label="Product")
    happened_on = forms.DateField(
        label="When", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    # a plain file field: the action checks the image (forms.ImageField would decode it first)
    photo = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="Optional: JPEG, PNG or WebP, at most 10 MB. Location and camera data go.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=MAX_REASON)


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=MAX_REASON)
