"""The demo market connection: outlets, channels, fairs and destinations for the demo products."""

import pytest

from registry.demo import demo_load
from trade.demo import load_trade_demo
from trade.models import Destination, EventParticipation, Outlet, OutletProduct, SalesChannel, TradeEvent

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_once(settings, tmp_path):
    settings.DEV_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    demo_load(logins_path=tmp_path / "logins.txt")
    first = load_trade_demo()
    assert first["outlets"] == 5 and first["destinations"] == 3 and first["events"] == 2
    assert first["stock"] > 0 and first["channels"] > 0 and first["participations"] > 0
    kinds = set(Outlet.objects.values_list("kind", flat=True))
    assert {"souvenir", "airport", "airline", "supermarket", "showroom"} == kinds
    counts = [
        m.objects.count()
        for m in (Outlet, OutletProduct, SalesChannel, TradeEvent, EventParticipation, Destination)
    ]
    assert load_trade_demo() == dict.fromkeys(first, 0)
    assert [
        m.objects.count()
        for m in (Outlet, OutletProduct, SalesChannel, TradeEvent, EventParticipation, Destination)
    ] == counts
