"""The review queue: who sees which cases, decisions (audited), filters, refusals that change nothing."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from registry.models import Role
from registry.services import packaging_add
from scans.models import SuspectCase
from tests.factories import commune, make_entity, make_product, make_user, province, with_role

pytestmark = pytest.mark.django_db


def _case(product, *, kind="alert", rule="never_issued", serial="FORGED1", **fields) -> SuspectCase:
    now = timezone.now()
    return SuspectCase.objects.create(
        kind=kind,
        rule=rule if kind == "alert" else "",
        problem="looks_fake" if kind == "report" else "",
        product=product,
        serial_value=serial,
        first_at=now,
        last_at=now,
        **fields,
    )


@pytest.fixture
def lao_cai_case():
    product = make_product(status="certified", name="Chè Shan tuyết Lào Cai")
    return _case(product, serial="LC0001")


@pytest.fixture
def lang_son_case():
    entity = make_entity(commune_obj=commune("Lạng Sơn"))
    product = make_product(entity=entity, status="certified", name="Hồi Lạng Sơn")
    return _case(product, serial="LS0001")


def _official_of(province_name: str):
    return with_role(make_user(), Role.Kind.PROVINCE, province=province(province_name))


def _decide(client, case, status="confirmed_fake", note="Tem in lại"):
    return client.post(f"/reviews/{case.pk}/decide/", {"status": status, "note": note})


def test_a_province_official_sees_only_their_province(client, english, lao_cai_case, lang_son_case):
    client.force_login(_official_of("Lào Cai"))
    text = client.get("/reviews/").content.decode()
    assert "LC0001" in text and "Chè Shan tuyết Lào Cai" in text
    assert "LS0001" not in text and "Hồi Lạng Sơn" not in text


def test_a_forged_decision_on_another_province_is_404_and_changes_nothing(
    client, english, lao_cai_case, lang_son_case
):
    client.force_login(_official_of("Lào Cai"))
    audited = AuditEvent.objects.count()
    response = _decide(client, lang_son_case, status="false_alarm", note="Không phải hàng giả")
    assert response.status_code == 404
    lang_son_case.refresh_from_db()
    assert (lang_son_case.status, lang_son_case.decision_note, lang_son_case.decided_by) == ("open", "", None)
    assert AuditEvent.objects.count() == audited


def test_commune_officials_entity_members_and_national_officials_see_their_part(
    client, english, lao_cai_case, lang_son_case
):
    product = lao_cai_case.product
    communal = with_role(make_user(), Role.Kind.COMMUNE, commune=product.commune)
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity)
    national = with_role(make_user(), Role.Kind.NATIONAL)
    for user, sees_lang_son in ((communal, False), (member, False), (national, True)):
        client.force_login(user)
        text = client.get("/reviews/").content.decode()
        assert "LC0001" in text
        assert ("LS0001" in text) is sees_lang_son


def test_the_public_is_kept_out_of_the_queue(client, english, lao_cai_case):
    assert client.get("/reviews/").status_code == 302  # to the login page
    client.force_login(make_user())
    response = client.get("/reviews/")
    assert response.status_code == 403
    assert "LC0001" not in response.content.decode()
    assert _decide(client, lao_cai_case).status_code == 404
    lao_cai_case.refresh_from_db()
    assert lao_cai_case.status == "open"


def test_a_decision_is_recorded_audited_and_shown(client, english, lao_cai_case):
    official = _official_of("Lào Cai")
    client.force_login(official)
    response = _decide(client, lao_cai_case, status="confirmed_fake", note="Tem in lại ở chợ")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The decision was recorded." in page
    assert "Confirmed fake" in page and "Tem in lại ở chợ" in page
    lao_cai_case.refresh_from_db()
    assert (lao_cai_case.status, lao_cai_case.decided_by) == ("confirmed_fake", official)
    event = AuditEvent.objects.get(action="suspect_case.decide", object_id=str(lao_cai_case.pk))
    assert event.before == {"status": "open", "decision_note": ""}
    assert event.after == {"status": "confirmed_fake", "decision_note": "Tem in lại ở chợ"}
    assert event.actor == official and event.reason == "Tem in lại ở chợ"


def test_a_final_decision_without_a_note_or_an_unknown_one_is_refused(client, english, lao_cai_case):
    client.force_login(_official_of("Lào Cai"))
    page = client.get(_decide(client, lao_cai_case, note="")["Location"]).content.decode()
    assert "Write a short note on why" in page
    page = client.get(_decide(client, lao_cai_case, status="open")["Location"]).content.decode()
    assert "Select a valid choice" in page
    page = client.get(_decide(client, lao_cai_case, note="<b>x</b>")["Location"]).content.decode()
    assert "HTML is not allowed" in page
    lao_cai_case.refresh_from_db()
    assert lao_cai_case.status == "open"
    assert not AuditEvent.objects.filter(action="suspect_case.decide").exists()


def test_a_producer_may_investigate_but_not_dismiss_a_case_of_its_own_product(client, english, lao_cai_case):
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=lao_cai_case.product.entity)
    client.force_login(member)
    page = client.get(_decide(client, lao_cai_case, status="false_alarm")["Location"]).content.decode()
    assert "Only an official of the province or commune can mark a case as a false alarm." in page
    lao_cai_case.refresh_from_db()
    assert lao_cai_case.status == "open"
    _decide(client, lao_cai_case, status="investigating", note="")
    lao_cai_case.refresh_from_db()
    assert lao_cai_case.status == "investigating"


def test_the_queue_filters_by_status_and_kind_and_says_when_it_is_empty(client, english, lao_cai_case):
    _case(lao_cai_case.product, kind="report", serial="LC0002", message="Hộp khác màu")
    decided = _case(lao_cai_case.product, rule="recalled", serial="LC0003", status="false_alarm")
    client.force_login(_official_of("Lào Cai"))
    text = client.get("/reviews/?kind=report").content.decode()
    assert "LC0002" in text and "LC0001" not in text and "LC0003" not in text
    text = client.get("/reviews/?status=false_alarm").content.decode()
    assert decided.serial_value in text and "LC0001" not in text
    text = client.get("/reviews/?serial=LC0001").content.decode()
    assert "LC0001" in text and "LC0002" not in text
    text = client.get("/reviews/?status=confirmed_fake").content.decode()
    assert "Nothing to review" in text
    # An unknown filter value is ignored, not an error.
    assert client.get("/reviews/?status=<script>").status_code == 200


def test_the_queue_pages(client, english, settings, lao_cai_case):
    settings.PAGE_SIZE = 2
    for n in range(2, 5):
        _case(lao_cai_case.product, serial=f"LC000{n}")
    client.force_login(_official_of("Lào Cai"))
    first = client.get("/reviews/").content.decode()
    second = client.get("/reviews/?page=2").content.decode()
    assert first.count('data-testid="review-case"') == 2 and second.count('data-testid="review-case"') == 2
    assert "Page 1 of 2" in first


def test_an_alert_raised_by_a_scan_reaches_the_province_queue(client, english):
    from tests.scans.conftest import GTIN, observe, path_of

    product = make_product(status="certified", name="Mật ong Bắc Hà")
    packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    observe(path_of(serial="FORGED999"))
    client.force_login(_official_of("Lào Cai"))
    text = client.get("/reviews/").content.decode()
    assert "Serial never issued" in text and "FORGED999" in text
    assert AuditEvent.objects.filter(action="suspect_case.alert").count() == 1
