from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import AuthorProfile, Post, Tag
from .queries import live_posts


class PostSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return live_posts()

    def lastmod(self, item: Post):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["blog:index"]

    def location(self, item: str) -> str:
        return reverse(item)


class TagSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Tag.objects.filter(posts__status=Post.Status.PUBLISHED).distinct()


class AuthorSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return AuthorProfile.objects.filter(posts__status=Post.Status.PUBLISHED).distinct()


SITEMAPS = {"blog": PageSitemap, "posts": PostSitemap, "tags": TagSitemap, "authors": AuthorSitemap}
