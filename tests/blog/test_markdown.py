"""Markdown rendering: what writers get, and what hostile input can never get through."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earful.blog import embeds
from earful.blog.markdown import plain_text, render_comment, render_post
from tests.web.conftest import reply
from tests.web.conftest import server as server  # noqa: F401 - the local HTTP server fixture

VIDEO = "dQw4w9WgXcQ"
SAFE_SCHEMES = ("http://", "https://", "mailto:")
EMBED_SOURCES = (
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


class Elements(HTMLParser):
    """Every start tag of a piece of HTML with its attributes, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def assert_safe(html: str, tags: set[str]) -> None:
    """Nothing in `html` can run script: allowed tags only, no handlers, no odd URLs."""
    for tag, attributes in Elements(html).elements:
        assert tag in tags, f"<{tag}> in {html!r}"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{name} on <{tag}> in {html!r}"
            assert name not in ("style", "srcdoc", "formaction"), html
            if name in ("href", "src", "action", "data", "xlink:href", "poster"):
                assert value.startswith(SAFE_SCHEMES), f"{name}={value!r} in {html!r}"
        if tag == "iframe":
            src = attributes["src"]
            assert src.startswith(EMBED_SOURCES) or src.endswith("/embed"), html
            assert "sandbox" in attributes and "allow-top-navigation" not in attributes["sandbox"]


POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "iframe",
}  # fmt: skip
COMMENT_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=https://evil.example/></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=p></form>',
    "<!--<script>alert(1)</script>-->",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.com/x.png)',
    '[x](https://example.com/"onmouseover="alert(1))',
    '[x](https://example.com/ "title\\" onmouseover=\\"alert(1)")',
    "[<img src=x onerror=alert(1)>](https://example.com/)",
    "**<a href=javascript:alert(1)>bold</a>**",
    "[a][ref]\n\n[ref]: javascript:alert(1)",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
    f'https://www.youtube.com/watch?v={VIDEO}"><script>alert(1)</script>',
    f"https://www.youtube.com/watch?v={VIDEO}&x=<img src=x onerror=alert(1)>",
    "https://mastodon.social/@a/1\"onload='alert(1)'",
    "https://evil.example/@a/1<script>alert(1)</script>",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_post_markdown_renders_harmlessly(source):
    html = render_post(source)
    assert_safe(html, POST_TAGS)
    assert "<script" not in html.lower()


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_comment_markdown_renders_harmlessly(source):
    html = render_comment(source)
    assert_safe(html, COMMENT_TAGS)
    assert "<script" not in html.lower()


def test_raw_html_is_shown_as_text_not_dropped():
    assert (
        render_post("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_javascript_links_lose_their_href():
    for source in ("[click](javascript:alert(1))", "[click](&#106;avascript:alert(1))"):
        html = render_post(source)
        assert "href" not in html


def test_attribute_breakouts_are_escaped():
    html = render_post('![x" onerror="alert(1)](https://example.com/x.png)')
    assert html == (
        '<p><img src="https://example.com/x.png" alt="x&quot; onerror=&quot;alert(1)"></p>\n'
    )
    html = render_post('[x](https://example.com/"onmouseover="alert(1))')
    assert 'href="https://example.com/%22onmouseover=%22alert(1)"' in html


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(HOSTILE + ["\n", "\n\n", " ", "*", "[", "](", ")", "<", ">", '"', "`"])
        | st.text(max_size=20),
        max_size=12,
    )
)
def test_any_mix_of_hostile_pieces_renders_harmlessly(pieces):
    source = "".join(pieces)
    assert_safe(render_post(source), POST_TAGS)
    assert_safe(render_comment(source), COMMENT_TAGS)


# --- what writers get -----------------------------------------------------------------------


def test_posts_get_commonmark_with_tables_and_strikethrough():
    html = render_post("# Title\n\nSome *words* and ~~old~~.\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html
    assert "<em>words</em>" in html and "<s>old</s>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_links_in_posts_get_rel_noopener():
    html = render_post("[our shop](https://shop.example/)")
    assert html == '<p><a href="https://shop.example/" rel="noopener">our shop</a></p>\n'


def test_comments_get_a_subset_and_nofollow_links():
    html = render_comment(
        "# Not a heading\n\n![img](https://e.example/x.png)\n\n[a](https://e.example/)"
    )
    assert "<h1>" not in html and "<img" not in html
    assert '<a href="https://e.example/" rel="nofollow ugc noopener">a</a>' in html


# --- embeds in posts ------------------------------------------------------------------------


def test_a_video_link_alone_on_its_line_becomes_a_player():
    html = render_post(f"Look:\n\nhttps://youtu.be/{VIDEO}\n\nNice, no?")
    assert f'<iframe src="https://www.youtube-nocookie.com/embed/{VIDEO}"' in html
    assert html.startswith("<p>Look:</p>") and html.rstrip().endswith("<p>Nice, no?</p>")
    assert_safe(html, POST_TAGS)


def test_an_autolink_alone_in_a_paragraph_becomes_an_embed():
    html = render_post("<https://mastodon.social/@Gargron/113012345678901234>")
    assert 'src="https://mastodon.social/@Gargron/113012345678901234/embed"' in html


def test_a_video_link_inside_text_stays_a_link():
    for source in (
        f"Watch [this video](https://youtu.be/{VIDEO}) now.",
        f"[this video](https://youtu.be/{VIDEO})",  # the text is not the URL
        f"- <https://youtu.be/{VIDEO}>",
        f"> <https://youtu.be/{VIDEO}> and more",
    ):
        html = render_post(source)
        assert "<iframe" not in html, source
        assert f'href="https://youtu.be/{VIDEO}"' in html, source


def test_a_video_url_in_code_stays_code():
    html = render_post(f"    https://youtu.be/{VIDEO}\n\n`https://youtu.be/{VIDEO}`")
    assert "<iframe" not in html and "href" not in html


def test_an_unknown_link_alone_on_its_line_stays_a_plain_link():
    html = render_post("https://example.com/a?b=1&c=2")
    assert html == (
        '<p><a href="https://example.com/a?b=1&amp;c=2" rel="noopener">'
        "https://example.com/a?b=1&amp;c=2</a></p>\n"
    )


def test_comments_never_embed():
    html = render_comment(f"<https://youtu.be/{VIDEO}>")
    assert "<iframe" not in html
    assert f'href="https://youtu.be/{VIDEO}"' in html


def test_the_text_of_an_embed_reads_as_its_link():
    html = render_post(f"https://youtu.be/{VIDEO}")
    assert plain_text(html) == "Watch on YouTube"


def test_a_flickr_photo_renders_from_its_oembed_answer(server, allow_loopback, monkeypatch):  # noqa: F811
    monkeypatch.setattr(embeds, "FLICKR_OEMBED_ENDPOINT", server.url("/oembed"))
    answer = {
        "type": "photo",
        "title": "Fog & <ferries>",
        "author_name": "Ann",
        "url": "https://live.staticflickr.com/65535/1_2_b.jpg",
        "width": 1024,
        "height": 768,
    }
    server.routes["/oembed"] = reply(200, json.dumps(answer).encode())
    page = "https://www.flickr.com/photos/ann/1234567/"
    html = render_post(f"Our ferry:\n\n{page}")
    assert '<a href="https://www.flickr.com/photos/ann/1234567/" rel="noopener">' in html
    assert (
        '<img src="https://live.staticflickr.com/65535/1_2_b.jpg" alt="Fog &amp; &lt;ferries&gt;"'
        in html
    )
    assert "<figcaption>Fog &amp; &lt;ferries&gt; by Ann</figcaption>" in html
    assert_safe(html, POST_TAGS)

    server.routes["/oembed"] = reply(404, b"")
    other = "https://www.flickr.com/photos/ann/7654321/"
    assert render_post(other) == f'<p><a href="{other}" rel="noopener">{other}</a></p>\n'
