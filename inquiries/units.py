"""Units of quantity as producers declare their capacity (registry.Product.capacity_unit is free text:
"kg", "tấn", "lít", "hộp", "chiếc"…) and as buyers ask.

Mass and volume convert: kg, g, yến (10 kg), tạ (100 kg), tấn (1,000 kg); l, ml. Every other unit
(chai, hộp, gói, túi, chiếc, con…) only matches the same unit, compared without case, spaces or
diacritics ("hop" = "Hộp"). The diacritic forms are looked up before folding because folding merges
units that differ: "tạ" (100 kg) and "tá" (a dozen) both fold to "ta"; plain "ta" is therefore not a
weight but a counted unit of its own."""

from dataclasses import dataclass
from fractions import Fraction

from ocop_hub.text import fold, nfc

MASS = "mass"
VOLUME = "volume"

# Spellings as written, lower-cased (NFC); checked first.
_EXACT: dict[str, tuple[str, Fraction]] = {
    "tấn": (MASS, Fraction(1000)),
    "tạ": (MASS, Fraction(100)),
    "yến": (MASS, Fraction(10)),
    "lít": (VOLUME, Fraction(1)),
}
# Spellings after folding (no diacritics): what people type on a keyboard without Vietnamese input.
_FOLDED: dict[str, tuple[str, Fraction]] = {
    "kg": (MASS, Fraction(1)),
    "kilogram": (MASS, Fraction(1)),
    "kilogam": (MASS, Fraction(1)),
    "ki lo gam": (MASS, Fraction(1)),
    "ky": (MASS, Fraction(1)),  # "ký", "kí": the spoken kilogram
    "ki": (MASS, Fraction(1)),
    "g": (MASS, Fraction(1, 1000)),
    "gam": (MASS, Fraction(1, 1000)),
    "gram": (MASS, Fraction(1, 1000)),
    "tan": (MASS, Fraction(1000)),
    "t": (MASS, Fraction(1000)),
    "tonne": (MASS, Fraction(1000)),
    "ton": (MASS, Fraction(1000)),
    "l": (VOLUME, Fraction(1)),
    "lit": (VOLUME, Fraction(1)),
    "litre": (VOLUME, Fraction(1)),
    "liter": (VOLUME, Fraction(1)),
    "ml": (VOLUME, Fraction(1, 1000)),
}
# How a converted total is shown (the base of each dimension).
BASE_LABEL = {MASS: "kg", VOLUME: "l"}


@dataclass(frozen=True)
class Unit:
    """A unit's dimension ("mass", "volume", or "count:<folded text>") and its size in the base unit
    of that dimension (kg, l; 1 for counted units)."""

    dimension: str
    factor: Fraction

    @property
    def base_label(self) -> str:
        return BASE_LABEL.get(self.dimension, self.dimension.removeprefix("count:"))


def unit_parse(text: str) -> Unit | None:
    """The unit a text names, or None for an empty text."""
    exact = " ".join(nfc(text).lower().split())
    if not exact:
        return None
    if exact in _EXACT:
        return Unit(*_EXACT[exact])
    folded = fold(exact).rstrip(".")
    if folded in _FOLDED:
        return Unit(*_FOLDED[folded])
    return Unit(f"count:{folded}", Fraction(1))


def unit_convert(quantity: int | Fraction, *, source: str, target: str) -> Fraction | None:
    """`quantity` of unit `source` in unit `target`; None when the two do not measure the same thing."""
    a, b = unit_parse(source), unit_parse(target)
    if a is None or b is None or a.dimension != b.dimension:
        return None
    return Fraction(quantity) * a.factor / b.factor


def to_base(quantity: int | Fraction, unit_text: str) -> tuple[Fraction, str] | None:
    """`quantity` in the base unit of its dimension, with that unit's label (for totals)."""
    unit = unit_parse(unit_text)
    if unit is None:
        return None
    return Fraction(quantity) * unit.factor, unit.base_label
