"""Planning the rows that carry a product's history: recognitions (VietGAP, golden brand, export…)
and OCOP certificates issued before the platform."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from certificates.models import Certificate
from certificates.services import CENTRAL_ISSUER_VI, _issuer_vi
from certificates.services_import import (
    CORRECTABLE,
    certificate_import,
    certificate_import_clean,
    certificate_import_correct,
    replaces_imported,
)
from evaluation.models import CriteriaRelease
from ocop_hub.text import fold, plain_text
from registry import access
from registry.models import Recognition
from registry.services_evidence import recognition_create, recognition_update
from transfers import choices, values
from transfers.plan import Context, Errors, Planned, find_product, tax_code_text

# --- shared -----------------------------------------------------------------------------------------


def _entity_and_product(ctx: Context, errors: Errors, planned: Planned, record: dict, *, required: bool):
    tax, note = tax_code_text(record.get("entity_tax_code"))
    if note:
        planned.notes.append(note)
    entity = ctx.entities.get(tax)
    if entity is None:
        errors.add(
            "entity_tax_code",
            _("No entity has the tax code “%(code)s”: add it to the entities sheet or register it first.")
            % {"code": tax},
        )
        errors.raise_if()
    assert entity is not None
    code = values.text(record.get("product_code"))
    name = values.text(record.get("product_name"))
    product = None
    if code or name:
        product = find_product(ctx, entity, code=code, name=name)
        if product is None:
            errors.add(
                "product_code" if code else "product_name",
                _("%(entity)s has no product “%(product)s”: add it to the products sheet first.")
                % {"entity": entity.legal_name, "product": code or name},
            )
    elif required:
        errors.add("product_name", _("Give the product's code or name."))
    errors.raise_if()
    return tax, entity, product


# --- recognitions -----------------------------------------------------------------------------------


class RecognitionIndex:
    def __init__(self) -> None:
        self.rows: dict[int, list[Recognition]] = {}
        for rec in Recognition.objects.all().iterator(chunk_size=2000):
            self.rows.setdefault(rec.entity_id, []).append(rec)

    def find(self, entity, product, kind: str, number: str) -> Recognition | None:
        if not entity.pk:
            return None
        for rec in self.rows.get(entity.pk, []):
            if (
                rec.kind == kind
                and rec.number == number
                and rec.product_id == (product.pk if product else None)
            ):
                return rec
        return None


def plan_recognition(ctx: Context, row_id: int, row_no: int, record: dict) -> Planned:
    planned = Planned(row_id)
    errors = Errors()
    tax, entity, product = _entity_and_product(ctx, errors, planned, record, required=False)
    raw_kind = values.text(record.get("kind"))
    kind = choices.recognition_kind(raw_kind)
    if kind is None:
        errors.add(
            "kind",
            _("Unknown recognition “%(value)s”: write VietGAP, HACCP, Chỉ dẫn địa lý, Thương hiệu vàng…")
            % {"value": raw_kind},
        )
    data: dict[str, Any] = {}
    for name in ("number", "issuer", "note"):
        if name in record:
            try:
                data[name] = plain_text(values.text(record[name]), field=name)
            except ValidationError as exc:
                errors.service(exc)
    for name in ("valid_from", "valid_to"):
        if name in record:
            data[name] = errors.parse(name, values.day, record[name])
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        errors.add("valid_to", _("The end of validity is before its start."))
    number = data.get("number", "")
    planned.label = f"{raw_kind} {number}".strip() + f" — {entity.legal_name}"
    product_key = (product.pk or id(product)) if product else None
    if earlier := ctx.first_seen(("recognition", tax, product_key, kind, number), row_no):
        errors.add("kind", _("The same recognition is also on row %(row)s.") % {"row": earlier})
    if not access.can_manage_entity(ctx.actor, entity):
        errors.add("entity_tax_code", _("You do not have permission to change this record."))
    errors.raise_if()
    existing = ctx.index("recognitions", RecognitionIndex).find(entity, product, kind, number)
    if existing is not None:
        changes = {
            k: v for k, v in data.items() if k != "number" and (getattr(existing, k) or "") != (v or "")
        }
        if changes:
            planned.outcome = "update"
            planned.changes = sorted(changes)
            planned.op = ("update", existing, changes)
        return planned
    planned.outcome = "create"
    planned.op = ("create", {"entity": entity, "product": product, "kind": kind, **data})
    return planned


def write_recognitions(ctx: Context, plans: list[Planned], reason: str) -> None:
    for plan in plans:
        if not plan.op:
            continue
        if plan.op[0] == "create":
            data = dict(plan.op[1])
            # Products created earlier in this file are now saved: look them up again by name.
            if data["product"] is not None and not data["product"].pk:
                data["product"] = find_product(
                    ctx, data["entity"], code=data["product"].code, name=data["product"].name_folded
                )
            data["entity"] = ctx.entities[data["entity"].tax_code]
            recognition_create(actor=ctx.actor, **data)
        else:
            _, recognition, changes = plan.op
            recognition_update(actor=ctx.actor, recognition=recognition, reason=reason, **changes)


# --- certificates -----------------------------------------------------------------------------------


class CertificateIndex:
    def __init__(self) -> None:
        self.by_number = {
            c.number: c for c in Certificate.objects.select_related("product").iterator(chunk_size=2000)
        }
        self.valid_by_product: dict[int, Certificate] = {
            c.product_id: c for c in self.by_number.values() if c.status == Certificate.Status.VALID
        }
        self.releases = list(CriteriaRelease.objects.order_by("-effective_from"))

    def release(self, errors: Errors, text: str, decision_date) -> CriteriaRelease | None:
        if text:
            folded = fold(text).replace(" ", "")
            for release in self.releases:
                if folded in (fold(release.code), fold(release.decision).replace(" ", "")):
                    return release
                if folded.split("/qd")[0] == fold(release.decision).split("/qd")[0]:
                    return release
            errors.add(
                "release",
                _("Unknown criteria version “%(value)s”: write %(known)s.")
                % {"value": text, "known": ", ".join(r.code for r in self.releases)},
            )
            return None
        if decision_date is None:
            return None
        for release in self.releases:
            if release.effective_from <= decision_date:
                return release
        errors.add(
            "release",
            _("No criteria version was in force on %(date)s; write the version in the column “%(column)s”.")
            % {"date": decision_date.strftime("%d/%m/%Y"), "column": "Bộ tiêu chí áp dụng"},
        )
        return None


def plan_certificate(ctx: Context, row_id: int, row_no: int, record: dict) -> Planned:
    planned = Planned(row_id)
    errors = Errors()
    number = values.text(record.get("number"))
    planned.label = number
    index: CertificateIndex = ctx.index("certificates", CertificateIndex)
    tax, entity, product = _entity_and_product(ctx, errors, planned, record, required=True)
    product_text = values.text(record.get("product_name")) or values.text(record.get("product_code"))
    planned.label = f"{number} — {product_text}"
    stars = choices.stars(record.get("stars"))
    if stars is None:
        errors.add("stars", _("Write the stars as a number from 1 to 5."))
    potential = None
    if values.text(record.get("potential_stars")):
        potential = choices.stars(record.get("potential_stars"))
        if potential is None:
            errors.add(
                "potential_stars", _("Write the potential stars as a number from 1 to 5, or leave it empty.")
            )
    score = errors.parse("score", values.decimal, record.get("score"))
    decision_date = errors.parse("decision_date", values.day, record.get("decision_date"))
    valid_until = errors.parse("valid_until", values.day, record.get("valid_until"))
    release = index.release(errors, values.text(record.get("release")), decision_date)
    level_text = values.text(record.get("council_level"))
    level = choices.council_level(level_text) if level_text else ("central" if stars == 5 else "province")
    if level is None:
        errors.add("council_level", _("Write the council level as “tỉnh” or “trung ương”."))
    issuer = values.text(record.get("issuer")) or (
        CENTRAL_ISSUER_VI if level == "central" else _issuer_vi(entity.province)
    )
    if earlier := ctx.first_seen(("certificate", number), row_no):
        errors.add("number", _("This certificate number is also on row %(row)s."))
        errors.items[-1]["message"] %= {"row": earlier}
    errors.raise_if()
    fields = {
        "stars": stars,
        "potential_stars": potential,
        "score": score,
        "decision_no": values.text(record.get("decision_no")),
        "decision_date": decision_date,
        "valid_until": valid_until,
        "release": release,
        "issuer_vi": issuer,
    }
    existing = index.by_number.get(number)
    try:
        clean = certificate_import_clean(
            actor=ctx.actor, product=product, number=number, instance=existing, **fields
        )
    except (ValidationError, PermissionDenied) as exc:
        errors.service(exc, default_column="number")
        errors.raise_if()
    if existing is not None:
        if existing.product_id != product.pk:
            errors.add("number", _("Certificate %(number)s belongs to another product.") % {"number": number})
            errors.raise_if()
        changes = {k: clean[k] for k in CORRECTABLE if _cert_differs(getattr(existing, k), clean[k])}
        if changes and not existing.imported:
            errors.add(
                "number",
                _("Certificate %(number)s was issued on the platform; an import cannot change it.")
                % {"number": number},
            )
            errors.raise_if()
        if changes:
            planned.outcome = "update"
            planned.changes = sorted(changes)
            planned.op = ("update", existing, changes)
        return planned
    planned.outcome = "create"
    planned.op = (
        "create",
        {"product": product, "number": number, **fields, "valid_until": clean["valid_until"]},
    )
    return planned


def _cert_differs(current, new) -> bool:
    if hasattr(current, "pk"):
        return current.pk != getattr(new, "pk", None)
    return current != new


def certificates_finish(ctx: Context, plans: list[Planned]) -> None:
    """The status of each new certificate follows from the product's history in the file: the latest
    is valid until its end date (then expired); an earlier one was replaced by the next, or had
    lapsed before it (Art. 7.6: re-evaluation is filed before the end of validity)."""
    index: CertificateIndex | None = ctx.index_if_loaded("certificates")
    by_product: dict[int, list[Planned]] = {}
    for plan in plans:
        if plan.op and plan.op[0] == "create":
            by_product.setdefault(id(plan.op[1]["product"]), []).append(plan)
    for group in by_product.values():
        group.sort(key=lambda p: p.op[1]["decision_date"])
        for current, following in zip(group, [*group[1:], None], strict=True):
            data = current.op[1]
            if following is not None:
                replaced = data["valid_until"] >= following.op[1]["decision_date"]
                data["status"] = Certificate.Status.SUPERSEDED if replaced else Certificate.Status.EXPIRED
            else:
                data["status"] = (
                    Certificate.Status.VALID
                    if data["valid_until"] >= ctx.today
                    else Certificate.Status.EXPIRED
                )
                product = data["product"]
                holder = index.valid_by_product.get(product.pk) if index and product.pk else None
                renews = holder is not None and replaces_imported(holder, data["decision_date"])
                if data["status"] == Certificate.Status.VALID and holder is not None and not renews:
                    current.outcome = "error"
                    current.errors.append(
                        {
                            "column": "number",
                            "message": _(
                                "This product already has a valid certificate (%(number)s); import the "
                                "earlier one as expired or replaced."
                            )
                            % {"number": holder.number},
                        }
                    )
                    current.op = None


def write_certificates(ctx: Context, plans: list[Planned], reason: str) -> None:
    for plan in plans:
        if not plan.op:
            continue
        if plan.op[0] == "create":
            data = dict(plan.op[1])
            product = data["product"]
            if not product.pk:
                entity = ctx.entities[product.entity.tax_code]
                data["product"] = find_product(ctx, entity, code=product.code, name=product.name_folded)
            certificate_import(actor=ctx.actor, **data)
        else:
            _, certificate, changes = plan.op
            certificate_import_correct(actor=ctx.actor, certificate=certificate, reason=reason, **changes)
