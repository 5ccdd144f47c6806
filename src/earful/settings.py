"""Django settings, configured by EARFUL_* environment variables (see README)."""

import contextlib
import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("EARFUL_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = os.environ.get("EARFUL_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("EARFUL_SECRET_KEY", "")
if not SECRET_KEY:
    # A random key per data directory, so a fresh install is safe without configuration.
    key_file = DATA_DIR / "secret_key"
    try:
        SECRET_KEY = key_file.read_text().strip()
    except FileNotFoundError:
        import secrets

        SECRET_KEY = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(SECRET_KEY)
            key_file.chmod(0o600)
        except OSError:
            pass

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("EARFUL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("EARFUL_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",  # serves the API docs' Swagger UI from the installed package, not a CDN
    "django_tasks",
    "django_tasks_db",
    "earful.accounts",
    "earful.river",
    "earful.inbox",
    "earful.blog",
    "earful.board",
    "earful.community",
    "earful.events",
]

MIDDLEWARE = [
    "earful.proxies.ForwardedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "earful.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console-start"
LOGOUT_REDIRECT_URL = "login"
# A push of 1,000 mentions can be several megabytes; bigger bodies get a JSON 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
WSGI_APPLICATION = "earful.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earful.blog.context.blog",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("EARFUL_DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'earful.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
                "PRAGMA wal_autocheckpoint=10000;"
            ),
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("EARFUL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "earful.web.vendor_static.VendorFinder",
]
# Serve straight from the installed packages when collectstatic has not run (tests, dev).
WHITENOISE_USE_FINDERS = True
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("EARFUL_LOG_LEVEL", "WARNING")},
}

# Mail (alerts): SMTP when EARFUL_SMTP_HOST is set, otherwise printed by the process.
EMAIL_HOST = os.environ.get("EARFUL_SMTP_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EARFUL_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EARFUL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EARFUL_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EARFUL_SMTP_TLS", "1") == "1"
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("EARFUL_FROM_EMAIL", "earful@localhost")

# The inbox takes in every mention whose author has at least this many followers.
EARFUL_INBOX_MIN_REACH = int(os.environ.get("EARFUL_INBOX_MIN_REACH", "10000"))

# Reverse proxies whose X-Forwarded-For is believed (earful.proxies), as addresses or CIDRs.
EARFUL_TRUSTED_PROXIES = [
    n.strip() for n in os.environ.get("EARFUL_TRUSTED_PROXIES", "").split(",") if n.strip()
]

# Outbound HTTP (earful.web): networks that may be reached although they are private.
EARFUL_ALLOW_NETWORKS = [
    n.strip() for n in os.environ.get("EARFUL_ALLOW_NETWORKS", "").split(",") if n.strip()
]
EARFUL_HTTP_TIMEOUT = float(os.environ.get("EARFUL_HTTP_TIMEOUT", "15"))
EARFUL_HTTP_MAX_BYTES = int(os.environ.get("EARFUL_HTTP_MAX_BYTES", str(10 * 1024 * 1024)))

# The river's pipeline: an ordered list of component names (see earful.river.pipeline).
EARFUL_PIPELINE = [
    name.strip()
    for name in os.environ.get(
        "EARFUL_PIPELINE",
        "normalise,exact_dedupe,near_duplicates,language,sentiment,topics,spam,questions",
    ).split(",")
    if name.strip()
]
EARFUL_SENTIMENT_ENGINE = os.environ.get("EARFUL_SENTIMENT_ENGINE", "linear")
# The installation's correction of the sentiment models, learnt from people's labels by
# `earful sentiment learn` (and by the worker weekly when EARFUL_SENTIMENT_LEARN_WEEKLY=1).
EARFUL_SENTIMENT_ADJUSTMENT = Path(
    os.environ.get("EARFUL_SENTIMENT_ADJUSTMENT", DATA_DIR / "sentiment-adjustment.npz")
)
EARFUL_SENTIMENT_LEARN_WEEKLY = os.environ.get("EARFUL_SENTIMENT_LEARN_WEEKLY", "") == "1"
# Link domains that mark a mention as spam (comma-separated), on top of the built-in rules.
EARFUL_SPAM_DOMAINS = [
    d.strip().lower() for d in os.environ.get("EARFUL_SPAM_DOMAINS", "").split(",") if d.strip()
]

# The blog: comments close this many days after a post is published (0: never), unless the
# post says otherwise.
EARFUL_BLOG_COMMENTS_CLOSE_DAYS = int(os.environ.get("EARFUL_BLOG_COMMENTS_CLOSE_DAYS", "30"))
# Comments may be edited by their writer for this many minutes.
EARFUL_BLOG_EDIT_MINUTES = 15
# The blog's public name, used in feeds and Open Graph tags.
EARFUL_BLOG_TITLE = os.environ.get("EARFUL_BLOG_TITLE", "The Earful blog")
# The site's public address (scheme and host) for absolute links in feeds, linkbacks and
# notifications sent from the worker, where there is no request to read it from.
EARFUL_SITE_URL = os.environ.get("EARFUL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Received linkbacks allowed per source host: "<count>/<unit>", unit s, m, h or d.
EARFUL_BLOG_LINKBACK_RATE = os.environ.get("EARFUL_BLOG_LINKBACK_RATE", "20/h")
# Comments allowed per IP address (staff excepted), the same way.
EARFUL_BLOG_COMMENT_RATE = os.environ.get("EARFUL_BLOG_COMMENT_RATE", "5/m")

# The community: most points a member can earn in a day from votes (accepted answers,
# official answers and ambassador reports are not capped). Points per event and the levels
# are edited in the admin (community.PointRule, community.Level).
EARFUL_COMMUNITY_DAILY_CAP = int(os.environ.get("EARFUL_COMMUNITY_DAILY_CAP", "200"))
# Flags from members allowed to flag-to-hide that hide a post until a moderator reviews it.
EARFUL_COMMUNITY_FLAGS_TO_HIDE = int(os.environ.get("EARFUL_COMMUNITY_FLAGS_TO_HIDE", "3"))

# Event tours: the map's tile server (any XYZ tile URL; the visitor's browser fetches the
# tiles, Earful never does) and its attribution, and an optional geocoder for staff typing
# addresses (a Nominatim-compatible search URL, fetched through earful.web; empty: type
# the coordinates by hand).
EARFUL_TILE_URL = os.environ.get(
    "EARFUL_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
EARFUL_TILE_ATTRIBUTION = os.environ.get(
    "EARFUL_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
EARFUL_GEOCODER_URL = os.environ.get("EARFUL_GEOCODER_URL", "")
# Stop feedback allowed per IP address: "<count>/<unit>" as for blog comments.
EARFUL_TOUR_FEEDBACK_RATE = os.environ.get("EARFUL_TOUR_FEEDBACK_RATE", "5/m")
