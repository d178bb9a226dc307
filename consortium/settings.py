"""Settings of the portal, read from the environment.

Production is the default: DEBUG is off unless asked for, and SECRET_KEY, ALLOWED_HOSTS and the
mail server must be given. `bin/setup` writes a `.env` for development that turns DEBUG on and
points at the database and broker it found or started; see `.env.example` for every variable.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from consortium import tenancy
from consortium.logs import configure_structlog, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py (or at PORTAL_ENV_FILE) fills in what the real environment leaves
# out; it never overrides a variable that is set.
environ.Env.read_env(env.str("PORTAL_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="development-only-key-not-for-production-use-0123456789")
else:
    SECRET_KEY = env("SECRET_KEY")  # required in production: no default on purpose
# Earlier keys still accepted for signatures while a new SECRET_KEY takes over (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# The container health check calls /healthz on localhost, so local names are always allowed.
ALLOWED_HOSTS = [*env.list("ALLOWED_HOSTS", default=[]), "127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_htmx",
    "ninja",
    "pgtrigger",
    "pghistory",
    "django_structlog",
    "consortium",
    "accounts",
    "jobs",
    "audit",
    "cpv",
    "members",
    "spend",
    "tenders",
    "agreements",
    "climate",
    "insight",
    "knowledge",
    "api",
    "reports",
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their cache lifetimes), before everything else.
    "consortium.middleware.PrivateResponseMiddleware",
    # A page's reads in one transaction: the acting context handed over once, not per statement.
    "consortium.middleware.ReadTransactionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The rest of the request acts as its user in the database too (row-level security).
    "accounts.middleware.ActingContextMiddleware",
    # A request id on every log line (and in the tasks the request starts), the user's id too.
    "django_structlog.middlewares.RequestMiddleware",
    "consortium.middleware.RequestIdMiddleware",
    # After authentication: a signed-in user's saved language applies.
    "consortium.middleware.PortalLocaleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a session idle too long is ended, with a message on the sign-in page.
    "accounts.middleware.IdleTimeoutMiddleware",
    # A session whose identity provider has signed the person out (back-channel logout) ends.
    "accounts.sso.sessions.ProviderLogoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "consortium.urls"
WSGI_APPLICATION = "consortium.wsgi.application"
ADMIN_URL = env("ADMIN_URL", default="admin/")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consortium.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "consortium.forms.PortalFormRenderer"

# --- Data stores -------------------------------------------------------------------------------

_DATABASE_URL = env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/consortium")
DATABASES = {"default": env.db_url_config(_DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's PostgreSQL backend, telling the database who is acting (row-level security,
# consortium/tenancy.py and docs/security.md).
DATABASES["default"]["ENGINE"] = "consortium.db"
# Two roles: the application's (DATABASE_URL: owns no table, no superuser, no BYPASSRLS) and the
# owner's, which `migrate`, `flush` and the backups use (DATABASE_OWNER_URL; the same as
# DATABASE_URL where one role does both, as in a bare development setup).
DATABASE_OWNER = env.db_url_config(env("DATABASE_OWNER_URL", default=_DATABASE_URL))
DATABASE_APP_ROLE = DATABASES["default"].get("USER") or ""
# A read replica for report queries (consortium/db/routers.py): off unless REPORTS_DATABASE_URL
# is set. Reads inside `reports_replica()` (the report pages and exports) go there; all writes
# and every other read stay on the primary. It connects as the application role, under the same
# row-level security; tests never create it (a mirror of the default database).
_REPORTS_DATABASE_URL = env("REPORTS_DATABASE_URL", default="")
if _REPORTS_DATABASE_URL:
    DATABASES["reports"] = {
        **env.db_url_config(_REPORTS_DATABASE_URL),
        "ENGINE": "consortium.db",
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
REPORTS_REPLICA = bool(_REPORTS_DATABASE_URL)
DATABASE_ROUTERS = ["consortium.db.routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
        "TIMEOUT": 300,
    }
}

MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
# Uploaded files are private (spend files, signed documents): they are never served by URL,
# only streamed by views that check access. MEDIA_URL is therefore not used.
# Uploaded and rendered files: the local filesystem (MEDIA_ROOT) unless STORAGE_S3_BUCKET names
# a bucket on S3 or an S3-compatible service (MinIO, Ceph, a Danish cloud's object storage).
# Objects stay private: no public ACL and no public URLs; the portal streams them itself.
STORAGE_S3_BUCKET = env("STORAGE_S3_BUCKET", default="")
DEFAULT_STORAGE: dict = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default=None),
            "region_name": env("STORAGE_S3_REGION", default=None),
            "access_key": env("STORAGE_S3_ACCESS_KEY", default=None),
            "secret_key": env("STORAGE_S3_SECRET_KEY", default=None),
            "location": env("STORAGE_S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("STORAGE_S3_ENCRYPT", default=True)
            else {},
        },
    }
    if STORAGE_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from the finders
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by `npm ci` (see package.json); never copied by hand.
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]

# --- Accounts ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[12-by Indkøbsportal] "
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins per IP and per account; password reset mails per IP and per address.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="12-by Indkøbsportal")
# Secretariat roles must have two-factor authentication before they can use the portal.
REQUIRE_MFA_FOR_SECRETARIAT = env.bool("REQUIRE_MFA_FOR_SECRETARIAT", default=not DEBUG)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Single sign-on through each organisation's own identity provider (accounts/sso/). The providers
# are configured in the portal (accounts.IdentityProvider), not here; allauth's OpenID Connect and
# SAML providers do the protocol work with two stricter rules (accounts/sso/providers.py).
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"provider_class": "accounts.sso.providers.PortalOIDCProvider"},
    "saml": {"provider_class": "accounts.sso.providers.PortalSAMLProvider"},
}
SOCIALACCOUNT_STORE_TOKENS = False  # the portal calls no provider API on the user's behalf
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by e-mail follows accounts/sso/admission.py
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the admission rules demand a verified address
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Fernet keys for the providers' client secrets: the first encrypts, all decrypt (rotation:
# put the new key first, run `manage.py sso_rotate_secrets`, then drop the old one). Empty:
# derived from SECRET_KEY and SECRET_KEY_FALLBACKS.
SSO_ENCRYPTION_KEYS = env.list("SSO_ENCRYPTION_KEYS", default=[])

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["consortium.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- E-mail ------------------------------------------------------------------------------------


def _mailers(url: str) -> dict:
    """Translate an EMAIL_URL (smtp+tls://user:pass@host:587, consolemail://) into MAILERS."""
    conf = env.email_url_config(url)
    options = {
        key: value
        for key, value in {
            "host": conf.get("EMAIL_HOST"),
            "port": conf.get("EMAIL_PORT"),
            "username": conf.get("EMAIL_HOST_USER"),
            "password": conf.get("EMAIL_HOST_PASSWORD"),
            "use_tls": conf.get("EMAIL_USE_TLS"),
            "use_ssl": conf.get("EMAIL_USE_SSL"),
            "timeout": 30 if "smtp" in conf["EMAIL_BACKEND"] else None,
        }.items()
        if value not in (None, "")
    }
    return {"default": {"BACKEND": conf["EMAIL_BACKEND"], "OPTIONS": options}}


MAILERS = _mailers(env("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="12-by Indkøbsportal <portal@12by.test>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Background jobs ---------------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late a task is redelivered if a worker dies; the visibility timeout must outlast the
# longest task or Redis hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="portal")


def celery_queues(default: str) -> dict[str, str]:
    """The queues, by kind, named after the default queue: `portal`, `portal.imports`, …

    Each kind has its own workers (docker-compose.yml), so a long import or a board pack being
    typeset never holds up an e-mail or a beat job."""
    return {"default": default} | {kind: f"{default}.{kind}" for kind in TASK_KINDS}


# Which queue each task goes to; a task not named here runs on the default queue.
TASK_KINDS: dict[str, tuple[str, ...]] = {
    # Reading files and recomputing stored figures over many spend lines: long, heavy on the
    # database.
    "imports": (
        "spend.import_file",
        "agreements.compliance_recompute",
        "agreements.tasks.nightly_compliance_recompute",
        "tenders.pool_volumes",
    ),
    # Typesetting PDFs and building documents and notices: CPU-bound.
    "rendering": (
        "reports.render_board_pack",
        "tenders.render_documents",
        "members.render_fee_statements",
        "notices.generate",
    ),
    # Talking to the mail server: short, many, waiting on the network.
    "mail": (
        "consortium.send_email",
        "consortium.send_rendered_email",
        "agreements.tasks.send_renewal_reminders",
    ),
}


def celery_task_routes(default: str) -> dict[str, dict[str, str]]:
    queues = celery_queues(default)
    return {task: {"queue": queues[kind]} for kind, tasks in TASK_KINDS.items() for task in tasks}


def celery_task_queues(default: str) -> dict[str, dict[str, str]]:
    """Every queue declared, so a worker started without --queues (`make run`) serves them all;
    the workers of docker-compose.yml each serve one."""
    return {
        name: {"exchange": name, "routing_key": name} for name in celery_queues(default).values()
    }


TASK_QUEUES = celery_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = celery_task_routes(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_QUEUES = celery_task_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_IGNORE_RESULT = True  # results live on jobs.Job, not in the broker
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Task modules not named tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["tenders.document_tasks"]
CELERY_BEAT_SCHEDULE: dict = {
    "jobs-mark-stale": {"task": "jobs.tasks.fail_stale_jobs", "schedule": 15 * 60},
    "reports-packs-before-meetings": {
        "task": "reports.packs_before_meetings",
        "schedule": crontab(hour=5, minute=30),
    },
    "agreements-renewal-reminders": {
        "task": "agreements.tasks.send_renewal_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "agreements-compliance-nightly": {
        "task": "agreements.tasks.nightly_compliance_recompute",
        "schedule": crontab(hour=2, minute=15),
    },
    "climate-nightly": {
        "task": "climate.tasks.nightly_recompute",
        "schedule": crontab(hour=2, minute=45),
    },
    # A member that has not answered by the participation deadline does not take part.
    "tenders-close-unanswered": {
        "task": "tenders.tasks.close_unanswered_participations",
        "schedule": 5 * 60,
    },
    # The dashboards the secretariat and the board open first, computed again after a change.
    "reports-keep-figures-current": {
        "task": "reports.keep_figures_current",
        "schedule": 60,
    },
    # A partition of the spend lines for next year before it comes, and one for any year whose
    # lines landed in the default partition (spend/partitions.py).
    "spend-keep-partitions": {
        "task": "spend.keep_partitions",
        "schedule": crontab(hour=1, minute=30),
    },
    "consortium-forget-figure-changes": {
        "task": "consortium.forget_figure_changes",
        "schedule": crontab(hour=3, minute=40),
    },
    "knowledge-flag-stale": {
        "task": "knowledge.tasks.schedule_stale_check",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
}
# Beat's tasks act for the whole consortium, and say so: a task message without an acting context
# sees no tenant row at all (row-level security, consortium/tenancy.py).
for _entry in CELERY_BEAT_SCHEDULE.values():
    _entry.setdefault("options", {})["headers"] = {tenancy.TASK_HEADER: tenancy.SYSTEM.as_header()}
# A board report pack is rendered this many days before each board meeting.
REPORT_PACK_DAYS_BEFORE_MEETING = env.int("REPORT_PACK_DAYS_BEFORE_MEETING", default=7)
# Dashboards and overviews are kept between requests until their data changes
# (consortium/figure_store.py), and at most this long.
FIGURES_STORED = env.bool("FIGURES_STORED", default=True)
FIGURES_STORED_SECONDS = env.int("FIGURES_STORED_SECONDS", default=15 * 60)

# --- Notices ----------------------------------------------------------------------------------

# eForms notices (notices/): the compiled Schematron rules are kept here, keyed by SDK version
# and a digest of the rules, so they are built once and shared by every process.
NOTICES_CACHE_DIR = Path(
    env("NOTICES_CACHE_DIR", default=str(BASE_DIR / ".data" / "cache" / "eforms"))
)
# The review body every notice names (OPT-301-Lot-ReviewOrg): Klagenævnet for Udbud
# (klagenævnsloven § 1), with its address as it publishes it.
NOTICES_REVIEW_BODY = {
    "name": "Klagenævnet for Udbud",
    "street": "Toldboden 2",
    "postcode": "8800",
    "city": "Viborg",
    "nuts": "DK041",
    "email": "klfu@naevneneshus.dk",
    "phone": "+45 72 40 56 00",
    "website": "https://klfu.naevneneshus.dk",
    "cvr": "37795526",
}

# --- Tenders -----------------------------------------------------------------------------------

# Which days end-of-period roll-over skips besides weekends (tenders/periods.py): "safe" (the
# default) also treats Grundlovsdag, 24 and 31 December as non-working days, so a standstill or a
# time limit never ends a day too early; "strict" counts only the public holidays.
TENDERS_HOLIDAY_READING = env.str("TENDERS_HOLIDAY_READING", default="safe")

# --- Agreements --------------------------------------------------------------------------------

# Agreements ending within this many months appear in renewal planning (and are mailed about).
AGREEMENTS_RENEWAL_HORIZON_MONTHS = env.int("AGREEMENTS_RENEWAL_HORIZON_MONTHS", default=18)
# An agreement ending within this many months has the status "expiring".
AGREEMENTS_EXPIRING_MONTHS = env.int("AGREEMENTS_EXPIRING_MONTHS", default=6)

# --- Audit trail -------------------------------------------------------------------------------

PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# --- Security ----------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A refused form gets a page in the user's language, not Django's English developer page.
CSRF_FAILURE_VIEW = "consortium.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Sign-out after inactivity (accounts.middleware.IdleTimeoutMiddleware): sooner for the
# secretariat, which reaches every member's data.
SESSION_IDLE_SECONDS_SECRETARIAT = env.int("SESSION_IDLE_SECONDS_SECRETARIAT", default=30 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- API and open data ---------------------------------------------------------------------------

API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/m")  # per token or user
# The ocid prefix registered with the Open Contracting Partnership (ocds-xxxxxx until registered).
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-xxxxxx")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default="12-by Gruppen Indkøbscentral")
OCDS_PUBLISHER_CVR = env("OCDS_PUBLISHER_CVR", default="")
OCDS_LICENSE = env("OCDS_LICENSE", default="https://opendatacommons.org/licenses/pddl/1-0/")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Structured logs (consortium/logs.py): JSON lines with the request id, also in the tasks a
# request starts.
LOG_FORMAT = env("LOG_FORMAT", default="console" if DEBUG else "json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# Take the request id a trusted reverse proxy sets (X-Request-ID) instead of making one.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=False)

# Error reporting (Sentry or a compatible service such as GlitchTip): off unless SENTRY_DSN is
# set. No personal data is sent: no user e-mail, IP address, cookies or request bodies.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
