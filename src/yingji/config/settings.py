"""Django settings for yingji: read from the environment only (see ``.env.example``)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from yingji.config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("YINGJI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

SECRET_KEY = env_secret("SECRET_KEY", VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "huey.contrib.djhuey",
    "yingji.apps.core",
    "yingji.apps.accounts",
    "yingji.apps.audit",
    "yingji.apps.directory",
    "yingji.apps.notifications",
    "yingji.apps.duty",
    "yingji.apps.resources",
    "yingji.apps.risk",
    "yingji.apps.warnings",
    "yingji.apps.incidents",
    "yingji.apps.monitoring",
    "yingji.apps.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yingji.apps.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yingji.apps.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "yingji.config.urls"
WSGI_APPLICATION = "yingji.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "yingji.apps.core.context_processors.platform",
            ],
        },
    }
]

# Database: SQLite in WAL mode under var/ by default; any DATABASE_URL (PostgreSQL supported).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yingji.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: Huey, SQLite storage by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "yingji", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yingji",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {"workers": env_int("HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yingji"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed logins allowed per (username, client address) within the window before 429.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_S = env_int("LOGIN_FAILURE_WINDOW_S", 900, minimum=1)

LANGUAGE_CODE = "zh-hans"
# Language names are shown in their own language (never translated).
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "yingji" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["yingji.apps.core.permissions.DeclaredPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "yingji.apps.core.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yingji.apps.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "yingji 应急 API",
    "DESCRIPTION": "Emergency-management platform API (county deployment).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WarningSeverityEnum": "yingji.apps.warnings.models.authoring.Severity",
        "WarningCategoryEnum": "yingji.apps.warnings.models.authoring.Category",
        "WarningChannelEnum": "yingji.apps.warnings.models.warning.Channel",
        "WarningStateEnum": "yingji.apps.warnings.models.warning.WarningState",
        "CapStatusEnum": "yingji.apps.warnings.models.warning.CapStatus",
        "UpstreamStateEnum": "yingji.apps.warnings.models.ingest.UpstreamState",
        "HiddenHazardGradeEnum": "yingji.apps.risk.models.hidden_hazard.HazardGrade",
        "HiddenHazardSourceEnum": "yingji.apps.risk.models.hidden_hazard.HazardSource",
        "HiddenHazardCategoryEnum": "yingji.apps.risk.models.hidden_hazard.HazardCategory",
        "IncidentSourceEnum": "yingji.apps.incidents.models.incident.IncidentSource",
        "IncidentCategoryEnum": "yingji.apps.incidents.models.incident_type.IncidentCategory",
        "ReportKindEnum": "yingji.apps.incidents.models.report.ReportKind",
    },
}

# Deployment: which county this instance serves, and the optional map tile server.
YINGJI_COUNTY_CODE = env_str("YINGJI_COUNTY_CODE", "652826000000")
YINGJI_MAP_TILE_URL = env_str("YINGJI_MAP_TILE_URL", "")
YINGJI_MAP_TILE_ATTRIBUTION = env_str("YINGJI_MAP_TILE_ATTRIBUTION", "")
YINGJI_DATA_DIR = Path(env_str("YINGJI_DATA_DIR", str(BASE_DIR / "data")))

# Incidents and notifications.
YINGJI_SMS_GATEWAY_URL = env_str("YINGJI_SMS_GATEWAY_URL", "")
YINGJI_ESCALATION_SECOND_LEVEL_MINUTES = env_int("YINGJI_ESCALATION_SECOND_LEVEL_MINUTES", 30, minimum=1)
YINGJI_DUPLICATE_WINDOW_MINUTES = env_int("YINGJI_DUPLICATE_WINDOW_MINUTES", 120, minimum=0)
YINGJI_DUPLICATE_DISTANCE_M = env_int("YINGJI_DUPLICATE_DISTANCE_M", 1000, minimum=0)
YINGJI_DESK_STREAM_SECONDS = env_int("YINGJI_DESK_STREAM_SECONDS", 25, minimum=1)
YINGJI_DESK_EVENT_KEEP_DAYS = env_int("YINGJI_DESK_EVENT_KEEP_DAYS", 7, minimum=1)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "yingji@localhost")

# Warnings: dissemination gateway (HTTP; `yingji warnings fake-gateway` runs a loopback stand-in) and
# the CAP sender identity (GB/T 35965.1 identifiers use the sender code).
YINGJI_WARNINGS_GATEWAY_URL = env_str("YINGJI_WARNINGS_GATEWAY_URL", "")
YINGJI_WARNINGS_SENDER = env_str("YINGJI_WARNINGS_SENDER", "Yanqi_Emergency_Management_Bureau")
YINGJI_WARNINGS_SENDER_NAME = env_str("YINGJI_WARNINGS_SENDER_NAME", "焉耆回族自治县应急管理局")
YINGJI_WARNINGS_SENDER_CODE = env_str("YINGJI_WARNINGS_SENDER_CODE", YINGJI_COUNTY_CODE[:6] + "00000000")
YINGJI_WARNINGS_SMS_SIGNATURE = env_str("YINGJI_WARNINGS_SMS_SIGNATURE", "焉耆县应急管理局")

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
