"""Dates carried as ISO text (a replica's body) are shown as the pages write dates:
{% load dates %} {{ body.due_date|day }} → 2026年6月15日; a date object the same; "" for none."""

from django import template

from tenants.kernel.documents import document_date

register = template.Library()


@register.filter
def day(value) -> str:
    return document_date(value)
