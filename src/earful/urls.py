from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from .accounts import people_views
from .accounts.views import start
from .api import api
from .blog.sitemaps import SITEMAPS
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
    path("console/blog/", include(("earful.blog.console_urls", "blog-console"))),
    path("console/ideas/", include("earful.board.console_urls")),
    path("console/tours/", include("earful.events.console_urls")),
    path("console/", include("earful.inbox.urls")),
    path("console/", include("earful.river.urls")),
    path("blog/", include("earful.blog.urls")),
    path("ideas/", include("earful.board.urls")),
    path("community/", include("earful.community.urls")),
    path("tours/", include("earful.events.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Uploaded photos. A proxy in front of Earful may serve MEDIA_ROOT itself; without one,
# Django's static file view does, with its path checks (no traversal out of MEDIA_ROOT).
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
