"""The evaluation pages, as each user meets them: the entity files Mẫu 01/02, the commune checks (Mẫu 03),
the province runs the round, the council scores independently, and everyone in the jurisdiction reads
the explained result once the round is closed."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import (
    Assignment,
    CouncilMember,
    Criterion,
    Dossier,
    DossierResult,
    EvaluationRound,
    Score,
    SelfAssessment,
)
from evaluation.selectors import scores_visible_to
from evaluation.services_council import round_close, round_scoring_start
from evaluation.services_dossiers import dossier_create, dossier_submit
from registry.models import Role
from registry.services_evidence import evidence_upload
from tests.evaluation.factories import (
    assign,
    council,
    lao_cai,
    open_round,
    passed_dossier,
    scorable,
    score_all,
    self_assess_all,
)
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def world():
    home = commune("Lào Cai", "Văn Chấn")
    entity = make_entity(commune_obj=home, legal_name="HTX Chè Suối Giàng")
    tea = make_product(entity=entity, name="Chè Shan Tuyết Suối Giàng", category="QD26-11")
    return {
        "home": home,
        "entity": entity,
        "tea": tea,
        "member": with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity),
        "officer": with_role(make_user(), Role.Kind.COMMUNE, commune=home),
        "official": with_role(make_user(), Role.Kind.PROVINCE, province=home.province),
        "council": [with_role(make_user(f"hoidong{i}"), Role.Kind.COUNCIL) for i in (1, 2, 3)],
    }


def _criterion(dossier, part, code) -> Criterion:
    return Criterion.objects.get(criteria_set=dossier.criteria_set, part=part, code=code)


def _sheet(dossier, pick=None) -> dict[str, int]:
    """Every criterion's option: the best one, or pick(criterion) → wanted points (closest option)."""
    data = {}
    for criterion in scorable(dossier):
        options = list(criterion.options.all())
        wanted = pick(criterion) if pick else criterion.max_points
        data[f"option_{criterion.pk}"] = min(options, key=lambda o: abs(o.points - wanted)).pk
    return data


def _checked(page: str) -> set[int]:
    return {int(v) for v in re.findall(r'type="radio" name="option_\d+" value="(\d+)"[^>]*\bchecked', page)}


def test_it_runs_a_round_through_the_pages_from_dossier_to_explained_result(world):
    tea, official, member = world["tea"], world["official"], world["member"]
    today = timezone.localdate()
    # The province office opens the round.
    response = _client(official).post(
        "/rounds/new/",
        {
            "name": "Đợt 2/2026",
            "level": "province",
            "province": lao_cai().code,
            "period_start": (today - dt.timedelta(days=10)).isoformat(),
            "period_end": (today + dt.timedelta(days=60)).isoformat(),
            "submission_deadline": (today + dt.timedelta(days=20)).isoformat(),
        },
    )
    evaluation_round = EvaluationRound.objects.get(name="Đợt 2/2026")
    assert response.status_code == 302 and response["Location"] == f"/rounds/{evaluation_round.pk}/"

    # The entity sees the open round of its province and registers its tea (Mẫu 01).
    entity_client = _client(member)
    assert "Đợt 2/2026" in _text(entity_client.get("/rounds/"))
    round_page = _text(entity_client.get(f"/rounds/{evaluation_round.pk}/"))
    assert f"/products/{tea.pk}/dossiers/new/?round={evaluation_round.pk}" in round_page
    form_page = entity_client.get(f"/products/{tea.pk}/dossiers/new/?round={evaluation_round.pk}")
    assert "Đợt 2/2026" in _text(form_page)
    response = entity_client.post(
        f"/products/{tea.pk}/dossiers/new/", {"evaluation_round": evaluation_round.pk, "kind": "first"}
    )
    dossier = Dossier.objects.get(product=tea, round=evaluation_round)
    assert response["Location"] == f"/dossiers/{dossier.pk}/"

    # Mẫu 02: every criterion in one post, with a note and a test report from the library on A.1.1.
    report = evidence_upload(
        actor=member,
        entity=world["entity"],
        upload=SimpleUploadedFile("kiem-nghiem.pdf", PDF, content_type="application/pdf"),
        kind="test_report",
        title="Phiếu kiểm nghiệm chè 2026",
    )
    origin = _criterion(dossier, "A", "1.1")
    sheet = _sheet(dossier) | {
        f"note_{origin.pk}": "Chè Shan tuyết cổ thụ của xã",
        f"evidence_{origin.pk}": [report.pk],
    }
    page = _text(entity_client.get(f"/dossiers/{dossier.pk}/"))
    assert "Part A" in page and "Phiếu kiểm nghiệm chè 2026" in page
    response = entity_client.post(f"/dossiers/{dossier.pk}/", sheet, follow=True)
    assert "The self-assessment was saved (32 answer(s) changed)." in _messages(response)
    row = SelfAssessment.objects.get(dossier=dossier, criterion=origin)
    assert row.note == "Chè Shan tuyết cổ thụ của xã" and list(row.evidence.all()) == [report]
    response = entity_client.post(f"/dossiers/{dossier.pk}/submit/", follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    assert f"receipt {dossier.registration_no}" in " ".join(_messages(response))

    # The commune officer finds it in the list and passes it with the four findings (Mẫu 03).
    officer_client = _client(world["officer"])
    assert f"/dossiers/{dossier.pk}/check/" in _text(officer_client.get("/dossiers/to-check/"))
    response = officer_client.post(
        f"/dossiers/{dossier.pk}/check/",
        {
            "origin": "Ý tưởng của hợp tác xã",
            "local_labour": "18/20 lao động địa phương",
            "local_materials": "Chè của xã",
            "local_identity": "Văn hoá người Dao",
            "knockout_reasons": "",
            "decision": "pass",
            "reason": "",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PASSED and dossier.commune_report["local_labour"]

    # The province office seats three members, assigns them and starts scoring.
    official_client = _client(official)
    for user in world["council"]:
        official_client.post(f"/rounds/{evaluation_round.pk}/members/", {"user": user.pk})
    seats = list(CouncilMember.objects.filter(round=evaluation_round))
    assert len(seats) == 3
    official_client.post(f"/dossiers/{dossier.pk}/assign/", {"members": [s.pk for s in seats]})
    assert Assignment.objects.filter(dossier=dossier).count() == 3
    official_client.post(f"/rounds/{evaluation_round.pk}/start/")
    evaluation_round.refresh_from_db()
    assert evaluation_round.status == EvaluationRound.Status.SCORING

    # Each member scores on their own: all best, except B.4.1 (2 points, below the 4★ minimum of 3)
    # and B.4.3 where they differ (5, 3, 2).
    distribution, promotion = _criterion(dossier, "B", "4.1"), _criterion(dossier, "B", "4.3")
    for user, promo in zip(world["council"], (5, 3, 2), strict=True):
        client = _client(user)
        assert f"/dossiers/{dossier.pk}/score/" in _text(client.get("/scoring/"))
        page = _text(client.get(f"/dossiers/{dossier.pk}/score/"))
        assert "Phiếu kiểm nghiệm chè 2026" in page  # the entity's evidence, beside the criterion
        assert client.get(f"/dossiers/{dossier.pk}/evidence/{report.pk}/").status_code == 200

        def pick(c, promo=promo):
            return {distribution.pk: 2, promotion.pk: promo}.get(c.pk, c.max_points)

        response = client.post(f"/dossiers/{dossier.pk}/score/", _sheet(dossier, pick), follow=True)
        assert "Your scores were saved (32 changed)." in _messages(response)
        response = client.post(f"/dossiers/{dossier.pk}/score/submit/", follow=True)
        assert any("were submitted" in m for m in _messages(response))

    response = official_client.post(f"/rounds/{evaluation_round.pk}/close/", follow=True)
    assert "The round was closed: 1 result(s) computed." in _messages(response)
    result = DossierResult.objects.get(dossier=dossier)
    assert result.stars == 3 and result.band_stars == 5

    # The entity reads why: average, stars, the minimum that capped it, what would lift it.
    page = _text(entity_client.get(f"/dossiers/{dossier.pk}/result/"))
    assert str(result.average_total) in page and "3★" in page
    assert "Member 1" in page and "Member 3" in page
    assert "hoidong1" not in page  # members stay anonymous to the entity
    assert "below the minimum of 3 for 4★" in page
    assert "points short of 4★" in page and "These criteria have room:" in page
    # Officials of the jurisdiction see who gave what.
    page = _text(official_client.get(f"/dossiers/{dossier.pk}/result/"))
    assert "hoidong1" in page and str(result.average_total) in page


@pytest.fixture
def scoring(world):
    """A passed dossier in a round in scoring, with two members assigned and a third seated, unassigned."""
    evaluation_round = open_round(lao_cai())
    dossier = passed_dossier(
        dossier_create(actor=None, evaluation_round=evaluation_round, product=world["tea"])
    )
    a, b, idle = council(evaluation_round, n=3)
    assign(dossier, [a, b])
    round_scoring_start(actor=None, evaluation_round=evaluation_round)
    return {"round": evaluation_round, "dossier": dossier, "a": a, "b": b, "idle": idle}


def test_it_never_shows_a_member_another_members_scores_before_closing(world, scoring):
    dossier, a, b = scoring["dossier"], scoring["a"], scoring["b"]
    score_all(dossier, b, points_for=lambda c: 0, submit=False)
    b_options = set(Score.objects.filter(assignment__member=b).values_list("option_id", flat=True))
    client = _client(a.user)

    page = _text(client.get(f"/dossiers/{dossier.pk}/score/"))
    assert _checked(page) == set()  # b's choices are not pre-selected for a
    assert "There is no result yet" in _text(client.get(f"/dossiers/{dossier.pk}/result/"))
    score_all(dossier, a, submit=False)
    a_options = set(Score.objects.filter(assignment__member=a).values_list("option_id", flat=True))
    page = _text(client.get(f"/dossiers/{dossier.pk}/score/"))
    assert _checked(page) == a_options and not (_checked(page) & (b_options - a_options))

    # The selector: each member their own; nobody else anything, officials included, until closing.
    official = world["official"]
    assert {s.assignment_id for s in scores_visible_to(a.user, dossier)} == {
        Assignment.objects.get(member=a).pk
    }
    assert not scores_visible_to(official, dossier).exists()
    assert not scores_visible_to(world["member"], dossier).exists()
    assert "There is no result yet" in _text(_client(official).get(f"/dossiers/{dossier.pk}/result/"))

    Assignment.objects.filter(member__in=[a, b]).update(submitted_at=timezone.now())
    # Far apart: the page shows the service's reason and the round stays in scoring.
    response = _client(official).post(f"/rounds/{scoring['round'].pk}/close/", follow=True)
    assert any("re-discuss before closing" in m for m in _messages(response))
    assert not scores_visible_to(official, dossier).exists()
    b.assignments.get(dossier=dossier).scores.all().delete()
    Assignment.objects.filter(member=b).update(submitted_at=None)
    score_all(dossier, b)
    round_close(actor=None, evaluation_round=scoring["round"])
    assert scores_visible_to(official, dossier).count() == 2 * len(scorable(dossier))
    assert {s.assignment.member_id for s in scores_visible_to(a.user, dossier)} == {a.pk}
    assert not scores_visible_to(world["member"], dossier).exists()


def test_it_answers_not_found_outside_the_jurisdiction(world, scoring):
    dossier = scoring["dossier"]
    away = commune("Lạng Sơn")
    other_round = open_round(away.province, name="Đợt Lạng Sơn")
    (stranger_seat,) = council(other_round, n=1)
    outsiders = [
        with_role(make_user(), Role.Kind.PROVINCE, province=away.province),
        with_role(make_user(), Role.Kind.COMMUNE, commune=away),
        with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity(commune_obj=away)),
        stranger_seat.user,
    ]
    for user in outsiders:
        client = _client(user)
        for url in (
            f"/dossiers/{dossier.pk}/",
            f"/dossiers/{dossier.pk}/score/",
            f"/dossiers/{dossier.pk}/result/",
            f"/dossiers/{dossier.pk}/check/",
            f"/rounds/{scoring['round'].pk}/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/dossiers/{dossier.pk}/score/", _sheet(dossier)).status_code == 404
    assert not Score.objects.exists()


def test_it_refuses_a_forged_option_of_another_criterion_and_stores_nothing(world):
    evaluation_round = open_round(lao_cai())
    dossier = dossier_create(actor=None, evaluation_round=evaluation_round, product=world["tea"])
    first, second = scorable(dossier)[:2]
    forged = _sheet(dossier) | {f"option_{first.pk}": second.options.last().pk}
    response = _client(world["member"]).post(f"/dossiers/{dossier.pk}/", forged)
    assert response.status_code == 200
    page = _text(response)
    assert "Select a valid choice" in page and "Nothing was saved" in page
    assert not SelfAssessment.objects.filter(dossier=dossier).exists()


def test_it_refuses_a_forged_score_and_stores_nothing(world, scoring):
    dossier, a = scoring["dossier"], scoring["a"]
    first, second = scorable(dossier)[:2]
    forged = _sheet(dossier) | {f"option_{first.pk}": second.options.last().pk}
    response = _client(a.user).post(f"/dossiers/{dossier.pk}/score/", forged)
    assert response.status_code == 200 and "Select a valid choice" in _text(response)
    assert not Score.objects.exists()


def test_it_refuses_scores_from_a_member_not_assigned_to_the_dossier(world, scoring, vietnamese):
    dossier, idle = scoring["dossier"], scoring["idle"]
    client = _client(idle.user, language="vi")
    response = client.post(f"/dossiers/{dossier.pk}/score/", _sheet(dossier), follow=True)
    assert response.redirect_chain[-1][0] == "/scoring/"
    assert "Hồ sơ này không được phân công cho bạn." in _text(response)
    assert not Score.objects.exists()
    response = client.post(f"/dossiers/{dossier.pk}/score/submit/", follow=True)
    assert "Hồ sơ này không được phân công cho bạn." in _text(response)
    assert not Assignment.objects.filter(member=idle).exists()


def test_it_shows_the_return_reason_and_carried_over_answers(world):
    evaluation_round = open_round(lao_cai())
    dossier = dossier_create(actor=None, evaluation_round=evaluation_round, product=world["tea"])
    self_assess_all(dossier)
    dossier_submit(actor=None, dossier=dossier)
    before = dict(SelfAssessment.objects.filter(dossier=dossier).values_list("criterion_id", "option_id"))
    response = _client(world["member"]).post(f"/dossiers/{dossier.pk}/", _sheet(dossier, lambda c: 0))
    assert "A submitted dossier cannot be edited" in _text(response)
    after = dict(SelfAssessment.objects.filter(dossier=dossier).values_list("criterion_id", "option_id"))
    assert after == before
    client = _client(world["officer"])
    response = client.post(
        f"/dossiers/{dossier.pk}/check/", {"decision": "return", "reason": ""}
    )  # a return needs a reason: the service's message, beside the field
    assert "Say why the dossier is returned" in _text(response)
    client.post(f"/dossiers/{dossier.pk}/check/", {"decision": "return", "reason": "Thiếu phiếu kiểm nghiệm"})
    page = _text(_client(world["member"]).get(f"/dossiers/{dossier.pk}/"))
    assert "Returned by the commune for correction:" in page and "Thiếu phiếu kiểm nghiệm" in page

    SelfAssessment.objects.filter(dossier=dossier).update(carried_over=True)
    page = _text(_client(world["member"]).get(f"/dossiers/{dossier.pk}/"))
    assert page.count("carried over from the last dossier") == len(scorable(dossier))


@pytest.mark.parametrize("category", ["QD26-11", "QD26-25"])
def test_it_renders_the_score_sheet_in_a_fixed_number_of_queries(category, settings):
    entity = make_entity(commune_obj=commune("Lào Cai", "Văn Chấn"))
    product = make_product(entity=entity, category=category)
    evaluation_round = open_round(lao_cai())
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=evaluation_round, product=product))
    (member,) = council(evaluation_round, n=1)
    assign(dossier, [member])
    round_scoring_start(actor=None, evaluation_round=evaluation_round)
    score_all(dossier, member, submit=False)
    client = _client(member.user)
    client.get(f"/dossiers/{dossier.pk}/score/")  # warm the session and the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/dossiers/{dossier.pk}/score/")
    assert response.status_code == 200
    assert len(scorable(dossier)) in (25, 32)
    assert len(queries) < 25, [q["sql"] for q in queries.captured_queries]
    # Same for the entity's Mẫu 02 page.
    owner = _client(with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity))
    with CaptureQueriesContext(connection) as queries:
        assert owner.get(f"/dossiers/{dossier.pk}/").status_code == 200
    assert len(queries) < 25, [q["sql"] for q in queries.captured_queries]


def test_it_forwards_a_potential_five_star_to_an_open_central_round(world, scoring):
    dossier, official = scoring["dossier"], world["official"]
    score_all(dossier, scoring["a"])
    score_all(dossier, scoring["b"])
    round_close(actor=None, evaluation_round=scoring["round"])  # 100 points: 4★, potential 5★
    client = _client(official)
    page = _text(client.get(f"/rounds/{scoring['round'].pk}/"))
    assert "no central round is open yet" in page
    central = open_round(None, level_code="central", name="Đợt trung ương 2/2026")
    page = _text(client.get(f"/rounds/{scoring['round'].pk}/"))
    assert f'action="/dossiers/{dossier.pk}/forward/"' in page and "Đợt trung ương 2/2026" in page
    response = client.post(f"/dossiers/{dossier.pk}/forward/", {"target_round": central.pk}, follow=True)
    assert any("was forwarded to Đợt trung ương 2/2026" in m for m in _messages(response))
    forwarded = Dossier.objects.get(round=central, product=dossier.product)
    assert forwarded.status == Dossier.Status.PASSED and forwarded.forwarded_from_id == dossier.pk
    # Twice is refused by the service, shown as a message.
    response = client.post(f"/dossiers/{dossier.pk}/forward/", {"target_round": central.pk}, follow=True)
    assert any("already has a dossier in the target round" in m for m in _messages(response))
    assert Dossier.objects.filter(round=central).count() == 1


def test_it_shows_the_services_reasons_on_the_new_round_form_and_opens_nothing(world):
    today = timezone.localdate()
    data = {
        "name": "Đợt sai",
        "level": "province",
        "province": lao_cai().code,
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=30)).isoformat(),
        "submission_deadline": (today + dt.timedelta(days=90)).isoformat(),
    }
    client = _client(world["official"])
    response = client.post("/rounds/new/", data)
    assert response.status_code == 200 and "The deadline must fall within the period." in _text(response)
    response = client.post("/rounds/new/", data | {"level": "central", "submission_deadline": today})
    assert "Only the Ministry opens a central round." in _text(response)
    assert not EvaluationRound.objects.filter(name="Đợt sai").exists()
    assert _client(world["member"]).get("/rounds/new/").status_code == 403


def test_it_lists_the_rounds_each_user_may_see(world):
    in_scoring = open_round(lao_cai(), name="Đợt tháng 6 Lào Cai")
    away = open_round(commune("Lạng Sơn").province, name="Đợt Lạng Sơn")
    (seat,) = council(away, n=1)
    round_scoring_start(actor=None, evaluation_round=in_scoring)
    still_open = open_round(lao_cai(), name="Đợt tháng 12 Lào Cai")
    all_names = ("Đợt tháng 6 Lào Cai", "Đợt Lạng Sơn", "Đợt tháng 12 Lào Cai")

    def names(user):
        page = _text(_client(user).get("/rounds/"))
        return [name for name in all_names if name in page]

    assert names(world["official"]) == ["Đợt tháng 6 Lào Cai", "Đợt tháng 12 Lào Cai"]
    assert names(world["officer"]) == ["Đợt tháng 6 Lào Cai", "Đợt tháng 12 Lào Cai"]
    assert names(seat.user) == ["Đợt Lạng Sơn"]
    # The entity sees the open rounds of its province, not one already in scoring.
    assert names(world["member"]) == ["Đợt tháng 12 Lào Cai"]
    assert _client(world["member"]).get(f"/rounds/{in_scoring.pk}/").status_code == 404
    assert _client(world["member"]).get(f"/rounds/{still_open.pk}/").status_code == 200
