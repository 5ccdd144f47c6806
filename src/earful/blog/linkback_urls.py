"""The linkback endpoints, included by the blog's URLs under /blog/ (namespace "blog").

They must come before the post route ("<slug:slug>"), which would otherwise take
"webmention" and "xmlrpc" for post slugs.
"""

from django.urls import path

from . import linkback_views

urlpatterns = [
    path("webmention", linkback_views.webmention, name="webmention"),
    path("xmlrpc", linkback_views.xmlrpc_endpoint, name="pingback"),
    path("<slug:slug>/trackback", linkback_views.trackback, name="trackback"),
]
