"""Forms of the flag button and the review queue; the rules live in actions/moderation."""

from __future__ import annotations

from django import forms

from .actions.moderation import (
    MAX_ADJUSTMENT,
    MAX_NOTE,
    MAX_REASON,
    MAX_SUSPENSION_DAYS,
    POST_ACTIONS,
)
from .models import Flag

MAX_BULK = 200
ACTION_LABELS = {
    "approve": "Approve (publish)",
    "hide": "Hide (until reviewed)",
    "keep": "Keep (decline the flags)",
    "remove": "Remove",
    "remove_spam": "Remove as spam",
}


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What should moderators know? Needed for “Something else”.",
    )


class ReviewForm(forms.Form):
    """The queue's form: ticked posts (target, "answer:7") and one action, or a single
    post's button (one, "remove|answer:7")."""

    action = forms.ChoiceField(required=False, choices=[("", "—"), *ACTION_LABELS.items()])
    one = forms.CharField(required=False, max_length=80)
    reason = forms.CharField(required=False, max_length=MAX_REASON)

    def chosen(self) -> tuple[str, list[str]]:
        """(action, targets) the form asks for; empty action when none is chosen."""
        data = self.cleaned_data
        if data["one"]:
            action, _, target = data["one"].partition("|")
            return (action if action in POST_ACTIONS else ""), [target]
        targets = [value for value in self.data.getlist("target") if value][:MAX_BULK]
        return data["action"], targets


class SuspendForm(forms.Form):
    username = forms.CharField(max_length=150)
    days = forms.IntegerField(min_value=1, max_value=MAX_SUSPENSION_DAYS, initial=7)
    reason = forms.CharField(max_length=300)


class LiftForm(forms.Form):
    username = forms.CharField(max_length=150)
    reason = forms.CharField(required=False, max_length=MAX_REASON)


class AdjustForm(forms.Form):
    username = forms.CharField(max_length=150)
    points = forms.IntegerField(min_value=-MAX_ADJUSTMENT, max_value=MAX_ADJUSTMENT)
    note = forms.CharField(max_length=300)
