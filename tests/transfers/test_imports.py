"""Importing provinces' files: what the preview shows, what a confirmation writes (and audits), how a
second or corrected file behaves, how products and communes are recognised, and who may import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from certificates.models import Certificate
from places.models import Commune
from registry.models import Entity, Product, Recognition
from tests.factories import commune, make_entity, make_product
from tests.transfers.helpers import (
    CERT_HEADERS,
    ENTITY_HEADERS,
    LS,
    PRODUCT_HEADERS,
    RECOGNITION_HEADERS,
    apply,
    entity_row,
    errors_of,
    messages_by_column,
    outcomes,
    preview,
    preview_and_apply,
    province_official,
    row_at,
    rows_of,
    written,
    xlsx,
)
from transfers import services
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db

A, B = "4900123456", "4900654321"
TEA, HONEY = "Chè Shan tuyết Mẫu Sơn", "Mật ong hoa bạc hà"
ENTITY_PHONE_HEADERS = [*ENTITY_HEADERS, "Điện thoại"]
CERT_NAMED_HEADERS = [*CERT_HEADERS, "Tên sản phẩm"]


def four_sheets(*, phone_a="0205 3871 234", tea_price="1.250.000", cert_2022_score="78,5") -> bytes:
    """Two entities of Mẫu Sơn (Lạng Sơn), a tea with the province's code and a honey without one, a
    VietGAP recognition and three past certificates: the tea's of 2019 (replaced in 2022 before its
    end), the tea's of 2022 (ended 15/09/2025: expired) and the honey's of 2024 (valid to 2027)."""
    return xlsx(
        {
            "Chủ thể": [
                ENTITY_PHONE_HEADERS,
                [*entity_row(A, "Hợp tác xã Chè Mẫu Sơn"), phone_a],
                [*entity_row(B, "Hộ kinh doanh Lý Thị Mai", kind="Hộ kinh doanh", workers=3), "0912 345 678"],
            ],
            "Sản phẩm": [
                PRODUCT_HEADERS,
                [A, "LS-001", TEA, "QD26-11", tea_price],
                [B, None, HONEY, "QD26-04", 350000],
            ],
            "Công nhận": [
                RECOGNITION_HEADERS,
                [
                    A,
                    "LS-001",
                    None,
                    "VietGAP",
                    "VG-0123",
                    "Sở Nông nghiệp Lạng Sơn",
                    "01/03/2023",
                    "01/03/2026",
                ],
            ],
            "Giấy chứng nhận": [
                CERT_NAMED_HEADERS,
                ["15/2019/GCN", A, "LS-001", 3, "65", "1502/QĐ-UBND", "01/10/2019", None, None],
                ["22/2022/GCN", A, "LS-001", 4, cert_2022_score, "2201/QĐ-UBND", "15/09/2022", None, None],
                ["31/2024/GCN", B, None, 4, "80", "3101/QĐ-UBND", "01/06/2024", "01/06/2027", HONEY],
            ],
        }
    )


# --- 1. the happy path -------------------------------------------------------------------------------


def test_it_previews_a_four_sheet_workbook_without_writing_anything(english):
    actor = province_official()
    before = written()

    job = preview(actor, four_sheets())

    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert job.counts == {
        "entities": {"create": 2, "update": 0, "unchanged": 0, "error": 0},
        "products": {"create": 2, "update": 0, "unchanged": 0, "error": 0},
        "recognitions": {"create": 1, "update": 0, "unchanged": 0, "error": 0},
        "certificates": {"create": 3, "update": 0, "unchanged": 0, "error": 0},
    }
    assert job.change_count == 8
    assert written() == before
    assert not Entity.objects.filter(tax_code__in=[A, B]).exists()


def test_it_writes_and_audits_every_row_of_a_confirmed_workbook(english):
    actor = province_official()
    before = written()

    job = preview_and_apply(actor, four_sheets())

    assert job.status == ImportJob.Status.APPLIED
    after = written()
    assert {k: after[k] - before[k] for k in ("entities", "products", "recognitions", "certificates")} == {
        "entities": 2,
        "products": 2,
        "recognitions": 1,
        "certificates": 3,
    }
    a, b = Entity.objects.get(tax_code=A), Entity.objects.get(tax_code=B)
    assert a.commune == commune(LS, "Mẫu Sơn")
    assert (a.kind, b.kind) == (Entity.Kind.COOPERATIVE, Entity.Kind.HOUSEHOLD)
    tea = Product.objects.get(entity=a)
    honey = Product.objects.get(entity=b)
    assert (tea.code, tea.name_vi, tea.price_min_vnd, tea.category_id) == ("LS-001", TEA, 1250000, "QD26-11")
    assert (honey.code, honey.name_vi, honey.category_id) == ("", HONEY, "QD26-04")
    recognition = Recognition.objects.get(entity=a)
    assert (recognition.kind, recognition.number, recognition.product) == ("vietgap", "VG-0123", tea)

    def audited(action: str) -> set[str]:
        return set(AuditEvent.objects.filter(action=action).values_list("object_id", flat=True))

    assert audited("entity.create") == {str(a.pk), str(b.pk)}
    assert audited("product.create") == {str(tea.pk), str(honey.pk)}
    assert audited("recognition.create") == {str(recognition.pk)}
    certificate_ids = {str(pk) for pk in Certificate.objects.values_list("pk", flat=True)}
    assert audited("certificate.import") == certificate_ids
    assert len(certificate_ids) == 3


def test_it_imports_past_certificates_with_the_status_their_dates_give(english):
    actor = province_official()

    preview_and_apply(actor, four_sheets())

    status = dict(Certificate.objects.values_list("number", "status"))
    assert status == {
        "15/2019/GCN": Certificate.Status.SUPERSEDED,  # replaced on 15/09/2022, before its end (01/10/2022)
        "22/2022/GCN": Certificate.Status.EXPIRED,  # ended 15/09/2025
        "31/2024/GCN": Certificate.Status.VALID,  # until 01/06/2027
    }
    tea = Product.objects.get(entity__tax_code=A)
    honey = Product.objects.get(entity__tax_code=B)
    assert tea.status == Product.Status.EXPIRED
    assert honey.status == Product.Status.CERTIFIED
    latest = Certificate.objects.get(number="22/2022/GCN")
    assert latest.score == Decimal("78.50")
    assert str(latest.valid_until) == "2025-09-15"  # 36 months from the decision


# --- 2. the same file again ---------------------------------------------------------------------------


def test_it_finds_nothing_to_change_in_the_same_file_imported_again(english):
    actor = province_official()
    content = four_sheets()
    preview_and_apply(actor, content)
    before = written()

    again = preview(actor, content)

    assert again.status == ImportJob.Status.PREVIEWED
    assert set(outcomes(again)) == {"unchanged"}
    assert len(outcomes(again)) == 8
    assert again.change_count == 0
    assert again.error_count == 0
    # The page offers no confirm button here; the service itself accepts the confirmation (and
    # records "import.confirm") or refuses it: either way the register is left as it was.
    try:
        services.import_apply_confirm(actor=actor, job=again)
    except ValidationError:
        pass
    else:
        services.import_apply_run(job_id=again.pk)
    assert written() == before


# --- 3. a corrected file -------------------------------------------------------------------------------


def test_it_updates_only_the_changed_fields_of_a_corrected_file(english):
    actor = province_official()
    preview_and_apply(actor, four_sheets())

    job = preview(actor, four_sheets(phone_a="0205 3999 999", tea_price="1.300.000", cert_2022_score="81"))

    assert job.error_count == 0, errors_of(job)
    entity_a, entity_b = rows_of(job, "entities")
    assert (entity_a.outcome, entity_a.changes) == ("update", ["phone"])
    assert entity_b.outcome == "unchanged"
    tea, honey = rows_of(job, "products")
    assert (tea.outcome, tea.changes) == ("update", ["price_min_vnd"])
    assert honey.outcome == "unchanged"
    assert outcomes(job, "recognitions") == ["unchanged"]
    certificates = {row.label.split(" — ")[0]: row for row in rows_of(job, "certificates")}
    assert (certificates["22/2022/GCN"].outcome, certificates["22/2022/GCN"].changes) == ("update", ["score"])
    assert certificates["15/2019/GCN"].outcome == "unchanged"
    assert certificates["31/2024/GCN"].outcome == "unchanged"
    assert job.change_count == 3


def test_it_applies_a_corrected_file_with_audited_updates_naming_the_import(english):
    actor = province_official()
    preview_and_apply(actor, four_sheets())
    events_before = AuditEvent.objects.count()

    job = preview_and_apply(
        actor, four_sheets(phone_a="0205 3999 999", tea_price="1.300.000", cert_2022_score="81")
    )

    a = Entity.objects.get(tax_code=A)
    assert a.phone == "0205 3999 999"
    assert Product.objects.get(entity=a).price_min_vnd == 1300000
    assert Certificate.objects.get(number="22/2022/GCN").score == Decimal("81.00")
    new = AuditEvent.objects.order_by("id")[events_before:]
    by_action = {e.action: e for e in new}
    for action in ("entity.update", "product.update", "certificate.import_correct"):
        assert action in by_action, sorted(by_action)
        assert f"#{job.pk}" in by_action[action].reason
    assert by_action["entity.update"].object_id == str(a.pk)
    assert not {"entity.create", "product.create", "certificate.import"} & set(by_action)


def test_it_adds_a_renewal_certificate_from_a_later_file_replacing_the_registered_one(english):
    """A province sends its register in batches: the 2022 certificate first, then a file that also
    holds the product's renewal of 2025 (decided before the 2022 one ended)."""
    actor = province_official()
    first = xlsx(
        {
            "Chủ thể": [ENTITY_HEADERS, entity_row(A, "Hợp tác xã Chè Mẫu Sơn")],
            "Sản phẩm": [PRODUCT_HEADERS, [A, "LS-001", TEA, "QD26-11", None]],
            "Giấy chứng nhận": [
                CERT_HEADERS,
                ["22/2024/GCN", A, "LS-001", 4, "78", "2201/QĐ-UBND", "15/01/2024", None],
            ],
        }
    )
    preview_and_apply(actor, first)
    assert Certificate.objects.get(number="22/2024/GCN").status == Certificate.Status.VALID
    later = xlsx(
        {
            "Giấy chứng nhận": [
                CERT_HEADERS,
                ["22/2024/GCN", A, "LS-001", 4, "78", "2201/QĐ-UBND", "15/01/2024", None],
                ["09/2026/GCN", A, "LS-001", 4, "85", "0901/QĐ-UBND", "10/09/2026", None],
            ]
        }
    )

    job = preview(actor, later)

    assert job.error_count == 0, errors_of(job)
    assert outcomes(job) == ["unchanged", "create"]
    apply(actor, job)
    status = dict(Certificate.objects.values_list("number", "status"))
    assert status == {"22/2024/GCN": Certificate.Status.SUPERSEDED, "09/2026/GCN": Certificate.Status.VALID}


# --- 4. recognising products --------------------------------------------------------------------------


def test_it_recognises_a_product_by_the_files_own_code(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    product = make_product(entity=entity, name="Miến dong Bình Liêu", category="QD26-06", code="LS-777")
    content = xlsx(
        {"Sản phẩm": [PRODUCT_HEADERS, [entity.tax_code, "LS-777", "Miến dong Bình Liêu loại 1", "6", None]]}
    )

    job = preview(actor, content)

    row = rows_of(job)[0]
    assert (row.outcome, row.changes) == ("update", ["name_vi"])
    apply(actor, job)
    product.refresh_from_db()
    assert product.name_vi == "Miến dong Bình Liêu loại 1"
    assert Product.objects.filter(entity=entity).count() == 1


def test_it_recognises_a_product_without_code_by_entity_and_name(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    tea = make_product(entity=entity, name="Chè Shan Tuyết Mẫu Sơn", category="QD26-11")
    honey = make_product(entity=entity, name="Mật ong bạc hà", category="QD26-04")
    content = xlsx(
        {
            "Sản phẩm": [
                PRODUCT_HEADERS,
                [entity.tax_code, None, "CHÈ SHAN TUYẾT MẪU SƠN", "QD26-11", 90000],
                [entity.tax_code, None, "mat ong bac ha", "QD26-04", 250000],
            ]
        }
    )

    job = preview(actor, content)

    assert job.error_count == 0, errors_of(job)
    assert outcomes(job) == ["update", "update"]
    assert all("price_min_vnd" in row.changes for row in rows_of(job))
    apply(actor, job)
    assert Product.objects.filter(entity=entity).count() == 2
    tea.refresh_from_db()
    honey.refresh_from_db()
    assert (tea.price_min_vnd, honey.price_min_vnd) == (90000, 250000)
    # A name typed without diacritics finds the product but does not strip the register's marks.
    assert "name_vi" not in row_at(job, "products", 3).changes
    assert honey.translation("vi").name == "Mật ong bạc hà"


# --- 5. communes ----------------------------------------------------------------------------------------


def _entities_file(*rows) -> bytes:
    return xlsx({"Chủ thể": [ENTITY_HEADERS, *rows]})


def test_it_matches_a_commune_written_without_diacritics_or_prefix(english):
    actor = province_official()
    mau_son = Commune.objects.get(province__name__contains=LS, name="Xã Mẫu Sơn")
    content = _entities_file(
        entity_row("4900000001", "HTX Một", commune="Mau Son"),
        entity_row("4900000002", "HTX Hai", commune="Xã Mẫu Sơn"),
        entity_row("4900000003", "HTX Ba", commune="mẫu sơn", province=""),
        entity_row("4900000004", "HTX Bốn", commune="xa mau son"),
    )

    preview_and_apply(actor, content)

    communes = set(
        Entity.objects.filter(tax_code__startswith="490000000").values_list("commune_id", flat=True)
    )
    assert communes == {mau_son.code}


def test_it_maps_a_former_commune_name_to_todays_commune_with_a_note(english):
    actor = province_official()
    dong_kinh = Commune.objects.get(province__name__contains=LS, name="Phường Đông Kinh")
    assert "Xã Mai Pha" in dong_kinh.former_names
    content = _entities_file(entity_row("4900000001", "HTX Mai Pha", commune="Xã Mai Pha"))

    job = preview(actor, content)

    row = rows_of(job)[0]
    assert row.outcome == "create"
    assert any("Mai Pha" in note and "Phường Đông Kinh" in note for note in row.notes), row.notes
    apply(actor, job)
    assert Entity.objects.get(tax_code="4900000001").commune == dong_kinh


def test_it_lists_the_candidates_of_an_ambiguous_commune_name(english):
    actor = province_official("Thái Nguyên")
    candidates = Commune.objects.filter(
        province__name__contains="Thái Nguyên", name__in=["Xã Văn Lang", "Xã Văn Lăng"]
    )
    assert candidates.count() == 2
    content = _entities_file(
        entity_row("4900000001", "HTX Văn Lang", commune="Van Lang", province="Thái Nguyên"),
        entity_row("4900000002", "HTX Văn Lăng", commune="Văn Lăng", province="Thái Nguyên"),
    )

    job = preview(actor, content)

    ambiguous, exact = rows_of(job)
    assert ambiguous.outcome == "error"
    message = messages_by_column(ambiguous)["commune"]
    for candidate in candidates:
        assert candidate.name in message and candidate.code in message
    assert exact.outcome == "create"
    assert job.error_count == 1


def test_it_refuses_an_unknown_commune_suggesting_close_names(english):
    actor = province_official()
    mau_son = commune(LS, "Mẫu Sơn")
    content = _entities_file(
        entity_row("4900000001", "HTX Một", commune="Mẫu Sơm"),
        entity_row("4900000002", "HTX Hai", commune="Qwxyzzy"),
    )

    job = preview(actor, content)

    close, unknown = rows_of(job)
    assert close.outcome == unknown.outcome == "error"
    message = messages_by_column(close)["commune"]
    assert "Mẫu Sơm" in message and "Did you mean" in message
    assert mau_son.name in message and mau_son.code in message
    assert "Qwxyzzy" in messages_by_column(unknown)["commune"]
    assert "Did you mean" not in messages_by_column(unknown)["commune"]


def test_it_prefers_the_commune_code_column_to_the_name(english):
    actor = province_official()
    dong_kinh = Commune.objects.get(province__name__contains=LS, name="Phường Đông Kinh")
    content = xlsx(
        {
            "Chủ thể": [
                [*ENTITY_HEADERS, "Mã xã"],
                [*entity_row("4900000001", "HTX Mã xã", commune="Mẫu Sơn"), dong_kinh.code],
            ]
        }
    )

    preview_and_apply(actor, content)

    assert Entity.objects.get(tax_code="4900000001").commune == dong_kinh


# --- 9. similar products in one commune ---------------------------------------------------------------


def _similar_product_file(reason: str | None) -> bytes:
    return xlsx(
        {
            "Chủ thể": [ENTITY_HEADERS, entity_row(B, "Hộ kinh doanh Lý Thị Mai", kind="HKD")],
            "Sản phẩm": [
                [*PRODUCT_HEADERS, "Lý do chấp nhận sản phẩm tương tự"],
                [B, None, "Che shan tuyet Mau Son", "QD26-11", None, reason],
            ],
        }
    )


def test_it_refuses_a_similar_product_of_another_entity_in_the_same_commune(english):
    actor = province_official()
    first = make_entity(commune_obj=commune(LS, "Mẫu Sơn"), legal_name="Hợp tác xã Chè Mẫu Sơn")
    make_product(entity=first, name="Chè Shan tuyết Mẫu Sơn", category="QD26-11")
    before = written()

    job = preview(actor, _similar_product_file(None))

    row = rows_of(job, "products")[0]
    assert row.outcome == "error"
    message = messages_by_column(row)["name_vi"]
    assert "Chè Shan tuyết Mẫu Sơn" in message and "Hợp tác xã Chè Mẫu Sơn" in message
    assert "Lý do chấp nhận sản phẩm tương tự" in message
    with pytest.raises(ValidationError):
        services.import_apply_confirm(actor=actor, job=job)
    assert written() == before


def test_it_creates_a_similar_product_an_official_accepts_with_a_reason(english):
    actor = province_official()
    first = make_entity(commune_obj=commune(LS, "Mẫu Sơn"), legal_name="Hợp tác xã Chè Mẫu Sơn")
    existing = make_product(entity=first, name="Chè Shan tuyết Mẫu Sơn", category="QD26-11")
    reason = "Hai vùng chè khác nhau trên núi Mẫu Sơn"

    job = preview(actor, _similar_product_file(reason))

    assert outcomes(job, "products") == ["create"], errors_of(job)
    apply(actor, job)
    product = Product.objects.get(entity__tax_code=B)
    event = AuditEvent.objects.get(action="product.duplicate_accept", object_id=str(product.pk))
    assert event.reason == reason
    assert existing.pk in [m["product_id"] for m in event.after["matches"]]
