from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="inbox"),
    path("bulk", views.bulk, name="inbox-bulk"),
    path("<int:mention_id>", views.item, name="inbox-item"),
]
