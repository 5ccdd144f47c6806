"""The visitor's feedback form on a stop page. It only bounds and shapes the input; the
rules (window, rating, e-mail, rate limit) are actions.feedback.submit_feedback's."""

from __future__ import annotations

from django import forms

from .actions.feedback import MAX_TEXT

RATINGS = [("", "No rating"), *((str(n), f"{n} of 5") for n in range(5, 0, -1))]


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="Your feedback",
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    rating = forms.TypedChoiceField(
        label="How was it?", choices=RATINGS, coerce=int, required=False, empty_value=None
    )
    name = forms.CharField(label="Name", max_length=100, required=False)
    email = forms.CharField(label="E-mail", max_length=254, required=False)

    def first_error(self) -> str:
        """One sentence for the messages list, naming the field at fault."""
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            return f"{label}: {errors[0]}" if label else errors[0]
        return ""
