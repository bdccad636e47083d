"""Service errors as API error bodies."""

from __future__ import annotations


def error_code(error) -> str:
    """The code of a service's ValidationError; one raised with a list of messages carries it on each."""
    codes = [getattr(error, "code", None)] + [getattr(e, "code", None) for e in getattr(error, "error_list", ())]
    return next((code for code in codes if code), "invalid")


def validation_error_body(error) -> dict:
    """A service's ValidationError as an API error body."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"detail": [str(m) for m in error.messages], "code": error_code(error)}
