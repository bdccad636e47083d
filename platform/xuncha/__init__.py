"""Xuncha: the linked-supervision platform (巡察上下联动平台)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
