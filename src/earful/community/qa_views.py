from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Question, State


def question(request: HttpRequest, question_id: int) -> HttpResponse:
    found = get_object_or_404(Question, pk=question_id, state=State.PUBLISHED)
    return render(request, "community/question.html", {"question": found})
