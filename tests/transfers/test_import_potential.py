"""A province's Excel history says which 3-star products were found potential 4-star ("553 three-star
including 3 potential four-star"): the importer reads the column, refuses a potential that is not a
higher star, and the reports count it."""

import pytest
from django.utils import timezone

from certificates.models import Certificate
from reports import figures
from reports.jurisdiction import Jurisdiction
from reports.summary import summary
from tests.transfers.helpers import (
    CERT_HEADERS,
    ENTITY_HEADERS,
    PRODUCT_HEADERS,
    entity_row,
    errors_of,
    messages_by_column,
    preview,
    preview_and_apply,
    province_official,
    row_at,
    xlsx,
)

pytestmark = pytest.mark.django_db
TAXES = ["4900100001", "4900100002", "4900100003"]
PRODUCTS = [
    ("Chè Shan tuyết Khuổi Cấp", "QD26-11"),
    ("Mật ong hoa bạc hà", "QD26-04"),
    ("Rượu men lá", "QD26-14"),
]
HEADERS = [*CERT_HEADERS, "Tiềm năng sao"]


def workbook(potentials: list) -> bytes:
    """Three products of three entities of Mẫu Sơn (Lạng Sơn) certified 3 stars on 01/06/2024, with
    the potential stars given (None: the cell is empty)."""
    return xlsx(
        {
            "Chủ thể": [
                ENTITY_HEADERS,
                *[entity_row(tax, f"Hợp tác xã Thử {i}") for i, tax in enumerate(TAXES)],
            ],
            "Sản phẩm": [
                PRODUCT_HEADERS,
                *[[tax, f"LS-{i}", *PRODUCTS[i], 100000] for i, tax in enumerate(TAXES)],
            ],
            "Giấy chứng nhận": [
                HEADERS,
                *[
                    [f"{i}/2024/GCN", tax, f"LS-{i}", 3, "70", f"{i}/QĐ-UBND", "01/06/2024", None, potential]
                    for i, (tax, potential) in enumerate(zip(TAXES, potentials, strict=True))
                ],
            ],
        }
    )


def test_the_imported_potential_star_counts_in_the_report(english):
    actor = province_official()
    preview_and_apply(actor, workbook(["4 sao", None, 4]))
    assert sorted(Certificate.objects.values_list("number", "potential_stars")) == [
        ("0/2024/GCN", 4),
        ("1/2024/GCN", None),
        ("2/2024/GCN", 4),
    ]
    area = Jurisdiction(province=actor.ocop_roles.get().province)
    today = timezone.localdate()
    assert figures.potential_next_star(area, today) == {3: 2, 4: 0, 5: 0}
    assert summary(area, today).potential == {3: 2, 4: 0, 5: 0}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (3, "A potential star is more than the certified 3 stars and at most 5."),
        (6, "A potential star is more than the certified 3 stars and at most 5."),
        ("nhiều", "Write the potential stars as a number from 1 to 5, or leave it empty."),
    ],
)
def test_a_potential_that_is_not_a_higher_star_is_refused_and_nothing_written(english, cell, message):
    actor = province_official()
    job = preview(actor, workbook([4, cell, None]))
    assert job.error_count == 1, errors_of(job)
    row = row_at(job, "certificates", 3)
    assert messages_by_column(row)["potential_stars"] == message
    assert not Certificate.objects.exists()


def test_a_corrected_file_sets_the_potential_of_an_imported_certificate(english):
    actor = province_official()
    preview_and_apply(actor, workbook([None, None, None]))
    preview_and_apply(actor, workbook([None, 5, None]))
    assert Certificate.objects.get(number="1/2024/GCN").potential_stars == 5
