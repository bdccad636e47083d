"""Password rules (AUTH_PASSWORD_VALIDATORS) with messages the Chinese catalog translates."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, but Django 5.2 renamed this message's placeholder (%d), so its zh_Hans catalog no longer
    translates it and the password pages showed it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
