"""One settings module, configured from the environment (12-factor) with safe local defaults.

See the README's "Configuration" section for every variable.
"""

from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("VCIO_TESTING", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
else:
    SECRET_KEY = env("SECRET_KEY")  # required in production: no default

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies of ours in front of the app, each appending to X-Forwarded-For (vcio.client_ip):
# 0 = the connecting address is the client (never trust the header); 1 behind the compose proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "csp",
    "vcio",
    "accounts",
    "clients",
    "roadmaps",
    "vendors",
    "budgets",
    "compliance",
    "qbr",
    "portal",
]

MIDDLEWARE = [
    "vcio.middleware.HealthCheckMiddleware",
    "vcio.middleware.ApiJsonErrorsMiddleware",
    "vcio.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "vcio.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vcio.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vcio.middleware.RowLevelSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "vcio.middleware.PracticeTimezoneMiddleware",
]

ROOT_URLCONF = "vcio.urls"
WSGI_APPLICATION = "vcio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.practice",
            ],
        },
    },
]
# Django's form renderer with the <input> and <textarea> widgets written in Python (vcio.forms).
FORM_RENDERER = "vcio.forms.FastFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vcio.sqlite3'}")}
# Requests run in a transaction on PostgreSQL through vcio.middleware.RowLevelSecurityMiddleware
# (which also carries the row-level-security settings), not Django's ATOMIC_REQUESTS.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new PostgreSQL connection costs a request ~10 ms), checked before reuse.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
# On PostgreSQL the app connects (DATABASE_URL) as a role that owns no tables, so row-level security
# applies to it; the tables' owner (DATABASE_OWNER_URL) runs `manage.py setup_database` (migrations,
# the app role and its grants). See the README, "Row-level security (PostgreSQL)".
if DATABASE_OWNER_URL := env("DATABASE_OWNER_URL", default=""):
    DATABASES["owner"] = env.db("DATABASE_OWNER_URL")
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# The role granted data rights after every migrate: DATABASE_URL's user when an owner URL is given.
DATABASE_APP_ROLE = env(
    "DATABASE_APP_ROLE", default=(DATABASE_OWNER_URL and DATABASES["default"].get("USER")) or "vcio_app"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, with the user of every request read by a prepared query
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# --- django-allauth: e-mail as login, verification mandatory in production -----------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # 10 failed logins per account in 5 minutes; the 11th is refused.
    "login_failed": "10/5m/key,30/5m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[vcio] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"  # asks for the display name
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="vcio")

# --- audit history (django-simple-history) -------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True  # reasons (status notes) are not cut at 100

# --- e-mail --------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="vcio <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n / time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed, compressed files from `collectstatic`. STATICFILES_BACKEND overrides it for
    # a production-like process that never ran collectstatic (CI's API fuzzing).
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=1024 * 1024)

# --- cache (database-independent locmem locally; Redis when configured) --------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis backend, keeping one client per connection pool (vcio.cache)
    CACHES = {"default": {"BACKEND": "vcio.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds an API key, once found by its hash, is kept in the shared cache (Redis), sparing each API
# request three statements (accounts.api_auth). A change to the key or its practice invalidates it
# at once. 0: looked up every time — the default without Redis, whose caches are per process.
API_KEY_CACHE_SECONDS = env.int("API_KEY_CACHE_SECONDS", default=60 if REDIS_URL else 0)

# --- Celery: Redis in production; a broker that needs no server (file system) locally -------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_queue / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiKeyAuthentication",
        "accounts.api_auth.PracticeSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_auth.PracticeRolePermission"],
    "DEFAULT_PAGINATION_CLASS": "vcio.api_settings.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The tenant-scoped backends by default: a filter over a model choice only knows the practice's rows.
    "DEFAULT_FILTER_BACKENDS": [
        "vcio.api_filters.TenantFilterBackend",
        "vcio.api_filters.StableOrderingFilter",
        "vcio.api_filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "vcio.api_schema.TenantAutoSchema",
    "EXCEPTION_HANDLER": "vcio.api_settings.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only (anything else is a 415); a body nested too deeply is a 400, never a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["vcio.api_parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Rate limits (accounts.api_throttles): per API key and per signed-in user; per IP without credentials.
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api_throttles.ApiKeyRateThrottle",
        "accounts.api_throttles.SessionUserRateThrottle",
        "accounts.api_throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env("API_THROTTLE_RATE", default="1200/hour"),
        "user": env("API_THROTTLE_RATE", default="1200/hour"),
        "anon": env("API_ANON_THROTTLE_RATE", default="60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vcio API",
    "DESCRIPTION": "REST API of vcio.",  # the full text (auth, tenancy, errors) is vcio.api_schema.API_DESCRIPTION
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "vcio.api_schema.postprocess"],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "roadmaps.models.Status",
        "GoalStatusEnum": "roadmaps.models.GoalStatus",
        "AssessmentStatusEnum": "compliance.models.AssessmentStatus",
        "ResponseStatusEnum": "compliance.models.ResponseStatus",
        "FrameworkKindEnum": "compliance.models.FrameworkKind",
        "VendorCategoryEnum": "vendors.models.VendorCategory",
        "ContractTypeEnum": "vendors.models.ContractType",
        "BillingFrequencyEnum": "vendors.models.BillingFrequency",
        "ContractStatusEnum": "vendors.models.ContractStatus",
        "InteractionKindEnum": "vendors.models.InteractionKind",
        "InitiativeCategoryEnum": "roadmaps.models.Category",
        "BudgetStatusEnum": "budgets.models.BudgetStatus",
        "BudgetCategoryEnum": "budgets.models.BudgetCategory",
        "ExpenseTypeEnum": "budgets.models.ExpenseType",
        "BudgetLineSourceEnum": "budgets.models.LineSource",
        "BudgetLineSourcePartEnum": "budgets.models.SourcePart",
        "ActualSourceEnum": "budgets.models.ActualSource",
        "IndustryEnum": "clients.models.Industry",
        "AdvisoryCategoryEnum": "qbr.advisory_models.AdvisoryCategory",
        "AdvisorySeverityEnum": "qbr.advisory_models.AdvisorySeverity",
        "AdvisoryTargetingEnum": "qbr.advisory_models.AdvisoryTargeting",
        "ReminderKindEnum": "qbr.models.ReminderKind",
    },
}

# --- security ------------------------------------------------------------------------------------
SESSION_ENGINE = "vcio.sessions"  # database sessions, read by a prepared query (vcio/sessions.py)
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 8)  # seconds of inactivity
# The session is written when it changes, not on every request; vcio.middleware.SessionIdleRefreshMiddleware
# pushes a signed-in session's expiry ahead at most once a minute, so the idle timeout still counts inactivity.
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],  # the brand-colour <style> carries the request's nonce
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- request size (README, "Request size"; the proxy's limit in deploy/nginx.conf matches) -------
# The whole body of one request, refused with a 413 before it is read (vcio.middleware):
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=10 * 1024 * 1024)
# What Django reads into memory: form fields and API (JSON) bodies; the API's body limit too.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
# An uploaded file larger than this goes to a temporary file instead of memory (logos: 1 MB at most).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
