from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """The county's ledger of what comes from above (上级交办台账): the shared model base, API shape,
    progress service, template and bus registration of every record a superior assigns to a county
    (督办 rectification items, received transfers). The apps that own the records import it; it
    imports none of them."""

    name = "tenants.ledger"
    label = "ledger"
    verbose_name = _("Supervision ledger (督办台账)")
