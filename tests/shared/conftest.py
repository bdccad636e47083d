import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read error texts; the Chinese catalog is checked in tests/platform/test_i18n*."""
    with translation.override("en"):
        yield
