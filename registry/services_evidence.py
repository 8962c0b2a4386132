"""Writes to an entity's evidence library and its recognitions (VietGAP, HACCP, GI, …).
A document is stored once per entity (by content hash) and linked wherever it is needed."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from registry import access
from registry.files import document_check
from registry.models import Entity, Evidence, Product, Recognition
from traceability.changes import scan_pages_changed


def _dates_check(valid_from: date | None, valid_to: date | None, errors: dict) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(_("The end of validity is before its start."))


def evidence_upload(
    *,
    actor,
    entity: Entity,
    upload,
    kind: str,
    title: str,
    issuer: str = "",
    number: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Evidence:
    access.require(access.can_manage_entity(actor, entity))
    errors: dict[str, list[str]] = {}
    if kind not in Evidence.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of document."))
    clean = {}
    for name, value in (("title", title), ("issuer", issuer), ("number", number)):
        try:
            clean[name] = plain_text(value, field=name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not clean.get("title") and "title" not in errors:
        errors.setdefault("title", []).append(_("This field is required."))
    _dates_check(valid_from, valid_to, errors)
    if errors:
        raise ValidationError(errors)
    checked = document_check(upload)
    existing = Evidence.objects.filter(entity=entity, sha256=checked.sha256).first()
    if existing is not None:
        raise ValidationError(
            {
                "file": _("This document is already in the library as “%(title)s”; reuse it instead.")
                % {"title": existing.title}
            }
        )
    with transaction.atomic():
        evidence = Evidence(
            entity=entity,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
            content_type=checked.content_type,
            size_bytes=len(checked.data),
            sha256=checked.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **clean,
        )
        # Evidence is private: an unguessable name, served only through a permission-checked view.
        evidence.file.save(
            f"{secrets.token_urlsafe(16)}.{checked.extension}", ContentFile(checked.data), save=False
        )
        evidence.save()
        audit_record(actor=actor, action="evidence.upload", obj=evidence, after=snapshot(evidence))
    return evidence


def recognition_create(
    *,
    actor,
    entity: Entity,
    kind: str,
    product: Product | None = None,
    issuer: str = "",
    number: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
    evidence: list[Evidence] | None = None,
) -> Recognition:
    access.require(access.can_manage_entity(actor, entity))
    errors: dict[str, list[str]] = {}
    if kind not in Recognition.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of recognition."))
    if product is not None and product.entity_id != entity.pk:
        errors.setdefault("product", []).append(_("This product belongs to another entity."))
    for doc in evidence or []:
        if doc.entity_id != entity.pk:
            errors.setdefault("evidence", []).append(
                _("Evidence can only come from the entity's own library.")
            )
            break
    clean = {}
    for name, value in (("issuer", issuer), ("number", number), ("note", note)):
        try:
            clean[name] = plain_text(value, field=name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    _dates_check(valid_from, valid_to, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        recognition = Recognition.objects.create(
            entity=entity, product=product, kind=kind, valid_from=valid_from, valid_to=valid_to, **clean
        )
        if evidence:
            recognition.evidence.set(evidence)
        after = snapshot(recognition) | {"evidence": [e.pk for e in evidence or []]}
        audit_record(actor=actor, action="recognition.create", obj=recognition, after=after)
        scan_pages_changed()  # the catalogue's pages list recognitions
    return recognition


def recognition_update(*, actor, recognition: Recognition, reason: str = "", **changes) -> Recognition:
    """Correct a recognition's issuer, number, dates or note (a corrected import file does this)."""
    access.require(access.can_manage_entity(actor, recognition.entity))
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for name in ("issuer", "number", "note"):
        if name in changes:
            try:
                clean[name] = plain_text(changes[name] or "", field=name)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    for name in ("valid_from", "valid_to"):
        if name in changes:
            clean[name] = changes[name]
    _dates_check(
        clean.get("valid_from", recognition.valid_from), clean.get("valid_to", recognition.valid_to), errors
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Recognition.objects.select_for_update().get(pk=recognition.pk)
        before = snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        after = snapshot(locked)
        if before != after:
            locked.save()
            audit_record(
                actor=actor,
                action="recognition.update",
                obj=locked,
                before=before,
                after=after,
                reason=reason,
            )
            scan_pages_changed()
    return locked
