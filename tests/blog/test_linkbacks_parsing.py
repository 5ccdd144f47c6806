"""Reading a linkback's source page: the link, the microformats, the fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from earful.blog.linkback_parsing import normalise_url, read_html, read_source, read_text

TARGET = "https://blog.example.com/blog/day-1/"
PAGE = "https://them.example.org/notes/42"


def page(body: str, head: str = "<title>Their page</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "markup",
    [
        f'<a href="{TARGET}">the post</a>',
        '<a href="//blog.example.com/blog/day-1/">protocol-relative</a>',
        '<a href="HTTPS://Blog.Example.COM:443/blog/day-1/#comments">case, port, fragment</a>',
        f'<img src="{TARGET}" alt="">',
        f'<p><video src="{TARGET}"></video></p>',
        f'<map><area href="{TARGET}" alt="x"></map>',
    ],
)
def test_every_kind_of_link_counts(markup):
    assert read_html(page(markup), PAGE, [TARGET]).links_here


def test_a_link_element_in_the_head_counts():
    assert read_html(page("", f'<link rel="related" href="{TARGET}">'), PAGE, [TARGET]).links_here


def test_relative_links_resolve_against_the_page_and_its_base():
    same_site = "https://them.example.org/blog/day-1/"
    assert read_html(page('<a href="../blog/day-1/">up</a>'), PAGE, [same_site]).links_here
    based = page('<a href="day-1/">rel</a>', '<base href="https://blog.example.com/blog/">')
    assert read_html(based, PAGE, [TARGET]).links_here


@pytest.mark.parametrize(
    "markup",
    [
        "",
        '<a href="https://blog.example.com/blog/day-2/">another post</a>',
        "<p>https://blog.example.com/blog/day-1/ written out, not linked</p>",
        f'<script>var a = "<a href={TARGET}>";</script>',
        '<a href="https://blog.example.com.evil.test/blog/day-1/">lookalike host</a>',
    ],
)
def test_pages_that_do_not_link_here(markup):
    assert not read_html(page(markup), PAGE, [TARGET]).links_here


def test_without_microformats_title_and_text_around_the_link():
    words = "word " * 200
    html = page(f'<div><p>{words} I agree with <a href="{TARGET}">this post</a> {words}</p></div>')
    reading = read_html(html, PAGE, [TARGET])
    assert reading.kind == "mention"
    assert reading.title == "Their page"
    assert "I agree with this post" in reading.excerpt
    assert len(reading.excerpt) <= 290
    assert reading.author_name == ""


REPLY = f"""
<article class="h-entry">
  <a class="p-author h-card" href="/about"><img src="/me.jpg" alt="">Jo Smith</a>
  <a class="u-in-reply-to" href="{TARGET}">In reply to</a>
  <div class="e-content">I tried the <b>Arc</b> phone too. Battery is fine.</div>
  <time class="dt-published" datetime="2024-05-06T07:08:09+02:00">May 6</time>
</article>
"""


def test_a_reply_with_author_content_and_date():
    reading = read_html(page(REPLY), PAGE, [TARGET])
    assert reading.links_here
    assert reading.kind == "reply"
    assert reading.author_name == "Jo Smith"
    assert reading.author_url == "https://them.example.org/about"
    assert reading.author_photo == "https://them.example.org/me.jpg"
    assert reading.excerpt == "I tried the Arc phone too. Battery is fine."
    assert reading.published_at == datetime(2024, 5, 6, 5, 8, 9, tzinfo=UTC)
    assert reading.title == "Their page"  # a note's implied name is not a title


@pytest.mark.parametrize(
    ("prop", "kind"),
    [("u-like-of", "like"), ("u-repost-of", "repost"), ("u-bookmark-of", "bookmark")],
)
def test_like_repost_bookmark(prop, kind):
    html = page(f'<div class="h-entry"><a class="{prop}" href="{TARGET}">it</a></div>')
    assert read_html(html, PAGE, [TARGET]).kind == kind


def test_a_like_of_another_page_is_only_a_mention_of_ours():
    html = page(
        '<div class="h-entry"><a class="u-like-of" href="https://elsewhere.test/x">that</a>'
        f'<p class="e-content">See also <a href="{TARGET}">this</a></p></div>'
    )
    assert read_html(html, PAGE, [TARGET]).kind == "mention"


def test_the_entry_that_links_here_is_read_in_a_feed():
    html = page(
        '<div class="h-feed">'
        '<article class="h-entry"><p class="e-content">Unrelated first entry</p></article>'
        f'<article class="h-entry"><h1 class="p-name">Trip report</h1>'
        f'<p class="e-content">We met <a href="{TARGET}">them</a> in Berlin.</p>'
        '<span class="p-author">Sam</span></article>'
        "</div>"
    )
    reading = read_html(html, PAGE, [TARGET])
    assert reading.title == "Trip report"
    assert reading.excerpt == "We met them in Berlin."
    assert reading.author_name == "Sam"


def test_a_reply_as_an_h_cite_counts_as_a_link():
    html = page(
        '<div class="h-entry"><div class="u-in-reply-to h-cite">'
        f'<a class="u-url" href="{TARGET}">the post</a></div><p class="e-content">Yes!</p></div>'
    )
    reading = read_html(html, PAGE, [TARGET])
    assert (reading.links_here, reading.kind, reading.excerpt) == (True, "reply", "Yes!")


def test_the_page_h_card_is_the_author_when_the_entry_names_none():
    html = page(
        '<div class="h-card"><a class="p-name u-url" href="https://them.example.org/">Ana</a></div>'
        f'<div class="h-entry"><p class="e-content">Read <a href="{TARGET}">this</a></p></div>'
    )
    reading = read_html(html, PAGE, [TARGET])
    assert (reading.author_name, reading.author_url) == ("Ana", "https://them.example.org/")


def test_hostile_values_are_cut_and_non_web_urls_dropped():
    html = page(
        '<div class="h-entry">'
        '<a class="p-author h-card" href="javascript:alert(1)">' + "N" * 1000 + "</a>"
        f'<p class="e-content">{"long " * 1000}<a href="{TARGET}">x</a></p>'
        '<time class="dt-published" datetime="not a date">?</time></div>'
    )
    reading = read_html(html, PAGE, [TARGET])
    assert reading.author_url == ""
    assert len(reading.author_name) <= 200
    assert len(reading.excerpt) <= 500
    assert reading.published_at is None


def test_plain_text_and_json_sources_link_by_containing_the_url():
    assert read_source(f"see {TARGET} now", "text/plain", PAGE, [TARGET]).links_here
    assert read_source(f'{{"url": "{TARGET}"}}', "application/json", PAGE, [TARGET]).links_here
    assert not read_text("nothing here", [TARGET]).links_here


def test_normalise_url():
    assert normalise_url("HTTP://Example.COM:80") == "http://example.com/"
    assert normalise_url("https://a.test:8443/x?y=1#z") == "https://a.test:8443/x?y=1"
