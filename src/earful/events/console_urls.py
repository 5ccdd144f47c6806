"""Staff pages for tours at /console/tours/."""

app_name = "events-console"

urlpatterns: list = []
