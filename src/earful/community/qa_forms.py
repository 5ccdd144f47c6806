"""The Q&A pages' forms. They only parse and bound the input; the rules (lengths, holds,
duplicates, who may do what) are the actions' (actions/posts.py) and speak for themselves
as CommunityError."""

from __future__ import annotations

from django import forms

from .actions.posts import MAX_BODY, MAX_COMMENT, MAX_TAGS, MAX_TITLE
from .listing import SORTS, STATES
from .models import Category, Tag

MARKDOWN_HELP = "Markdown: *emphasis*, **strong**, `code`, ```code blocks```, [links](https://…)."
MAX_QUERY = 500


class QuestionForm(forms.Form):
    title = forms.CharField(
        max_length=MAX_TITLE,
        help_text="What goes wrong, as you would tell a friend: “Arc 5 drains overnight”.",
    )
    body = forms.CharField(
        label="Details",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"What you tried, what happened, what you expected. {MARKDOWN_HELP}",
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        to_field_name="slug",
        empty_label="Choose the product",
        label="Product",
    )
    tags = forms.CharField(
        required=False,
        max_length=300,
        help_text=f"Up to {MAX_TAGS}, separated by commas: battery, update.",
    )

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", max_length=MAX_COMMENT)


class EditForm(forms.Form):
    """An edit of a question (with its title) or an answer (without)."""

    title = forms.CharField(max_length=MAX_TITLE, required=False)
    body = forms.CharField(
        label="Text", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 12})
    )
    note = forms.CharField(
        label="What changed",
        required=False,
        max_length=300,
        help_text="A few words for the history: “fixed the firmware version”.",
    )

    category = forms.ModelChoiceField(
        Category.objects.all(), to_field_name="slug", label="Product", required=False
    )
    tags = forms.CharField(
        required=False, max_length=300, help_text=f"Up to {MAX_TAGS}, separated by commas."
    )

    def __init__(self, *args, with_title: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_title:
            self.fields["title"].required = True
        else:
            for name in ("title", "category", "tags"):
                del self.fields[name]

    def clean_tags(self) -> list[str] | None:
        if "tags" not in self.data:  # not sent: the tags stay as they are
            return None
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class FilterForm(forms.Form):
    """The list's search; every field is optional and they combine."""

    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY)
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, to_field_name="slug", empty_label="Any product"
    )
    tag = forms.ModelChoiceField(Tag.objects.all(), required=False, to_field_name="slug")
    answered = forms.ChoiceField(choices=list(STATES.items()), required=False)
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)
