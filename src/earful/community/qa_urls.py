"""URLs of the community's questions and answers (included by community/urls.py)."""

from django.urls import path

from . import qa_views

urlpatterns = [
    path("", qa_views.index, name="index"),
    path("ask", qa_views.ask, name="ask"),
    path("similar", qa_views.similar, name="similar"),
    path("categories", qa_views.categories, name="categories"),
    path("tags", qa_views.tags, name="tags"),
    path("questions/<int:question_id>/", qa_views.question, name="question"),
    path("questions/<int:question_id>/vote", qa_views.question_vote, name="question-vote"),
    path("questions/<int:question_id>/answer", qa_views.answer_post, name="answer-post"),
    path("questions/<int:question_id>/comment", qa_views.question_comment, name="question-comment"),
    path("questions/<int:question_id>/edit", qa_views.question_edit, name="question-edit"),
    path("answers/<int:answer_id>/vote", qa_views.answer_vote, name="answer-vote"),
    path("answers/<int:answer_id>/comment", qa_views.answer_comment, name="answer-comment"),
    path("answers/<int:answer_id>/accept", qa_views.answer_accept, name="answer-accept"),
    path("answers/<int:answer_id>/official", qa_views.answer_official, name="answer-official"),
    path("answers/<int:answer_id>/edit", qa_views.answer_edit, name="answer-edit"),
]
