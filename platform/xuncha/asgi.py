# Tenant work is kept synchronous: the async ORM loses the schema across
# sync_to_async hops (django-tenants #1168), so ASGI only wraps sync views.
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
application = get_asgi_application()
