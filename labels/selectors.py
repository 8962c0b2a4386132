"""Reads of label sheets: templates offered, and a product's jobs for those who manage it (the product
comes from traceability.selectors.product_managed, so another entity's job is simply not found)."""

from django.db.models import QuerySet

from labels.models import LabelJob, LabelTemplate
from registry.models import Product


def templates_offered() -> QuerySet[LabelTemplate]:
    return LabelTemplate.objects.filter(active=True)


def jobs_of(product: Product) -> QuerySet[LabelJob]:
    return LabelJob.objects.filter(product=product).select_related("template", "lot", "serial_range")


def job_of(product: Product, pk: int) -> LabelJob:
    return jobs_of(product).get(pk=pk)
