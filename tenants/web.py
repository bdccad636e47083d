"""Small helpers shared by the core apps' thin views."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError


def role_required(check):
    """View decorator: `check(request.org_access)` must hold, else 403 (server-side, whatever the page showed)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.org_access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors on fields the form has)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def org_url(request, path: str = "") -> str:
    """An address inside the current organisation (/org/<code>/<path>)."""
    return f"{request.tenant.route}{path}"
