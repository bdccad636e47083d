"""The OpenAPI security scheme for API tokens (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OrganizationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "shared.apitokens.auth.OrganizationTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Machine clients: `Authorization: Token <token>`. A token belongs to one person and one organisation"
                " (it opens /org/<that code>/api/ only), expires, and can be revoked; make one with"
                " POST /org/<code>/api/tokens/ while signed in, or `xuncha token create`."
            ),
        }
