import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .actions.comments import MAX_BODY as MAX_COMMENT
from .actions.ideas import MAX_BODY, MAX_TITLE
from .actions.statuses import MAX_NOTE
from .models import Category, Status
from .queries import SORTS


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=MAX_TITLE, help_text="One sentence: what should change?")
    body = forms.CharField(
        label="Details",
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: *emphasis*, **strong**, `code`, [links](https://…), lists.",
    )
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, to_field_name="slug", empty_label="(none)"
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 4})
    )


class StatusForm(forms.Form):
    status = forms.ModelChoiceField(Status.objects.all(), to_field_name="slug", empty_label=None)
    note = forms.CharField(
        label="Public note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the idea with the change, and sent with the notices.",
    )


IDEA_NUMBER = re.compile(r"^#?\s*(\d{1,12})$")


class MergeForm(forms.Form):
    """Staff merge this idea into another: one of the similar ideas offered (target) or
    any idea by its number (into, "#12" or "12")."""

    target = forms.IntegerField(required=False, min_value=1, widget=forms.RadioSelect)
    into = forms.CharField(label="or idea number", required=False, max_length=20)
    note = forms.CharField(
        label="Public note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown on the surviving idea with the merge.",
    )

    def clean(self) -> dict:
        data = super().clean()
        text = (data.get("into") or "").strip()
        if text:
            match = IDEA_NUMBER.match(text)
            if not match:
                raise forms.ValidationError("Give the idea's number, such as #12.")
            data["number"] = int(match.group(1))
        elif data.get("target"):
            data["number"] = data["target"]
        elif not self.errors:
            raise forms.ValidationError("Choose the idea to merge this one into.")
        return data


class FilterForm(forms.Form):
    """The board's search; every field is optional and they combine."""

    q = forms.CharField(label="Search", required=False, max_length=500)
    status = forms.ModelChoiceField(
        Status.objects.all(), required=False, to_field_name="slug", empty_label="Any status"
    )
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, to_field_name="slug", empty_label="Any category"
    )
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)


class SignupForm(UserCreationForm):
    """A customer's account: user name, e-mail (for notices), password."""

    email = forms.EmailField(help_text="We write here when an idea you follow changes.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email
