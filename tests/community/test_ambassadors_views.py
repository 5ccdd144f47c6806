"""The ambassador pages over HTTP: the program page for visitors, members, applicants and
ambassadors; report pages and who sees them; the staff review; the weekly tally; CSRF
and hostile input on every form."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from earful.community import weekly
from earful.community.actions import ambassadors
from earful.community.models import AmbassadorApplication, AmbassadorReport, Decision, Member

pytestmark = pytest.mark.django_db

PROGRAM = "/community/ambassadors/"
MOTIVATION = "I run the Arc users' meetup in Lyon every month and answer questions there."
SAID = "Two students asked whether the Arc 5 battery lasts a day; I showed them mine at 60%."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ambassador(make_member):
    user = make_member("ambre")
    Member.objects.filter(user=user).update(is_ambassador=True)
    return user


@pytest.fixture
def pending(ambassador, category):
    return ambassadors.submit_report(
        ambassador,
        place="Café du Marché",
        audience="two students",
        said=SAID,
        product=category,
        happened_on=timezone.localdate(),
    )


def login(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def report_data(category, **changes):
    data = {
        "place": "Fnac Bellecour",
        "audience": "a shop assistant",
        "said": SAID,
        "product": category.slug,
        "happened_on": timezone.localdate().isoformat(),
    }
    data.update(changes)
    return data


def test_the_program_page_for_each_kind_of_visitor(client, asker, ambassador, staff):
    page = client.get(PROGRAM).content.decode()
    assert "Ambassadors are members" in page and "to apply or to report" in page
    page = login(asker).get(PROGRAM).content.decode()
    assert 'action="/community/ambassadors/apply"' in page and "not an ambassador yet" in page
    page = login(ambassador).get(PROGRAM).content.decode()
    assert 'action="/community/ambassadors/reports/new"' in page
    assert 'action="/community/ambassadors/apply"' not in page
    assert 'enctype="multipart/form-data"' in page
    page = login(staff).get(PROGRAM).content.decode()
    assert "Review applications and reports" in page


def test_apply_through_the_page(asker):
    client = login(asker)
    response = client.post(reverse("community:ambassador_apply"), {"motivation": "short"})
    assert response.status_code == 400 and "at least 30" in response.content.decode()
    response = client.post(reverse("community:ambassador_apply"), {"motivation": MOTIVATION})
    assert response.status_code == 302
    page = client.get(PROGRAM).content.decode()
    assert "waiting for staff" in page and 'action="/community/ambassadors/apply"' not in page
    response = client.post(reverse("community:ambassador_apply"), {"motivation": MOTIVATION})
    assert response.status_code == 400 and "waiting for staff" in response.content.decode()
    assert AmbassadorApplication.objects.count() == 1


def test_a_rejected_applicant_sees_the_reason(asker, staff):
    application = ambassadors.apply(asker, MOTIVATION)
    ambassadors.decide_application(application, staff, False, "Tell us about your meetup size.")
    assert "Tell us about your meetup size." in login(asker).get(PROGRAM).content.decode()


def test_submit_a_report_with_a_photo(ambassador, category):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "purple").save(buffer, "JPEG")
    photo = SimpleUploadedFile("shop.jpg", buffer.getvalue(), content_type="image/jpeg")
    client = login(ambassador)
    response = client.post(
        reverse("community:report_new"), {**report_data(category), "photo": photo}
    )
    found = AmbassadorReport.objects.get()
    assert response.status_code == 302 and response["Location"] == found.get_absolute_url()
    assert found.photo and found.state == Decision.PENDING
    page = client.get(found.get_absolute_url()).content.decode()
    assert "Waiting for staff" in page and found.photo.url in page


def test_bad_reports_are_refused_with_the_form_kept(ambassador, category, asker):
    client = login(ambassador)
    url = reverse("community:report_new")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for changes, message in (
        ({"happened_on": tomorrow}, "cannot be in the future"),
        ({"happened_on": "31/12/2025"}, "Enter a valid date"),
        ({"product": "no-such-line"}, "Select a valid choice"),
        ({"said": ""}, "This field is required"),
        (
            {"photo": SimpleUploadedFile("x.jpg", b"GIF89a....", content_type="image/jpeg")},
            "JPEG, PNG or WebP",
        ),
    ):
        response = client.post(url, report_data(category, **changes))
        page = response.content.decode()
        assert response.status_code == 400 and message in page, changes
        assert "Fnac Bellecour" in page or changes.get("place") is not None
    assert not AmbassadorReport.objects.exists()
    response = login(asker).post(url, report_data(category), follow=True)
    assert "Only ambassadors submit reports" in response.content.decode()
    assert not AmbassadorReport.objects.exists()


def test_who_sees_a_report(client, pending, ambassador, asker, staff):
    url = pending.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(asker).get(url).status_code == 404
    assert login(ambassador).get(url).status_code == 200
    page = login(staff).get(url).content.decode()
    assert "Approve" in page
    ambassadors.decide_report(pending, staff, True)
    page = client.get(url).content.decode()
    assert "Word of mouth at Café du Marché" in page and "two students" in page
    assert "Approve" not in page and "Withdraw" not in page
    assert client.get(reverse("community:report", args=[10**9])).status_code == 404


def test_staff_pages_and_forms_refuse_others(client, pending, ambassador, asker):
    application = ambassadors.apply(asker, MOTIVATION)
    get_urls = [reverse("community:ambassador_review")]
    post_urls = [
        reverse("community:application_decide", args=[application.pk]),
        reverse("community:report_decide", args=[pending.pk]),
        reverse("community:report_withdraw", args=[pending.pk]),
    ]
    for url in get_urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert login(ambassador).get(url).status_code == 403
    for url in post_urls:
        response = client.post(url, {"decision": "approve", "reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert (
            login(ambassador).post(url, {"decision": "approve", "reason": "x"}).status_code == 403
        )
    assert AmbassadorReport.objects.get().state == Decision.PENDING
    assert AmbassadorApplication.objects.get().state == Decision.PENDING


def test_staff_review_decide_and_withdraw(pending, asker, staff, ambassador):
    application = ambassadors.apply(asker, MOTIVATION)
    client = login(staff)
    page = client.get(reverse("community:ambassador_review")).content.decode()
    assert f"application-{application.pk}" in page and f"report-{pending.pk}" in page
    client.post(
        reverse("community:application_decide", args=[application.pk]), {"decision": "approve"}
    )
    assert Member.objects.get(user=asker).is_ambassador
    decide = reverse("community:report_decide", args=[pending.pk])
    response = client.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    client.post(decide, {"decision": "maybe"})
    assert AmbassadorReport.objects.get().state == Decision.PENDING
    client.post(decide, {"decision": "approve"})
    assert Member.objects.get(user=ambassador).points == 20
    client.post(decide, {"decision": "approve"})
    assert Member.objects.get(user=ambassador).points == 20
    withdraw = reverse("community:report_withdraw", args=[pending.pk])
    client.post(withdraw, {"reason": ""})
    assert AmbassadorReport.objects.get().state == Decision.APPROVED
    client.post(withdraw, {"reason": "Happened online."})
    assert AmbassadorReport.objects.get().state == Decision.REJECTED
    assert Member.objects.get(user=ambassador).points == 0
    page = login(ambassador).get(PROGRAM).content.decode()
    assert "Happened online." in page
    assert (
        client.post(
            reverse("community:report_decide", args=[10**9]), {"decision": "approve"}
        ).status_code
        == 404
    )


def test_forms_need_the_csrf_token(pending, asker, staff, ambassador, category):
    assert (
        login(asker, csrf=True)
        .post(reverse("community:ambassador_apply"), {"motivation": MOTIVATION})
        .status_code
        == 403
    )
    assert (
        login(staff, csrf=True)
        .post(reverse("community:report_decide", args=[pending.pk]), {"decision": "approve"})
        .status_code
        == 403
    )
    assert (
        login(ambassador, csrf=True)
        .post(reverse("community:report_new"), report_data(category))
        .status_code
        == 403
    )
    assert not AmbassadorApplication.objects.exists()
    assert AmbassadorReport.objects.get().state == Decision.PENDING


def test_the_weekly_page(client, pending, staff, ambassador):
    ambassadors.decide_report(pending, staff, True)
    this = weekly.of_day(timezone.localdate())
    page = client.get(reverse("community:ambassador_week")).content.decode()
    assert f"week {this}" in page and "Leading so far" in page and "ambre" in page
    assert f"?week={this.shifted(-1)}" in page and f"?week={this.shifted(1)}" not in page
    past = client.get(reverse("community:ambassador_week"), {"week": str(this.shifted(-1))})
    assert "No report was approved" in past.content.decode()
    assert f"?week={this}" in past.content.decode()
    for edge in ("0002-W01", "9998-W53"):
        assert client.get(reverse("community:ambassador_week"), {"week": edge}).status_code == 200
    for bad in ("2026-W99", "last week", "<script>", "9999-W52", "0001-W01"):
        response = client.get(reverse("community:ambassador_week"), {"week": bad})
        assert response.status_code == 400
        assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_finished_week_names_its_winner(client, pending, staff):
    ambassadors.decide_report(pending, staff, True)
    last = weekly.of_day(timezone.localdate()).shifted(-1)
    AmbassadorReport.objects.update(decided_at=last.bounds()[0] + timedelta(hours=9))
    page = client.get(reverse("community:ambassador_week"), {"week": str(last)}).content.decode()
    assert "Winner of the week" in page and "ambre" in page


def test_staff_end_an_ambassadorship_with_a_reason(ambassador, staff, asker):
    url = reverse("community:ambassador_end", args=[ambassador.pk])
    assert login(asker).post(url, {"reason": "x"}).status_code == 403
    client = login(staff)
    assert (
        f"ambassador-{ambassador.pk}"
        in client.get(reverse("community:ambassador_review")).content.decode()
    )
    client.post(url, {"reason": ""})
    assert Member.objects.get(user=ambassador).is_ambassador
    response = client.post(url, {"reason": "Moved abroad."}, follow=True)
    assert "ambre is no longer an ambassador" in response.content.decode()
    assert not Member.objects.get(user=ambassador).is_ambassador
    response = client.post(url, {"reason": "again"}, follow=True)
    assert "is not an ambassador" in response.content.decode()
    assert (
        client.post(reverse("community:ambassador_end", args=[10**9]), {"reason": "x"}).status_code
        == 404
    )


def test_the_program_page_names_last_weeks_winner(client, pending, staff):
    ambassadors.decide_report(pending, staff, True)
    last = weekly.of_day(timezone.localdate()).shifted(-1)
    assert "Winner of week" not in client.get(PROGRAM).content.decode()
    AmbassadorReport.objects.update(decided_at=last.bounds()[0] + timedelta(hours=9))
    page = client.get(PROGRAM).content.decode()
    assert f"Winner of week {last}" in page and "ambre" in page
