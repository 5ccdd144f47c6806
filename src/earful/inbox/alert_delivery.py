"""Delivering a fired alert: e-mail (Django's mail) and a signed JSON webhook.

The webhook body is signed with HMAC-SHA256 over the exact bytes sent, with the rule's
secret; the receiver recomputes it and compares in constant time:

    X-Earful-Signature: sha256=<hex digest>
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.core.mail import send_mail
from django.urls import reverse

from earful.web import FetchError, fetch

from .models import Alert

SIGNATURE_HEADER = "X-Earful-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(alert: Alert) -> dict:
    rule = alert.rule
    return {
        "event": "alert",
        "alert_id": alert.id,
        "rule": {"id": rule.id, "name": rule.name, "metric": rule.metric, "bucket": rule.bucket,
                 "topic": rule.topic.name if rule.topic_id else None, "query": rule.query},
        "bucket_start": alert.bucket_start.isoformat(),
        "fired_at": alert.fired_at.isoformat(),
        "value": alert.value,
        "mentions": alert.mentions,
        "baseline": round(alert.baseline, 4),
        "threshold": round(alert.threshold, 4),
        "console_url": reverse("alerts"),
    }  # fmt: skip


def _describe(alert: Alert) -> str:
    rule = alert.rule
    what = (
        f"{alert.mentions} mentions"
        if rule.metric == rule.Metric.VOLUME
        else f"{alert.value:.0%} negative ({alert.mentions} mentions)"
    )
    baseline = (
        f"{alert.baseline:.1f}" if rule.metric == rule.Metric.VOLUME else f"{alert.baseline:.0%}"
    )
    return (
        f"{rule.name}: {what} in the {rule.bucket} from {alert.bucket_start:%Y-%m-%d %H:%M} UTC, "
        f"against a usual {baseline} (threshold {alert.threshold:.2f})."
    )


def deliver(alert: Alert) -> Alert:
    """Send the alert by e-mail and webhook, as the rule says; record how each went.
    A failure is recorded, never raised: one broken channel must not stop the other."""
    rule = alert.rule
    if rule.recipients:
        try:
            send_mail(
                f"[Earful] {rule.name}", _describe(alert), None, rule.recipients,
                fail_silently=False,
            )  # fmt: skip
            alert.email_status = f"sent to {len(rule.recipients)}"
        except Exception as exc:  # noqa: BLE001 - any mail backend error is recorded
            alert.email_status = f"failed: {exc}"[:300]
    if rule.webhook_url:
        body = json.dumps(payload(alert), separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(rule.webhook_secret, body),
        }
        try:
            response = fetch(rule.webhook_url, method="POST", data=body, headers=headers,
                             max_bytes=64 * 1024, timeout=10, max_redirects=0)  # fmt: skip
            ok = 200 <= response.status < 300
            alert.webhook_status = f"{'sent' if ok else 'refused'}: HTTP {response.status}"
        except FetchError as exc:
            alert.webhook_status = f"failed: {exc}"[:300]
    alert.save(update_fields=["email_status", "webhook_status"])
    return alert
