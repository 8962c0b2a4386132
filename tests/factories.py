"""Small factories: real rows through the real services, so tests exercise the write path users take."""

import io
import itertools
import random
import string

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from places.models import Commune, Province
from registry.models import Entity, Product, ProductCategory, Role
from registry.services import entity_create, product_create, product_set_status

_seq = itertools.count(1)


def province(name_part: str) -> Province:
    return Province.objects.get(name__contains=name_part)


def commune(province_name: str, name_part: str | None = None) -> Commune:
    qs = Commune.objects.filter(province__name__contains=province_name)
    if name_part:
        qs = qs.filter(name__contains=name_part)
    return qs.order_by("code")[0]


def tax_code() -> str:
    return f"{5300000000 + next(_seq):010d}"


def make_entity(*, commune_obj: Commune | None = None, **overrides) -> Entity:
    data = {
        "kind": Entity.Kind.COOPERATIVE,
        "legal_name": f"Hợp tác xã Thử nghiệm {next(_seq)}",
        "tax_code": tax_code(),
        "representative": "Nguyễn Văn A",
        "address": "Thôn 1",
        "commune": commune_obj or commune("Lào Cai"),
        "workers_count": 10,
    }
    data.update(overrides)
    return entity_create(actor=None, **data)


def _product_name() -> str:
    """A made-up tea name per call. Default names must not look alike: registry.duplicates refuses a
    similar name from another entity of the same commune and criteria set, and the default entities
    share a commune (12 random letters keep any two under a similarity of 70, the threshold is 85)."""
    rng = random.Random(next(_seq))
    return "Chè " + "".join(rng.choice(string.ascii_lowercase) for _ in range(12)).capitalize()


def make_product(
    *,
    entity: Entity | None = None,
    name: str | None = None,
    status: str | None = None,
    category: str = "QD26-11",
    **overrides,
) -> Product:
    entity = entity or make_entity()
    product = product_create(
        actor=None,
        entity=entity,
        category=ProductCategory.objects.get(code=category),
        translations={"vi": {"name": name or _product_name()}},
        **overrides,
    )
    if status:
        product = product_set_status(actor=None, product=product, status=status)
    return product


PASSWORD = "correct horse battery 42"  # noqa: S105 (a test fixture, not a credential)


def make_user(username: str | None = None, *, password: str = PASSWORD, **fields):
    username = username or f"user{next(_seq)}"
    fields.setdefault("email", f"{username}@example.org")
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    return user


def with_role(user, kind: str, **scope):
    Role.objects.create(user=user, kind=kind, **scope)
    if hasattr(user, "_ocop_scope"):
        del user._ocop_scope
    return user


def image_upload(name: str = "photo.png", *, size=(800, 600), fmt: str = "PNG", color=(30, 120, 60)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")
