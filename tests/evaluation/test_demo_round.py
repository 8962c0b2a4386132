import pytest

from audit.models import AuditEvent
from evaluation.demo import demo_round_load
from evaluation.models import Dossier

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_round_with_tea_and_processed_food_dossiers(settings, tmp_path):
    from registry.demo import demo_load

    settings.VAR_DIR = tmp_path
    demo_load()
    evaluation_round = demo_round_load()
    dossiers = {d.criteria_set.code: d for d in evaluation_round.dossiers.select_related("criteria_set")}
    assert evaluation_round.status == "open" and evaluation_round.province.name == "Tỉnh Lạng Sơn"
    assert {"QD26-07", "QD26-11"} <= set(dossiers)
    statuses = set(evaluation_round.dossiers.values_list("status", flat=True))
    assert {Dossier.Status.PASSED, Dossier.Status.SUBMITTED, Dossier.Status.DRAFT} == statuses
    passed = evaluation_round.dossiers.get(status=Dossier.Status.PASSED)
    assert passed.assignments.count() == 3
    events = AuditEvent.objects.count()
    assert demo_round_load() == evaluation_round
    assert AuditEvent.objects.count() == events
