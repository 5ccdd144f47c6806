"""URLs of the community's questions and answers (included by community/urls.py)."""

from django.urls import path

from . import qa_views

urlpatterns = [
    path("questions/<int:question_id>/", qa_views.question, name="question"),
]
