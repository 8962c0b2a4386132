"""Consumers' fake reports and shared places: what is kept, and each bad input refused with nothing kept."""

import pytest
from django.template.loader import render_to_string

from audit.models import AuditEvent
from scans.models import ScanLocation, SuspectCase
from tests.scans.conftest import observe, path_of, visitor

pytestmark = pytest.mark.django_db

HANOI = {"latitude": "21.0285", "longitude": "105.8542"}
HANOI_NEARBY = {"latitude": "21.05", "longitude": "105.80"}
HO_CHI_MINH_CITY = {"latitude": "10.7769", "longitude": "106.7009"}


def _report(client, path, ip="203.0.113.7", **fields):
    data = {
        "code": path,
        "problem": "looks_fake",
        "where_bought": "Chợ Bắc Hà",
        "message": "Tem mờ",
        **fields,
    }
    return client.post("/scans/report/", data, REMOTE_ADDR=ip)


def test_the_report_form_on_the_scan_page_carries_the_code_and_a_hidden_honeypot(english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    answer = observe(path)
    html = render_to_string("scans/_report_form.html", {"scan": answer}, request=visitor())
    assert 'action="/scans/report/"' in html
    assert f'name="code" value="{path}"' in html
    assert "csrfmiddlewaretoken" in html
    assert '<div hidden aria-hidden="true">' in html and 'name="website"' in html


def test_a_report_is_kept_audited_and_thanked(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    response = _report(client, path, contact="0912 345 678")
    assert response.status_code == 200
    assert "Your report was sent to the province" in response.content.decode()
    case = SuspectCase.objects.get()
    assert (case.kind, case.problem, case.serial_value, case.lot_code, case.message, case.where_bought) == (
        "report",
        "looks_fake",
        serials[0].value,
        "L1",
        "Tem mờ",
        "Chợ Bắc Hà",
    )
    event = AuditEvent.objects.get(action="suspect_case.report")
    assert "0912" not in str(event.after)  # the contact stays out of the permanent log


def test_script_in_a_report_is_refused_shown_inert_and_nothing_is_kept(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    response = _report(client, path, message="<script>alert('x')</script>Hàng giả")
    text = response.content.decode()
    assert response.status_code == 400
    assert "HTML is not allowed in this field; write plain text." in text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert" in text  # given back to the visitor as text, not as a tag
    assert not SuspectCase.objects.exists()


def test_text_that_only_looks_like_markup_is_kept_and_shown_as_text(client, english, serials, settings):
    from registry.models import Role
    from tests.factories import make_user, with_role

    path = path_of(lot="L1", serial=serials[0].value)
    assert _report(client, path, message="Giá < 50.000đ & tem &lt;b&gt; lạ").status_code == 200
    official = with_role(make_user(), Role.Kind.NATIONAL)
    client.force_login(official)
    text = client.get("/reviews/").content.decode()
    assert "Giá &lt; 50.000đ &amp; tem &amp;lt;b&amp;gt; lạ" in text


def test_a_filled_honeypot_is_thanked_and_thrown_away(client, english, serials):
    response = _report(client, path_of(lot="L1", serial=serials[0].value), website="http://spam.example")
    assert response.status_code == 200
    assert "Your report was sent to the province" in response.content.decode()
    assert not SuspectCase.objects.exists()
    assert not AuditEvent.objects.filter(action="suspect_case.report").exists()


def test_a_report_flood_from_one_visitor_is_refused_past_the_hourly_limit(client, english, settings, serials):
    settings.OCOP_FAKE_REPORTS_PER_HOUR = 2
    path = path_of(lot="L1", serial=serials[0].value)
    assert _report(client, path).status_code == 200
    assert _report(client, path_of(lot="L1", serial=serials[1].value)).status_code == 200
    response = _report(client, path_of(lot="L1", serial=serials[2].value))
    assert response.status_code == 429
    assert "You have already sent 2 reports in the last hour" in response.content.decode()
    assert SuspectCase.objects.count() == 2
    # Another visitor is not held back by this one.
    assert _report(client, path, ip="198.51.100.20").status_code == 200


def test_a_report_flood_on_one_code_is_refused_past_its_hourly_limit(client, english, settings, serials):
    settings.OCOP_FAKE_REPORTS_PER_CODE_PER_HOUR = 2
    path = path_of(lot="L1", serial=serials[0].value)
    for n in (1, 2):
        assert _report(client, path, ip=f"198.51.100.{n}").status_code == 200
    response = _report(client, path, ip="198.51.100.3")
    assert response.status_code == 429
    assert "This code has been reported many times in the last hour" in response.content.decode()
    assert SuspectCase.objects.count() == 2
    assert _report(client, path_of(lot="L1", serial=serials[1].value), ip="198.51.100.3").status_code == 200


@pytest.mark.parametrize(
    "forged",
    ["/01/08930000000026/21/X1", "/01/08930000000027", "javascript:alert(1)", "/p/999999/21/X1", ""],
)
def test_a_forged_or_unknown_code_cannot_be_reported(client, english, serials, forged):
    response = _report(client, forged)
    text = response.content.decode()
    assert response.status_code == 400
    assert "not registered on OCOP Hub" in text or "not a valid GS1 Digital Link" in text
    assert not SuspectCase.objects.exists()


def test_an_overlong_or_incomplete_report_is_refused(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    response = _report(client, path, message="x" * 2001)
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    response = _report(client, path, problem="drop table")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not SuspectCase.objects.exists()


def test_a_forged_serial_can_be_reported(client, english, serials):
    """A code whose serial was never issued is exactly what a buyer should be able to report."""
    assert _report(client, path_of(lot="L1", serial="FORGED123")).status_code == 200
    assert SuspectCase.objects.get(kind="report").serial_value == "FORGED123"


# --- places shared from the browser -----------------------------------------------------------------


def _locate(client, path, place, ip="203.0.113.7"):
    return client.post(
        "/scans/locate/",
        {"code": path, **place},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT="application/json",
        HTTP_X_OCOP_LOCATE="1",
    )


def test_a_place_posted_without_the_pages_header_is_refused_and_nothing_is_stored(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    response = client.post("/scans/locate/", {"code": path, "latitude": "21.03", "longitude": "105.85"})
    assert response.status_code == 403
    assert not ScanLocation.objects.exists()


def test_two_checks_of_one_serial_far_apart_raise_an_alert(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    first = _locate(client, path, HANOI)
    assert first.status_code == 200 and first.json()["suspect"] is False
    second = _locate(client, path, HO_CHI_MINH_CITY, ip="198.51.100.4")
    assert second.json()["suspect"] is True
    assert "checked in places more than 150 km apart within 24 hours" in second.json()["message"]
    case = SuspectCase.objects.get()
    assert (case.rule, case.serial_value) == ("far_apart", serials[0].value)
    assert 1100 < case.details["km"] < 1200
    # Only rounded places are kept.
    assert {str(p.latitude) for p in ScanLocation.objects.all()} == {"21.03", "10.78"}
    # The next visitor of the code is told on the page itself.
    answer = observe(path)
    assert "far_apart" in answer["rules"]


def test_checks_of_one_serial_close_together_raise_nothing(client, english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    _locate(client, path, HANOI)
    response = _locate(client, path, HANOI_NEARBY, ip="198.51.100.4")
    assert response.json() == {
        "suspect": False,
        "message": "Thank you. Nothing unusual was found for this code at this place.",
    }
    assert not SuspectCase.objects.exists()


@pytest.mark.parametrize(
    "place",
    [
        {"latitude": "91", "longitude": "105"},
        {"latitude": "nan", "longitude": "1"},
        {"latitude": "", "longitude": ""},
    ],
)
def test_a_bad_place_is_refused_and_nothing_is_kept(client, english, serials, place):
    response = _locate(client, path_of(lot="L1", serial=serials[0].value), place)
    assert response.status_code == 400
    assert "no usable location" in response.json()["message"]
    assert not ScanLocation.objects.exists()


def test_a_place_for_a_code_without_an_issued_serial_is_refused(client, english, serials):
    response = _locate(client, path_of(lot="L1", serial="FORGED123"), HANOI)
    assert response.status_code == 400
    assert "Only a code with an issued serial number" in response.json()["message"]
    assert not ScanLocation.objects.exists()


def test_too_many_shared_places_from_one_visitor_are_refused(client, english, settings, serials):
    settings.OCOP_SCAN_LOCATES_PER_HOUR = 2
    path = path_of(lot="L1", serial=serials[0].value)
    _locate(client, path, HANOI)
    _locate(client, path, HANOI_NEARBY)
    response = _locate(client, path, HO_CHI_MINH_CITY)
    assert response.status_code == 429
    assert "many times in the last hour" in response.json()["message"]
    assert ScanLocation.objects.count() == 2 and not SuspectCase.objects.exists()


def test_the_report_page_speaks_the_language_the_scan_page_spoke(client, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    client.cookies.pop("django_language", None)
    page = client.get(
        "/scans/report/", {"code": path, "lang": "en"}, HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Send the report" in page and "?lang=en" in page  # the form posts back in English
    vietnamese = client.get("/scans/report/", {"code": path}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Gửi phản ánh" in vietnamese
