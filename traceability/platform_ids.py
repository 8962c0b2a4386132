"""Platform identifiers for products without a GTIN (many OCOP producers have none).

URL scheme: `{OCOP_PUBLIC_BASE_URL}/p/{product number}[/10/{lot}][/21/{serial}]` — the qualifiers and
their percent-encoding exactly as in a GS1 Digital Link (AI 10 lot, AI 21 serial, same limits), but
under `/p/` with the platform's product number instead of a GTIN, so it can never be taken for a
GS1 key. The resolver answers it like `/01/…` (307 to the scan page `/scan/p/…`); a QR code carries
it like any other URL. When the producer later gets a GTIN, the old labels keep working."""

from dataclasses import dataclass

from traceability import digital_link

PREFIX = "/p/"
# GS1's own example GTIN: only a carrier, so that the qualifiers are checked by the same strict
# Digital Link parser (order, percent-encoding, lengths, character set).
_CARRIER = "/01/09520123456788"


@dataclass(frozen=True)
class PlatformLink:
    product_id: int
    lot: str | None
    serial: str | None
    qualifiers_path: str  # "/10/{lot}/21/{serial}", canonical and percent-encoded

    gtin = None  # read like a DigitalLink by the scan page

    def path(self) -> str:
        return f"{PREFIX}{self.product_id}{self.qualifiers_path}"


def parse_path(path: str) -> PlatformLink:
    if not path.startswith(PREFIX):
        raise digital_link.DigitalLinkError("syntax", "A platform identifier starts with /p/.")
    number, _, rest = path[len(PREFIX) :].partition("/")
    if not number.isdigit() or number.startswith("0") or len(number) > 12:
        raise digital_link.DigitalLinkError("syntax", f"“{number}” is not a product number.")
    carried = digital_link.parse_path(_CARRIER + ("/" + rest if rest else ""))
    if carried.attributes:
        raise digital_link.DigitalLinkError("syntax", "A platform identifier carries no data attributes.")
    return PlatformLink(
        product_id=int(number),
        lot=carried.lot,
        serial=carried.serial,
        qualifiers_path=carried.path()[len(_CARRIER) :],
    )


def build(*, product_id: int, lot: str = "", serial: str = "", base: str) -> str:
    carried = digital_link.build(gtin=_CARRIER[4:], lot=lot, serial=serial, base="https://x")
    qualifiers = carried[len("https://x" + _CARRIER) :]
    return f"{base.rstrip('/')}{PREFIX}{product_id}{qualifiers}"
