from django import forms

from .actions.comments import MAX_BODY, MAX_NAME


class CommentForm(forms.Form):
    """A reader's comment. Signed-in readers need not give name and e-mail."""

    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: *emphasis*, **strong**, `code`, [links](https://…), lists, quotes.",
    )
    name = forms.CharField(max_length=MAX_NAME, required=False)
    email = forms.EmailField(required=False, help_text="Never shown.")
    website = forms.URLField(required=False, assume_scheme="https")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditCommentForm(forms.Form):
    body = forms.CharField(max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5}))
