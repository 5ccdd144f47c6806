"""Rich embeds: which links become players or photos, and what they may never become."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from earful.blog import embeds
from earful.blog.embeds import embed_html
from tests.web.conftest import reply
from tests.web.conftest import server as server  # noqa: F401 - the local HTTP server fixture

VIDEO = "dQw4w9WgXcQ"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def iframe_src(html: str) -> str:
    match = re.search(r'<iframe src="([^"]+)"', html)
    assert match, html
    return match.group(1).replace("&amp;", "&")


# --- YouTube --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, src",
    [
        (f"https://www.youtube.com/watch?v={VIDEO}", f"/embed/{VIDEO}"),
        (f"https://youtube.com/watch?v={VIDEO}&list=PL123", f"/embed/{VIDEO}"),
        (f"https://m.youtube.com/watch?feature=share&v={VIDEO}", f"/embed/{VIDEO}"),
        (f"http://www.youtube.com/watch?v={VIDEO}", f"/embed/{VIDEO}"),
        (f"https://youtu.be/{VIDEO}", f"/embed/{VIDEO}"),
        (f"https://youtu.be/{VIDEO}?si=abcdef", f"/embed/{VIDEO}"),
        (f"https://www.youtube.com/shorts/{VIDEO}", f"/embed/{VIDEO}"),
        (f"https://www.youtube.com/embed/{VIDEO}", f"/embed/{VIDEO}"),
        (f"https://www.youtube.com/live/{VIDEO}", f"/embed/{VIDEO}"),
        (f"https://www.youtube-nocookie.com/embed/{VIDEO}", f"/embed/{VIDEO}"),
        (f"https://www.youtube.com/watch?v={VIDEO}&t=90", f"/embed/{VIDEO}?start=90"),
        (f"https://youtu.be/{VIDEO}?t=1m30s", f"/embed/{VIDEO}?start=90"),
        (f"https://youtu.be/{VIDEO}?t=1h0m5s", f"/embed/{VIDEO}?start=3605"),
        (f"https://youtu.be/{VIDEO}?t=soon", f"/embed/{VIDEO}"),
    ],
)
def test_youtube_links_become_privacy_enhanced_players(url, src):
    html = embed_html(url)
    assert html is not None
    assert iframe_src(html) == "https://www.youtube-nocookie.com" + src
    assert 'title="YouTube video"' in html
    assert 'loading="lazy"' in html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXc",  # 10 characters
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",  # 12
        "https://www.youtube.com/watch?v=dQw4w9WgXcR",  # impossible last character
        "https://www.youtube.com/watch?v=dQw4w9%22gXcQ",
        "https://www.youtube.com/watch?v=dQw4w9<gXcQ",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch?list=PL123",
        f"https://www.youtube.com/{VIDEO}",
        f"https://www.youtube.com/shorts/{VIDEO}/extra",
        f"https://www.youtube.com/@channel/{VIDEO}",
        f"https://www.youtube-nocookie.com/watch?v={VIDEO}",
        f"https://youtube.com.evil.example/watch?v={VIDEO}",
        f"https://notyoutube.com/watch?v={VIDEO}",
        f"https://www.youtube.com@evil.example/watch?v={VIDEO}",
        f"https://user:pw@www.youtube.com/watch?v={VIDEO}",
        f"https://www.youtube.com:8443/watch?v={VIDEO}",
        f"https://youtu.be/{VIDEO}/../../evil",
        f"ftp://youtu.be/{VIDEO}",
        f"javascript://youtu.be/%0aalert(1)//{VIDEO}",
    ],
)
def test_anything_short_of_a_valid_youtube_video_stays_a_link(url):
    assert embed_html(url) is None


def test_the_original_link_under_a_player_is_escaped():
    html = embed_html(f"https://www.youtube.com/watch?v={VIDEO}&t=5&x=<b>")
    assert html is not None
    assert "<b>" not in html
    assert f'href="https://www.youtube.com/watch?v={VIDEO}&amp;t=5&amp;x=&lt;b&gt;"' in html


def test_players_are_sandboxed_and_cannot_navigate_the_page():
    for url in (f"https://youtu.be/{VIDEO}", "https://vimeo.com/76979871"):
        html = embed_html(url)
        sandbox = re.search(r'sandbox="([^"]*)"', html).group(1).split()
        assert "allow-scripts" in sandbox
        assert "allow-top-navigation" not in sandbox
        assert "allow-forms" not in sandbox
        assert "allow-modals" not in sandbox
        assert "autoplay" not in re.search(r'allow="([^"]*)"', html).group(1)


# --- Vimeo ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, src",
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.vimeo.com/76979871/", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/76979871/3a2b1c0d9e",
            "https://player.vimeo.com/video/76979871?dnt=1&h=3a2b1c0d9e",
        ),
        (
            "https://player.vimeo.com/video/76979871?h=3a2b1c0d9e",
            "https://player.vimeo.com/video/76979871?dnt=1&h=3a2b1c0d9e",
        ),
    ],
)
def test_vimeo_videos_become_players_with_do_not_track(url, src):
    html = embed_html(url)
    assert html is not None
    assert iframe_src(html) == src
    assert 'title="Vimeo video"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/about",
        "https://vimeo.com/76979871abc",
        "https://vimeo.com/76979871/not-a-hash",
        "https://player.vimeo.com/video/76979871?h=%22onload%3D",
        "https://vimeo.com.evil.example/76979871",
        "https://vimeo.com/1234567890123",  # longer than any Vimeo id
    ],
)
def test_other_vimeo_links_stay_links(url):
    assert embed_html(url) is None


# --- Mastodon -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, host, status",
    [
        (
            "https://mastodon.social/@Gargron/113012345678901234",
            "mastodon.social",
            "113012345678901234",
        ),
        ("https://fosstodon.org/@some_one/1/", "fosstodon.org", "1"),
        ("https://social.example.co.uk/@a/42", "social.example.co.uk", "42"),
        ("https://xn--mstdn-kva.example/@a/42", "xn--mstdn-kva.example", "42"),
        ("https://Mastodon.Social/@a/42", "mastodon.social", "42"),
    ],
)
def test_mastodon_statuses_on_any_instance_embed_that_instance(url, host, status):
    html = embed_html(url)
    assert html is not None
    user = urlsplit(url).path.split("/")[1]
    assert iframe_src(html) == f"https://{host}/{user}/{status}/embed"
    assert f'title="Post by {user}@{host}"' in html
    assert 'loading="lazy"' in html
    assert "allow-top-navigation" not in html
    assert "<script" not in html  # the instance's embed.js is never loaded


@pytest.mark.parametrize(
    "url",
    [
        "http://mastodon.social/@Gargron/1",  # not https
        "https://127.0.0.1/@Gargron/1",
        "https://[::1]/@Gargron/1",
        "https://localhost/@Gargron/1",  # one label
        "https://mastodon.social:8443/@Gargron/1",
        "https://mastodon.social./@Gargron/1",
        "https://mast_odon.social/@Gargron/1",
        "https://-mastodon.social/@Gargron/1",
        "https://mastödon.social/@Gargron/1",
        "https://user@mastodon.social/@Gargron/1",
        "https://mastodon.social/@Gargron/notanumber",
        "https://mastodon.social/@Gargron",
        "https://mastodon.social/@Gargron@other.example/1",  # a remote account's status
        "https://mastodon.social/@Garg%22ron/1",
        "https://mastodon.social/@Gargron/1/embed",
        "https://mastodon.social/users/Gargron/statuses/1",
        "https://mastodon.social/@Gargron/123456789012345678901",  # too long for an id
    ],
)
def test_anything_but_a_plain_status_url_on_a_named_host_stays_a_link(url):
    assert embed_html(url) is None


def test_unknown_links_stay_links():
    for url in (
        "https://example.com/",
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://www.flickr.com/",
        "mailto:someone@example.com",
        "not a url at all",
        "https://[broken/",
    ):
        assert embed_html(url) is None, url


# --- Flickr ---------------------------------------------------------------------------------

PHOTO_PAGE = "https://www.flickr.com/photos/someone/53012345678/"
IMAGE = "https://live.staticflickr.com/65535/53012345678_abcdef1234_b.jpg"


def oembed(**fields) -> bytes:
    answer = {
        "type": "photo",
        "version": "1.0",
        "title": "Harbour at dawn",
        "author_name": "Someone",
        "author_url": "https://www.flickr.com/photos/someone/",
        "width": 1024,
        "height": "683",
        "url": IMAGE,
        "provider_name": "Flickr",
        "cache_age": 3600,
    }
    answer.update(fields)
    return json.dumps(answer).encode()


@pytest.fixture
def flickr(server, allow_loopback, monkeypatch):  # noqa: F811 - the fixture imported above
    """A local stand-in for Flickr's oEmbed endpoint, answering `oembed()` by default."""
    monkeypatch.setattr(embeds, "FLICKR_OEMBED_ENDPOINT", server.url("/services/oembed/"))
    server.routes["/services/oembed/"] = reply(200, oembed(), {"Content-Type": "application/json"})
    return server


def test_a_flickr_photo_page_becomes_a_figure_with_title_and_author(flickr):
    html = embed_html(PHOTO_PAGE)
    assert html == (
        '<figure class="embed embed-photo embed-flickr">'
        f'<a href="{PHOTO_PAGE}" rel="noopener">'
        f'<img src="{IMAGE}" alt="Harbour at dawn" loading="lazy" decoding="async" '
        'width="1024" height="683"></a>'
        "<figcaption>Harbour at dawn by Someone</figcaption></figure>"
    )
    (seen,) = flickr.requests
    query = parse_qs(urlsplit(seen.path).query)
    assert query == {"url": [PHOTO_PAGE], "format": ["json"]}


def test_the_short_flic_kr_form_is_looked_up_too(flickr):
    assert embed_html("https://flic.kr/p/2oAbCdE") is not None
    query = parse_qs(urlsplit(flickr.requests[0].path).query)
    assert query["url"] == ["https://flic.kr/p/2oAbCdE"]


def test_the_answer_is_cached_so_the_second_rendering_fetches_nothing(flickr):
    first = embed_html(PHOTO_PAGE)
    second = embed_html(PHOTO_PAGE)
    assert first == second is not None
    assert len(flickr.requests) == 1


def test_everything_from_flickr_is_escaped(flickr):
    flickr.routes["/services/oembed/"] = reply(
        200,
        oembed(
            title='<script>alert(1)</script>" onerror="alert(2)',
            author_name="<img src=x onerror=alert(3)>",
            width='1" onload="x',
        ),
    )
    html = embed_html(PHOTO_PAGE)
    assert html is not None
    assert "<script" not in html
    assert "<img src=x" not in html
    assert '" onerror=' not in html and '" onload=' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onerror=&quot;alert(2)" in html
    assert "width=" not in html  # a dimension that is not a number is left out


@pytest.mark.parametrize(
    "image",
    [
        "javascript:alert(1)",
        "http://live.staticflickr.com/1/2.jpg",  # not https
        "https://evil.example/1/2.jpg",
        "https://staticflickr.com.evil.example/1/2.jpg",
        "https://evilstaticflickr.com/1/2.jpg",
        "https://live.staticflickr.com@evil.example/1/2.jpg",
        "https://live.staticflickr.com:444/1/2.jpg",
        'https://live.staticflickr.com/1/2.jpg" onerror="alert(1)',
        None,
        42,
    ],
)
def test_an_image_url_that_is_not_an_https_flickr_image_is_refused(flickr, image):
    flickr.routes["/services/oembed/"] = reply(200, oembed(url=image))
    assert embed_html(PHOTO_PAGE) is None


@pytest.mark.parametrize(
    "status, body",
    [
        (200, b"not json"),
        (200, b"[1, 2]"),
        (200, oembed(type="video")),
        (200, oembed(type="rich")),
        (404, b'{"error": "not found"}'),
        (500, oembed()),
    ],
)
def test_a_failed_lookup_renders_a_plain_link_and_is_not_retried_at_once(flickr, status, body):
    flickr.routes["/services/oembed/"] = reply(status, body)
    assert embed_html(PHOTO_PAGE) is None
    assert embed_html(PHOTO_PAGE) is None
    assert len(flickr.requests) == 1


def test_after_a_failure_the_lookup_is_tried_again_later(flickr):
    flickr.routes["/services/oembed/"] = reply(503, b"")
    assert embed_html(PHOTO_PAGE) is None
    cache.clear()  # the retry time has passed
    flickr.routes["/services/oembed/"] = reply(200, oembed())
    assert embed_html(PHOTO_PAGE) is not None


def test_a_slow_flickr_costs_one_short_timeout_for_the_whole_post(flickr, monkeypatch):
    monkeypatch.setattr(embeds, "OEMBED_TIMEOUT", 0.3)

    def slow(handler):
        time.sleep(1.5)
        reply(200, oembed())(handler)

    flickr.routes["/services/oembed/"] = slow
    started = time.monotonic()
    results = [embed_html(f"https://www.flickr.com/photos/someone/{n}/") for n in range(1, 6)]
    elapsed = time.monotonic() - started
    assert results == [None] * 5
    assert elapsed < 1.0  # one timeout of 0.3 s, then Flickr counts as down
    assert len(flickr.requests) == 1


def test_the_lookup_goes_through_the_ssrf_guard(server, monkeypatch):  # noqa: F811
    # Without allow_loopback the local endpoint is a private address: refused, plain link.
    monkeypatch.setattr(embeds, "FLICKR_OEMBED_ENDPOINT", server.url("/services/oembed/"))
    server.routes["/services/oembed/"] = reply(200, oembed())
    assert embed_html(PHOTO_PAGE) is None
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "https://www.flickr.com/photos/someone/",
        "https://www.flickr.com/photos/someone/albums/72157650686499888",
        "https://www.flickr.com/groups/something/",
        "https://flickr.com.evil.example/photos/someone/53012345678/",
        "https://flic.kr/p/0OIl",  # not base58
    ],
)
def test_other_flickr_pages_are_not_looked_up(flickr, url):
    assert embed_html(url) is None
    assert flickr.requests == []
