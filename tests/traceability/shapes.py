"""Raw-material area shapes and an English-speaking client, shared by the area tests."""

from django.test import Client

# About 100 m × 100 m of tea hills near Suối Giàng (Lào Cai): 1 ha.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [104.6000, 21.6000],
            [104.6009661, 21.6000],
            [104.6009661, 21.6009043],
            [104.6000, 21.6009043],
            [104.6000, 21.6000],
        ]
    ],
}
# The same hill twice as wide: 2 ha.
WIDER = {
    "type": "Polygon",
    "coordinates": [
        [
            [104.6000, 21.6000],
            [104.6019322, 21.6000],
            [104.6019322, 21.6009043],
            [104.6000, 21.6009043],
            [104.6000, 21.6000],
        ]
    ],
}
# An outline that crosses itself.
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[104.60, 21.60], [104.61, 21.61], [104.61, 21.60], [104.60, 21.61], [104.60, 21.60]]],
}
POINT = {"type": "Point", "coordinates": [104.6, 21.6]}


def english_client(settings, user=None) -> Client:
    """Pages in English (LocaleMiddleware would answer in Vietnamese), logged in as `user` if any."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client
