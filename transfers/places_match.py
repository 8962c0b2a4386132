"""Communes and provinces matched the way people write them in Excel: with or without diacritics,
with or without "xã"/"phường"/"tỉnh", current names or the names before the 2025 merger. Ambiguous or
unknown names are errors that list the candidates; never a silent guess."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rapidfuzz import process

from ocop_hub.text import fold, nfc
from places.models import Commune, Province

COMMUNE_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "tt ", "tt. ", "p. ", "x. ")
PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")
FORMER_COMMUNE_LEVEL = ("xa ", "phuong ", "thi tran ")


def _strip(folded: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def _exact(name: str) -> str:
    text = nfc(name).lower()
    for prefix in ("xã ", "phường ", "thị trấn ", "đặc khu "):
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


class PlaceError(ValueError):
    pass


@dataclass
class Match:
    commune: Commune
    note: str = ""


def _names(communes: list[Commune]) -> str:
    return "; ".join(f"{c.name} ({c.province.short_name}, {c.code})" for c in communes[:6])


class Places:
    """All 34 provinces and 3,321 communes in memory (a few hundred kB), indexed once per import."""

    def __init__(self) -> None:
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.province_names: dict[str, list[Province]] = {}
        for province in self.provinces.values():
            self.province_names.setdefault(_strip(province.name_folded, PROVINCE_PREFIXES), []).append(
                province
            )
            for former in filter(None, (s.strip() for s in province.former_folded.split(";"))):
                key = _strip(former, PROVINCE_PREFIXES)
                if province not in self.province_names.get(key, []):
                    self.province_names.setdefault(key, []).append(province)
        self.communes: dict[str, Commune] = {}
        self.by_name: dict[str, list[Commune]] = {}
        self.by_former: dict[str, list[Commune]] = {}
        for commune in Commune.objects.all():
            commune.province = self.provinces[commune.province_id]
            self.communes[commune.code] = commune
            self.by_name.setdefault(_strip(commune.name_folded, COMMUNE_PREFIXES), []).append(commune)
            for former in filter(None, (s.strip() for s in commune.former_folded.split(";"))):
                if former.startswith(FORMER_COMMUNE_LEVEL):  # districts are too wide to locate a commune
                    key = _strip(former, COMMUNE_PREFIXES)
                    if commune not in self.by_former.get(key, []):
                        self.by_former.setdefault(key, []).append(commune)

    def province(self, text: str) -> Province | None:
        raw = (text or "").strip()
        if not raw:
            return None
        if raw.isdigit() and raw.zfill(2) in self.provinces:
            return self.provinces[raw.zfill(2)]
        found = self.province_names.get(_strip(fold(raw), PROVINCE_PREFIXES), [])
        if len(found) == 1:
            return found[0]
        if not found:
            raise PlaceError(_("No province is called “%(name)s”.") % {"name": raw})
        raise PlaceError(
            _("“%(name)s” is now part of several provinces: %(candidates)s. Write today's province.")
            % {"name": raw, "candidates": ", ".join(p.name for p in found)}
        )

    def commune(self, text: str, *, code: str = "", province: Province | None = None) -> Match:
        code = (code or "").strip()
        if code:
            commune = self.communes.get(code.zfill(5)) if code.isdigit() else None
            if commune is None:
                raise PlaceError(_("No commune has the code %(code)s.") % {"code": code})
            if province is not None and commune.province_id != province.code:
                raise PlaceError(
                    _("The commune code %(code)s is %(commune)s, not in %(province)s.")
                    % {"code": code, "commune": commune.name, "province": province.name}
                )
            return Match(commune)
        raw = (text or "").strip()
        if not raw:
            raise PlaceError(_("Give the commune."))
        folded = fold(raw)
        key = _strip(folded, COMMUNE_PREFIXES)
        current = self._within(self.by_name.get(key, []), province)
        if len(current) > 1:
            # Written with its diacritics, "Văn Lăng" is not "Văn Lang"; with its prefix, "Phường Tân
            # Phong" is not "Xã Tân Phong".
            exact = [c for c in current if _exact(c.name) == _exact(raw)] or [
                c for c in current if c.name_folded == folded
            ]
            current = exact or current
        if len(current) == 1:
            return Match(current[0])
        if len(current) > 1:
            raise PlaceError(
                _(
                    "“%(name)s” matches several communes: %(candidates)s. "
                    "Add the province or the commune code."
                )
                % {"name": raw, "candidates": _names(current)}
            )
        former = self._within(self.by_former.get(key, []), province)
        if len(former) == 1:
            return Match(
                former[0],
                _("“%(old)s” (before 2025) is now %(new)s.") % {"old": raw, "new": former[0].name},
            )
        if len(former) > 1:
            raise PlaceError(
                _(
                    "“%(name)s” (before 2025) was divided between several communes: %(candidates)s. "
                    "Write today's commune."
                )
                % {"name": raw, "candidates": _names(former)}
            )
        return self._unknown(raw, key, province)

    def _within(self, communes: list[Commune], province: Province | None) -> list[Commune]:
        if province is None:
            return communes
        return [c for c in communes if c.province_id == province.code]

    def _unknown(self, raw: str, key: str, province: Province | None) -> Match:
        pool = [c for c in self.communes.values() if province is None or c.province_id == province.code]
        choices = {c.code: _strip(c.name_folded, COMMUNE_PREFIXES) for c in pool}
        close = process.extract(key, choices, limit=3, score_cutoff=75)
        where = province.name if province else _("any province")
        if close:
            suggestions = _names([self.communes[code] for _name, _score, code in close])
            raise PlaceError(
                _("No commune “%(name)s” in %(where)s. Did you mean: %(candidates)s?")
                % {"name": raw, "where": where, "candidates": suggestions}
            )
        raise PlaceError(_("No commune “%(name)s” in %(where)s.") % {"name": raw, "where": where})
