"""Small builders for the trade tests: real rows through the trade services (actor=None is the
platform itself), with coordinates of real places so distances can be checked by hand."""

import itertools
from datetime import date

from django.test import Client

from registry.models import Product
from tests.factories import commune, make_product
from trade.services_events import trade_event_create
from trade.services_outlets import outlet_create
from trade.services_tourism import destination_create

_seq = itertools.count(1)

# Sa Pa town centre and Lào Cai city (the border station): about 30 km apart as the crow flies.
SA_PA = (22.3364, 103.8438)
LAO_CAI = (22.4856, 103.9707)
HANOI = (21.0285, 105.8542)


def make_outlet(*, position=SA_PA, province="Lào Cai", kind="souvenir", name=None, **overrides):
    data = {
        "name": name or f"Cửa hàng OCOP {next(_seq)}",
        "kind": kind,
        "address": "Số 1 đường Cầu Mây",
        "commune": commune(province),
        "latitude": position[0],
        "longitude": position[1],
    }
    data.update(overrides)
    return outlet_create(actor=None, **data)


def make_event(*, start=date(2026, 5, 1), end=date(2026, 5, 3), province=None, **overrides):
    data = {
        "name": f"Hội chợ OCOP {next(_seq)}",
        "kind": "fair",
        "start_date": start,
        "end_date": end,
        "place": "Trung tâm Hội chợ",
        "province": province,
        "organiser": "Sở Công Thương",
    }
    data.update(overrides)
    return trade_event_create(actor=None, **data)


def make_destination(*, position=SA_PA, province="Lào Cai", name=None, translations=None, **overrides):
    data = {
        "kind": "community",
        "commune": commune(province),
        "latitude": position[0],
        "longitude": position[1],
    }
    data.update(overrides)
    return destination_create(
        actor=None,
        translations=translations or {"vi": {"name": name or f"Bản Cát Cát {next(_seq)}", "description": ""}},
        **data,
    )


def certified_product(**kwargs) -> Product:
    return make_product(status=Product.Status.CERTIFIED, **kwargs)


def client_in(language: str, user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client
