"""Received-linkback verification throughput: N linkbacks verified against a local server.

    .venv/bin/python bench/linkback_verification.py --linkbacks 500 [--kb 20] [--plain]
    .venv/bin/python bench/linkback_verification.py --workers 4

Each run starts from an empty SQLite database in a temporary data directory, publishes one
post, serves N source pages from a local HTTP server (each an h-entry reply of about --kb
kilobytes with an author h-card, linking to the post), records N linkbacks waiting for
verification, and times `verify_linkback` on every one of them: the real fetch through
earful.web (guard, byte and time caps), the microformats parsing, the spam score and the
status change. With --workers > 1 they are verified by that many threads of one process:
the parsing is CPU-bound and threads share one interpreter lock, so this shows contention,
not the scaling of several `earful worker` processes (one per core). --plain serves pages
without microformats, where the mf2 parse is skipped. Prints linkbacks per second and the
p50 / p95 time of one verification.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def plain_page(n: int, target: str, size: int) -> bytes:
    """The same page without microformats: what most blogs that send Pingbacks serve."""
    return (
        source_page(n, target, size)
        .replace(b'class="h-entry"', b"")
        .replace(b'class="p-author h-card" ', b"")
        .replace(b'class="u-in-reply-to" ', b"")
    )


def source_page(n: int, target: str, size: int) -> bytes:
    paragraph = (
        "<p>We took the new phone on a week of trains and ferries. The battery held up, "
        "the camera was fine in daylight and poor at night, and support answered in a day."
        "</p>\n"
    )
    body = paragraph * max(1, size // len(paragraph))
    return (
        f"<!doctype html><html><head><title>Trip notes {n}</title></head><body>"
        '<article class="h-entry">'
        f'<a class="p-author h-card" href="/people/{n}">Writer {n}</a>'
        f'<a class="u-in-reply-to" href="{target}">In reply to the tour diary</a>'
        f'<h1 class="p-name">Trip notes {n}</h1>'
        f'<div class="e-content">{body}</div>'
        '<time class="dt-published" datetime="2025-03-01T10:00:00Z">1 March</time>'
        "</article></body></html>"
    ).encode()


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--linkbacks", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kb", type=int, default=20, help="size of each source page")
    parser.add_argument("--plain", action="store_true", help="pages without microformats")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="earful-bench-linkbacks-")
    os.environ.update(
        EARFUL_DATA_DIR=data_dir,
        EARFUL_ALLOW_NETWORKS="127.0.0.0/8",
        EARFUL_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",
        DJANGO_SETTINGS_MODULE="earful.settings",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from earful.blog.actions.linkbacks import verify_linkback
    from earful.blog.actions.posts import make_author, publish_post, save_post
    from earful.blog.models import Linkback

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password=None)
    post = publish_post(save_post(make_author(user, "Bench Writer"), "Tour diary", "Day one."))
    target = f"{settings.EARFUL_SITE_URL}{post.get_absolute_url()}"

    page = plain_page if args.plain else source_page
    pages = {f"/notes/{n}": page(n, target, args.kb * 1024) for n in range(args.linkbacks)}
    httpd = serve(pages)
    host = f"http://127.0.0.1:{httpd.server_address[1]}"
    Linkback.objects.bulk_create(
        Linkback(
            post=post,
            protocol=Linkback.Protocol.WEBMENTION,
            source_url=f"{host}{path}",
            target_url=target,
        )
        for path in pages
    )
    ids = list(Linkback.objects.values_list("id", flat=True))
    connection.close()

    def verify(pk: int) -> float:
        started = time.perf_counter()
        try:
            verify_linkback(Linkback.objects.select_related("post").get(pk=pk))
        finally:
            if args.workers > 1:
                connection.close()  # each thread has its own connection
        return time.perf_counter() - started

    started = time.perf_counter()
    if args.workers > 1:
        with ThreadPoolExecutor(args.workers) as pool:
            times = list(pool.map(verify, ids))
    else:
        times = [verify(pk) for pk in ids]
    elapsed = time.perf_counter() - started
    httpd.shutdown()

    statuses = dict(Linkback.objects.values_list("status").annotate(n=django.db.models.Count("id")))
    connection.close()
    shutil.rmtree(data_dir, ignore_errors=True)
    if statuses != {Linkback.Status.PENDING: args.linkbacks}:
        sys.exit(f"unexpected outcome: {statuses}")
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{args.linkbacks:,} linkbacks ({args.kb} KB {'plain' if args.plain else 'h-entry'} "
        f"pages, {args.workers} worker(s)) verified "
        f"in {elapsed:.2f} s: {args.linkbacks / elapsed:,.1f} linkbacks/s; one verification "
        f"p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
