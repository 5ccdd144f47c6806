from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .accounts import people_views
from .accounts.views import start
from .api import api
from .river.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "console/login",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("console/logout", auth_views.LogoutView.as_view(), name="logout"),
    path("console/start", start, name="console-start"),
    path("console/people/", people_views.people, name="people"),
    path("console/people/<int:user_id>", people_views.change_roles, name="people-roles"),
    path("console/", include("earful.inbox.urls")),
    path("console/", include("earful.river.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
