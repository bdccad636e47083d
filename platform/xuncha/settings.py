"""Django settings for Xuncha, read from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable; the defaults are safe for local development only, and
with DEBUG off the site refuses to start on a default or empty SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SITE_DIR = Path(__file__).resolve().parent  # platform/xuncha
REPO_DIR = SITE_DIR.parent.parent
RUN_DIR = Path(os.environ.get("XUNCHA_RUN_DIR", REPO_DIR / ".run"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_SECRET_KEY = "xuncha-development-only-not-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if not DEBUG else DEVELOPMENT_SECRET_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off.")


def _audit_key() -> bytes:
    """The key of the audit chain's HMAC (tenants/audit); never stored in the database.

    From XUNCHA_AUDIT_KEY (at least 32 characters) or the file named by XUNCHA_AUDIT_KEY_FILE. A laptop or a test
    run (DEBUG on, or plain HTTP on loopback with XUNCHA_INSECURE_HTTP) gets a random key generated once into
    .run/audit.key; a production start without a key is refused.
    """
    key = os.environ.get("XUNCHA_AUDIT_KEY", "")
    key_file = os.environ.get("XUNCHA_AUDIT_KEY_FILE", "")
    if not key and key_file:
        key = Path(key_file).read_text(encoding="utf-8").strip()
    if not key and (DEBUG or env_bool("XUNCHA_INSECURE_HTTP")):
        generated = RUN_DIR / "audit.key"
        generated.parent.mkdir(parents=True, exist_ok=True)
        if not generated.exists():  # written whole, then linked: a concurrent process never reads half a key
            draft = generated.with_name(f"audit.key.{os.getpid()}")
            with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
                out.write(secrets.token_urlsafe(48))
            try:
                os.link(draft, generated)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        key = generated.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise ImproperlyConfigured(
            "XUNCHA_AUDIT_KEY (or XUNCHA_AUDIT_KEY_FILE) must hold a random key of at least 32 characters when DEBUG"
            " is off: it keys the audit chain and must not live in the database (deploy/README.md)."
        )
    return key.encode("utf-8")


XUNCHA_AUDIT_KEY = _audit_key()
# Signed checkpoints of every organisation's audit chain head, outside the database (tenants/audit/anchors.py).
XUNCHA_AUDIT_ANCHOR_DIR = Path(os.environ.get("XUNCHA_AUDIT_ANCHOR_DIR", RUN_DIR / "audit-anchors"))


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make demo` / `make test` (they start an embedded "
        "PostgreSQL) or point DATABASE_URL at a PostgreSQL server."
    )
# Persistent connections (seconds; 0 = one backend per request), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("XUNCHA_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
if os.environ.get("XUNCHA_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["XUNCHA_TEST_DB_NAME"]}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tenancy ------------------------------------------------------------------
TENANT_MODEL = "orgs.Organization"
TENANT_DOMAIN_MODEL = "orgs.Domain"
TENANT_SUBFOLDER_PREFIX = "org"
# Issue `SET search_path` once per schema change instead of once per cursor (it was half of all
# statements); django-tenants forgets the cached path on rollback and savepoint rollback.
TENANT_LIMIT_SET_CALLS = True
# New organisations are cloned from this migrated template schema rather than
# replaying every migration (shared/orgs/cloning.py explains why not django-tenants' clone).
XUNCHA_TEMPLATE_SCHEMA = "tpl_organization"

SHARED_APPS = [
    "django_tenants",
    "xuncha",
    "shared.orgs",
    "shared.accounts",
    "shared.buskeys",
    "shared.grants",
    "shared.apitokens",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "knox",
    "axes",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "tenants.office",
    "tenants.attachments",
    "tenants.targets",
    "tenants.planning",
    "tenants.experts",
    "tenants.rounds",
    "tenants.guidance",
    "tenants.statistics",
    "sync",
    "tenants.audit",
    "tenants.agencies",
    "tenants.inround",
    "tenants.findings",
    "tenants.ledger",
    "tenants.transfers",
    "tenants.rectification",
    "tenants.crossorg",
    "tenants.reports",
    "tenants.reminders",
    "tenants.search",
    "tenants.administration",
    "tenants.workbench",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

MIDDLEWARE = [
    # Outermost, so that error pages (an unknown organisation's 404 too) carry the headers.
    "xuncha.middleware.SecurityHeadersMiddleware",
    "xuncha.middleware.OrganizationRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files when DEBUG is off (gunicorn alone; nginx may serve them instead).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xuncha.middleware.SessionTimeoutMiddleware",
    "xuncha.middleware.OrganizationAccessMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xuncha.urls"  # an organisation's pages, mounted under /org/<code>/
PUBLIC_SCHEMA_URLCONF = "xuncha.urls_public"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.context_processors.organization",
            ],
            # `{% url %}` reversing each shape of link once per page (a list writes the same links for every row).
            "builtins": ["xuncha.templatetags.links"],
        },
    }
]

WSGI_APPLICATION = "xuncha.wsgi.application"
ASGI_APPLICATION = "xuncha.asgi.application"

# --- People -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xuncha.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks out password guessing before the real check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The reverse proxies whose X-Forwarded-For is believed (comma-separated addresses, e.g. nginx's 127.0.0.1);
# empty: every client is its REMOTE_ADDR. See xuncha/client_address.py and deploy/README.md.
XUNCHA_TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("XUNCHA_TRUSTED_PROXIES", "").split(",") if a.strip()
)
AXES_CLIENT_IP_CALLABLE = "xuncha.client_address.client_address"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))  # the fixed life from sign-in
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))  # signed out after this long idle
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not env_bool("XUNCHA_INSECURE_HTTP"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything the pages load is vendored under /static/: no inline script or style, no other origin.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ),
)
# Browsers are told to use HTTPS only, unless the site is deliberately served over plain HTTP
# (a laptop or the test runs); "includeSubDomains" and "preload" are the operator's choice.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", 0 if env_bool("XUNCHA_INSECURE_HTTP") else 365 * 24 * 3600)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# --- Language and time ---------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files: everything vendored, nothing from a CDN ----------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", REPO_DIR / "staticfiles"))

# --- API ------------------------------------------------------------------------
# Every list, on the pages and in the API, shows this many rows a page (tenants.kernel: paginated, ListPagination).
XUNCHA_PAGE_SIZE = int(os.environ.get("XUNCHA_PAGE_SIZE", "50"))
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tenants.kernel.api.ListSchema",
    # Machine clients first (the token OrganizationAccessMiddleware accepted), then browsers' sessions with CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shared.apitokens.auth.OrganizationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["xuncha.permissions.IsOrganizationMember"],
    # `?limit=&offset=`, XUNCHA_PAGE_SIZE rows unless asked for fewer (at most ListPagination.max_limit).
    "DEFAULT_PAGINATION_CLASS": "tenants.kernel.pagination.ListPagination",
    "PAGE_SIZE": XUNCHA_PAGE_SIZE,
    "EXCEPTION_HANDLER": "tenants.kernel.errors.exception_handler",
    # JSON only in production: DRF's browsable pages are a developer's tool (English field names, forms no role
    # check has looked at, inline styles the Content-Security-Policy refuses); the API docs page is the office's.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# API tokens (shared.apitokens, django-rest-knox): one person, one organisation, a fixed life, no silent renewal.
KNOX_TOKEN_MODEL = "apitokens.ApiToken"
XUNCHA_API_TOKEN_DAYS = int(os.environ.get("XUNCHA_API_TOKEN_DAYS", "30"))
XUNCHA_API_TOKEN_MAX_DAYS = int(os.environ.get("XUNCHA_API_TOKEN_MAX_DAYS", "90"))
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": timedelta(days=XUNCHA_API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "巡察上下联动平台 API",
    "DESCRIPTION": "巡察上下联动平台 API: every path lives under /org/<region code>/api/.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every operation also documents its 400/403/404 answers (xuncha/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "xuncha.api_schema.document_error_responses",
    ],
    # Several models have a `kind`/`state`: name the shared choice sets instead of generated hash names.
    "ENUM_NAME_OVERRIDES": {
        "RoundKindEnum": "tenants.rounds.models.RoundKind",
        "RoundStateEnum": "tenants.rounds.models.RoundState",
        "FilingKindEnum": "tenants.reports.models.FilingKind",
        "FilingStatusEnum": "tenants.reports.models.FilingStatus",
        "SubmissionKindEnum": "tenants.rectification.models.SubmissionKind",
        "SupervisedStatusEnum": "tenants.rectification.models.SupervisedStatus",
        "HandlingProgressEnum": "tenants.transfers.models.HandlingProgress",
        "PlanStatusEnum": "tenants.planning.models.PlanStatus",
        # a membership's role in its organisation vs a member's role on a team; clearance is a classification
        "OrganizationRoleEnum": "shared.accounts.models.Role",
        "TeamRoleEnum": "tenants.rounds.models.MemberRole",
        "ClassificationEnum": "shared.accounts.models.Classification",
        "WorkingPaperStatusEnum": "tenants.inround.models.WorkingPaper.Status",
    },
}

# --- Bus and background jobs ----------------------------------------------------
BROKER_URL = os.environ.get("BROKER_URL", "")
# Exchange/queue name prefix: tests and parallel developers use their own (docs/SYNC.md).
XUNCHA_SYNC_PREFIX = os.environ.get("XUNCHA_SYNC_PREFIX", "xuncha.sync")
# Encrypts organisations' private bus keys at rest; falls back to SECRET_KEY (docs/SYNC.md).
XUNCHA_BUS_KEY_SECRET = os.environ.get("XUNCHA_BUS_KEY_SECRET", "")
# Embedded (PostgreSQL-table) transport: seconds before an unacked message is delivered again.
XUNCHA_SYNC_EMBEDDED_LEASE_SECONDS = float(os.environ.get("XUNCHA_SYNC_EMBEDDED_LEASE_SECONDS", "30"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", BROKER_URL or "memory://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The demo's broker when no RabbitMQ is around: files under .run/, shared by worker and beat.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(RUN_DIR / "celery-broker"),
        "data_folder_out": str(RUN_DIR / "celery-broker"),
        "processed_folder": str(RUN_DIR / "celery-broker-processed"),
        "store_processed": False,
    }
    for _folder in ("celery-broker", "celery-broker-processed"):
        (RUN_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULER = "tenant_schemas_celery.scheduler:TenantAwarePersistentScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", "rpc://" if BROKER_URL.startswith("amqp") else "cache+memory://"
)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "xuncha.jobs")
CELERY_BEAT_SCHEDULE: dict = {}  # apps add their periodic jobs in AppConfig.ready (see xuncha.tasks.fan_out)

# --- Logging: never log request bodies or record contents --------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Notifications by e-mail too (off by default): each in-app notice is also mailed, after its transaction commits,
# to the people it is for who have an address, through Django's mail settings (EMAIL_BACKEND, EMAIL_HOST...).
# A notice about a record classified 秘密 or above is mailed without its title (mail leaves the platform).
XUNCHA_NOTIFY_EMAIL = env_bool("XUNCHA_NOTIFY_EMAIL", False)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xuncha@localhost")
