"""Settings for Essor, read from the environment with safe defaults for the embedded run."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ESSOR_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)
# A developer's .env fills in what the real environment leaves unset (never overrides it).
ENV_FILE = Path(env.str("ESSOR_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default key is for the embedded run only; `check --deploy` flags it (its prefix says so).
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-embedded-run-only-" + "x" * 20)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "accelerator",
    "applications",
    "cms",
    "workers",
    "wagtail_localize",
    "wagtail_localize.locales",  # the admin's languages screen, in place of wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_fsm",
    "django_celery_beat",
    "rules",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "essor.middleware.ContentSecurityPolicyMiddleware",
    "essor.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "essor.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "essor.middleware.RequireStaffTwoFactorMiddleware",
    "essor.middleware.DependencyOutageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "essor.page_cache.PublicPageCacheMiddleware",
]

# Anonymous visitors' public pages are kept this many seconds at most (essor/page_cache.py):
# what changes with time alone, a call's time left, is at most this late. 0 keeps none.
ESSOR_PAGE_CACHE_SECONDS = env.int("ESSOR_PAGE_CACHE_SECONDS", default=300)

ROOT_URLCONF = "essor.urls"
WSGI_APPLICATION = "essor.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded run uses SQLite; production and CI set DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'essor.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker processes share the file: wait for locks rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Every Redis client (cache, broker, health check) gives up connecting, and the cache and the
# health check waiting for an answer, after this many seconds: a hung Redis never holds a request
# for long.
ESSOR_REDIS_TIMEOUT = 1
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers a miss while Redis is down or hung, instead of raising (essor/cache.py).
            "BACKEND": "essor.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": ESSOR_REDIS_TIMEOUT,
                "socket_timeout": ESSOR_REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database whatever the cache: a Redis outage must not log everybody out.
# Not cached_db: it would still wait on a hung Redis at every request, and a logout during an
# outage would leave the old session in Redis, to be read again once Redis is back.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accelerator.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, loading the person with their unread notifications (essor/auth.py).
    "essor.auth.ModelBackend",
    "essor.auth.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accelerator:landing"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail is the identifier, verified before the first log-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Essor] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "essor.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accelerator.forms.structures.SignupForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Essor"
# Programme staff must turn on TOTP before they can work when this is set.
ESSOR_REQUIRE_STAFF_MFA = env.bool("ESSOR_REQUIRE_STAFF_MFA", default=False)

# Rate limits (docs/security.md). allauth's defaults cover log-in, failed log-ins, sign-up,
# password reset and the confirmation e-mail; accelerator/views/ratelimits.py limits the other
# actions that send e-mail, as (per account, per client address).
ESSOR_RATE_LIMITS = {
    "structure_invitation": ("20/h", "60/h"),
    "jury_invitation": ("100/h", "200/h"),
    "join_request": ("10/h", "30/h"),
}
# A Redis outage lets actions through rather than refusing every one of them to everybody.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "accelerator.views.ratelimits.client_ip"
# How many reverse proxies in front of Essor append the client's address to X-Forwarded-For
# (1 behind the documented HTTPS proxy). 0: count REMOTE_ADDR and ignore the header, which a
# client can forge when nothing in front of Essor rewrites it.
ESSOR_TRUSTED_PROXY_COUNT = env.int("ESSOR_TRUSTED_PROXY_COUNT", default=0)
# allauth reads the address through AccountAdapter.get_client_ip (accelerator/views/ratelimits.py);
# its own reading of the header, should any part of it use that, agrees. No
# ALLAUTH_TRUSTED_CLIENT_IP_HEADER: the documented proxy appends to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = ESSOR_TRUSTED_PROXY_COUNT

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# The public site's pages are translated in the Wagtail admin (wagtail-localize); each language
# has its URLs (French at /, English under /en/: essor/urls.py), and a page not translated yet is
# shown in French under the English address, with the interface in English.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
if STATIC_ROOT.is_relative_to(VAR_DIR):
    # whitenoise warns about a missing folder until the first collectstatic.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Dossier attachments live outside MEDIA_ROOT and are served only through a permission check.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("ESSOR_PLAIN_STATIC", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
ESSOR_MAX_UPLOAD_MB = env.int("ESSOR_MAX_UPLOAD_MB", default=10)
# Shown in every e-mail (header and footer); a template may pass its own `programme_name`.
ESSOR_PROGRAMME_NAME = env.str("ESSOR_PROGRAMME_NAME", default="Essor")
# Offered on the error pages as the way to reach the programme team; no link when empty.
ESSOR_CONTACT_EMAIL = env.str("ESSOR_CONTACT_EMAIL", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail goes through the outbox (workers); the transport is chosen here.
# The embedded run (DEBUG, no mail server) prints each e-mail readably; else Django's raw console.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="workers.mail_console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
ANYMAIL = {k[len("ANYMAIL_") :]: v for k, v in env.ENVIRON.items() if k.startswith("ANYMAIL_")}
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Essor <noreply@essor.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Each call to the mail server (connecting, each SMTP command, an API request) gives up after this
# many seconds, far below the delivery task's time limit and the outbox's claim (workers/outbox.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
ANYMAIL.setdefault("REQUESTS_TIMEOUT", EMAIL_TIMEOUT)
# A message claimed for longer than this belonged to a worker that died: the flush sends it again.
ESSOR_OUTBOX_CLAIM_SECONDS = env.int("ESSOR_OUTBOX_CLAIM_SECONDS", default=120)

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport (no server needed).
CELERY_BROKER_DIR = VAR_DIR / "broker"
# Publishing fails fast when Redis is down or hung (a request must not hang on it): the message
# stays in the outbox and beat's flush sends it. One attempt, no retry: against a hung Redis each
# retry would cost another socket timeout. Workers reconnect on their own.
ESSOR_REDIS_BROKER_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 0,
    "socket_connect_timeout": ESSOR_REDIS_TIMEOUT,
    # Above kombu's 1 s BRPOP timeout, or a waiting worker would time out.
    "socket_timeout": 2,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = ESSOR_REDIS_BROKER_OPTIONS
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables (the worker's control channel) too, or kombu writes ./control/.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # Seconds between two looks at the folder when it is empty.
        "polling_interval": 0.25,
    }
    # The web process may publish before the worker has started: the folders must exist.
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
# Results: nothing waits on a task's result, so none is stored; where one is asked for (a debugging
# session), it lives a day in Redis.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_IGNORE_RESULT = True
# Every schedule, crontab and countdown is read in Paris time, summer and winter alike.
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Eager: tasks run inline in the caller's process (tests, or a one-process debugging session).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged once done, and handed back to the queue when its worker dies: with Redis
# it comes back after the visibility timeout (an hour, above every task's time limit). Tasks are
# written to run twice harmlessly (claims, unique keys), which acks_late requires.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Defaults for tasks that set none; deliveries and scans set their own (workers/tasks.py).
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Mail apart from scans: a flood of reminders never holds a receipt back, a hung mail server never
# delays a scan. The worker reads every queue (`-Q default,mail,scans`, in docker-compose.yml and
# scripts/run.py); a busy programme runs one worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "workers.tasks.deliver_message": {"queue": "mail"},
    "workers.tasks.deliver_messages": {"queue": "mail"},
    "workers.tasks.flush_outbox": {"queue": "mail"},
    "workers.tasks.scan_reminders": {"queue": "scans"},
    "workers.tasks.send_digests": {"queue": "scans"},
}
# Beat reads its schedule from the database (django-celery-beat): staff see in the admin when
# each scan runs and may change it. The entries are created by workers' migrations, never from
# settings, so that a restart does not undo what staff changed.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

WAGTAIL_SITE_NAME = "Essor"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# The admin calls no third-party host from staff browsers (the Content-Security-Policy allows
# none): no Gravatar, which would send a hash of each staff e-mail address abroad, and no update
# check; Wagtail's releases are followed through the lock files.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Dates in Wagtail's own date fields (go-live, expiry, timeline steps) read and typed the French
# way, 13/12/2026 17:00; the call's opening and closing have their own Paris-time field
# (applications/forms/dates.py). English input formats read day first too
# (essor/formats/en/formats.py): Django's English would read 02/04/2030 as 4 February.
FORMAT_MODULE_PATH = ["essor.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# Page addresses in plain ASCII, made from the title: “Appel à projets été” → appel-a-projets-ete.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Security: strict in production, relaxed only when DEBUG is asked for.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool(
    "SECURE_SSL_REDIRECT", default=not DEBUG and SITE_URL.startswith("https")
)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=31536000 if SITE_URL.startswith("https") else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The health check is asked over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# An expired form gets a page in the site's layout that says how to recover what was typed.
CSRF_FAILURE_VIEW = "essor.errors.csrf_failure"
# Content-Security-Policy (django-csp): every script and stylesheet is a file of the site, so no
# inline code runs even if some text slips through escaping.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # Wagtail's page preview shows the site in a frame of the admin, on the same origin.
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail's admin still writes inline scripts (inline panels, date pickers, choosers) and inline
# styles without a nonce: under its own path only, the middleware lets those run.
ESSOR_CSP_WAGTAIL_ADMIN_PREFIX = "/admin/"
ESSOR_CSP_WAGTAIL_ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}
# Powerful browser features the site never uses, turned off for it and for any frame it shows.
ESSOR_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's page preview shows the site in a frame of the admin: same origin, not DENY.
    "security.W019",
    # Joining the browsers' HSTS preload list binds the whole domain and its subdomains for
    # months: the domain's owner opts in with SECURE_HSTS_PRELOAD=true.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
