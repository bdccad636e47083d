from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    name = "shared.apitokens"
    label = "apitokens"
    verbose_name = _("API tokens for machine clients (接口令牌)")

    def ready(self) -> None:
        from shared.apitokens import schema  # noqa: F401  (the OpenAPI security scheme)
