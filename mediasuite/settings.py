"""MediaSuite settings: every value comes from the environment or an optional `.env`.

The defaults run with nothing configured: SQLite in the data directory,
django-q2 on its ORM broker, a secret key generated once and kept beside the
database. See the settings table in README.md.

The integrations (Sonarr, TMDB, rTorrent, ...) are set in Settings →
Connections; what is read here for them is the environment's value only,
empty when unset, which wins over the saved one: the code reads them
through mediasuite.config.get(), never from here.
"""

import contextlib
import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DATA_DIR = Path(env.str("MEDIASUITE_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
LOG_DIR = DATA_DIR / "logs"
UNITS_DIR = DATA_DIR / "units"
for _folder in (DATA_DIR, LOG_DIR, UNITS_DIR):
    with contextlib.suppress(OSError):  # reported, with its fix, by the check mediasuite.E001
        _folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private to the service user


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, else the one kept in the data dir.

    The key is generated on first use and written with mode 0600, so every
    process of one installation (web, worker, supervisor) signs alike and no
    key ever lives in the code.
    """
    given = env.str("SECRET_KEY", default="")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot keep the secret key in {path}: {exc.strerror}. Point MEDIASUITE_DATA_DIR "
            "at a writable folder, or set SECRET_KEY."
        ) from exc
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
# Derives the key that encrypts the secrets saved in Settings → Connections (mediasuite/vault.py);
# empty: a key generated once into <data dir>/settings_key. Give every node of an installation the same.
SETTINGS_KEY = env.str("MEDIASUITE_SETTINGS_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses or networks of the reverse proxies whose X-Forwarded-For/-Proto are believed (runweb).
TRUSTED_PROXIES = env.list("MEDIASUITE_TRUSTED_PROXIES", default=[])
# Sign-ins (API token, site, admin): this many failed passwords within the window, per account or per
# address, and every attempt is refused until the window passes (mediasuite/logins.py).
LOGIN_FAILURE_LIMIT = env.int("MEDIASUITE_LOGIN_FAILURE_LIMIT", default=10)
LOGIN_FAILURE_WINDOW = env.float("MEDIASUITE_LOGIN_FAILURE_WINDOW", default=60.0)
# How often an open stream (MJPEG preview, channel stream, WebSocket) re-checks that its viewer may still
# watch (mediasuite/access.py): a revocation reaches it within about this many seconds.
ACCESS_RECHECK_SECONDS = env.float("MEDIASUITE_ACCESS_RECHECK_SECONDS", default=1.5)
# Served over HTTPS (a TLS proxy in front): secure cookies, HSTS, HTTP redirected to HTTPS.
HTTPS = env.bool("MEDIASUITE_HTTPS", default=False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("MEDIASUITE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining the browsers' HSTS preload list is the domain owner's choice, made outside MediaSuite.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
HOST = env.str("MEDIASUITE_HOST", default="127.0.0.1")
PORT = env.int("MEDIASUITE_PORT", default=8000)
ADMIN_USER = env.str("MEDIASUITE_ADMIN_USER", default="admin")
ADMIN_PASSWORD = env.str("MEDIASUITE_ADMIN_PASSWORD", default="")
NODE_NAME = env.str("MEDIASUITE_NODE_NAME", default=os.uname().nodename)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "channels",
    "mediasuite.apps.MediaSuiteConfig",
    "channels_app.apps.ChannelsAppConfig",
    "recorder.apps.RecorderConfig",
    "seedbox.apps.SeedboxConfig",
    "trailers.apps.TrailersConfig",
    "library.apps.LibraryConfig",
]

MIDDLEWARE = [
    "mediasuite.metrics.CountRequests",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mediasuite.urls"
ASGI_APPLICATION = "mediasuite.asgi.application"
WSGI_APPLICATION = None

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
                "mediasuite.context_processors.navigation",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "db.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one process writes; IMMEDIATE takes the
    # write lock at BEGIN so two processes wait on busy_timeout instead of
    # failing with "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
    with contextlib.suppress(OSError):  # it holds password hashes and tokens: 0600 (-wal and -shm follow)
        os.close(os.open(SQLITE_PATH, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(SQLITE_PATH, 0o600)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

Q_CLUSTER = {
    "name": "mediasuite",
    "workers": env.int("MEDIASUITE_WORKERS", default=2),
    "timeout": 600,
    "retry": 660,
    "max_attempts": 1,
    "catch_up": False,
    "ack_failures": True,
    "label": "Background jobs",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "mediasuite.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
if DATA_DIR.is_dir():
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mediasuite.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mediasuite.api.schema.MediaSuiteSchema",
    "EXCEPTION_HANDLER": "mediasuite.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["mediasuite.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MediaSuite API",
    "DESCRIPTION": "IPTV channels, court recording, seedbox imports, trailers and the "
    "services behind them. Authenticate with `Authorization: Token <key>` "
    "(see POST /api/auth/token) or a browser session.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"TrailerStatusEnum": "trailers.models.Status",
                            "LibraryActionEnum": "library.models.Action"},
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
PROCESS_LABEL = env.str("MEDIASUITE_PROCESS", default="manage")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": f"{PROCESS_LABEL:<10} | %(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# A watched folder (data, recordings, staging, library ...) with less free space than this is in the
# health list (mediasuite/health/core.py).
DISK_LOW_MB = env.int("MEDIASUITE_DISK_LOW_MB", default=1024)
# GET /metrics (Prometheus): a bearer token Prometheus sends, or open to anyone who reaches the port.
METRICS_TOKEN = env.str("MEDIASUITE_METRICS_TOKEN", default="")
METRICS_OPEN = env.bool("MEDIASUITE_METRICS_OPEN", default=False)
# How long a supervisor heartbeat stays fresh for /api/health.
SUPERVISOR_HEARTBEAT_TTL = env.int("MEDIASUITE_SUPERVISOR_HEARTBEAT_TTL", default=15)

# Supervisor
# Seconds between two passes of the reconcile loop of `manage.py supervise`.
SUPERVISOR_TICK = env.float("MEDIASUITE_SUPERVISOR_TICK", default=0.5)
# A unit lease whose heartbeat is older than this is taken over by another node.
SUPERVISOR_LEASE_TTL = env.float("MEDIASUITE_LEASE_TTL", default=10.0)
# Backoff after an unexpected exit: base doubling up to cap, with jitter.
SUPERVISOR_BACKOFF_BASE = env.float("MEDIASUITE_BACKOFF_BASE", default=1.0)
SUPERVISOR_BACKOFF_CAP = env.float("MEDIASUITE_BACKOFF_CAP", default=60.0)
# `failed` after this many failures within the window (seconds); retries go on at the cap.
SUPERVISOR_FAILURE_LIMIT = env.int("MEDIASUITE_FAILURE_LIMIT", default=5)
SUPERVISOR_FAILURE_WINDOW = env.float("MEDIASUITE_FAILURE_WINDOW", default=600.0)
# A unit alive this long after spawn counts as running; alive this long in a row forgets its failures.
SUPERVISOR_START_SECONDS = env.float("MEDIASUITE_START_SECONDS", default=1.0)
SUPERVISOR_HEALTHY_AFTER = env.float("MEDIASUITE_HEALTHY_AFTER", default=60.0)
# Clean stop: SIGINT to the unit's process group, then SIGKILL after this many seconds.
SUPERVISOR_STOP_TIMEOUT = env.float("MEDIASUITE_STOP_TIMEOUT", default=10.0)
# Seconds between two sweeps for processes left by this installation's dead supervisors.
SUPERVISOR_SWEEP_EVERY = env.float("MEDIASUITE_SWEEP_EVERY", default=10.0)
UNIT_LOG_DIR = LOG_DIR / "units"
with contextlib.suppress(OSError):  # reported by the check mediasuite.E001
    UNIT_LOG_DIR.mkdir(parents=True, exist_ok=True)

def _secret(name: str) -> str:
    """A secret from `<name>`, or read from the file named by `<name>_FILE` (Docker/systemd secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path}: cannot read it ({exc.strerror}).") from exc
    return env.str(name, default="")


# Background services
# Last.fm, read by the built-in `tracker` service (https://www.last.fm/api): a connection.
LASTFM_API_KEY = _secret("LASTFM_API_KEY")
LASTFM_USER = env.str("LASTFM_USER", default="")
LASTFM_API_URL = env.str("LASTFM_API_URL", default="")
# The smallest interval (seconds) a periodic service may be given through the API or admin.
SERVICES_MIN_INTERVAL = env.int("MEDIASUITE_SERVICES_MIN_INTERVAL", default=10)
# Maintenance jobs of the `scheduler` service; 0 keeps everything.
TASK_RESULT_RETENTION_DAYS = env.int("MEDIASUITE_TASK_RESULT_RETENTION_DAYS", default=30)
EVENT_RETENTION_DAYS = env.int("MEDIASUITE_EVENT_RETENTION_DAYS", default=365)

# Live events
# How often each web process polls the event table (PostgreSQL also wakes it by NOTIFY).
LIVE_POLL_INTERVAL = env.float("MEDIASUITE_LIVE_POLL_INTERVAL", default=0.1)
# How long the follower waits for an event id that is taken but not yet committed.
LIVE_HOLE_TIMEOUT = env.float("MEDIASUITE_LIVE_HOLE_TIMEOUT", default=10.0)

# Channels
# Each subfolder of CHANNELS_DIR holding videos is a channel; HLS output goes to HLS_DIR/<channel>/.
CHANNELS_DIR = Path(env.str("MEDIASUITE_CHANNELS_DIR", default=str(DATA_DIR / "channels"))).resolve()
HLS_DIR = Path(env.str("MEDIASUITE_HLS_DIR", default=str(DATA_DIR / "hls"))).resolve()
# Target HLS segment length (seconds; cut at the next key frame in copy mode) and live window (segments).
CHANNELS_SEGMENT_SECONDS = env.float("MEDIASUITE_CHANNELS_SEGMENT_SECONDS", default=2.0)
CHANNELS_WINDOW = env.int("MEDIASUITE_CHANNELS_WINDOW", default=6)
# Random mode never replays one of the last N files (bounded by the folder's size).
CHANNELS_NO_REPEAT = env.int("MEDIASUITE_CHANNELS_NO_REPEAT", default=3)
# Seconds between two scans of CHANNELS_DIR by the `channels` background service.
CHANNELS_SCAN_INTERVAL = env.int("MEDIASUITE_CHANNELS_SCAN_INTERVAL", default=300)
# True: playlist, guide and streams answer without an access token (trusted LAN only).
CHANNELS_OPEN_ACCESS = env.bool("MEDIASUITE_CHANNELS_OPEN_ACCESS", default=False)
# The address players use to reach this server in playlist URLs; empty = taken from the request.
CHANNELS_PUBLIC_URL = env.str("MEDIASUITE_CHANNELS_PUBLIC_URL", default="")
# Uploaded and generated channel logos (PNG).
CHANNELS_LOGO_DIR = Path(env.str("MEDIASUITE_CHANNELS_LOGO_DIR", default=str(DATA_DIR / "logos"))).resolve()
# The HDHomeRun tuner (Settings → Connections → HDHomeRun tuner): its name and its number of tuners, which
# is also how many tuner streams may play at once (one more is refused as a real tuner refuses it).
CHANNELS_TUNER_NAME = env.str("MEDIASUITE_CHANNELS_TUNER_NAME", default="")
CHANNELS_TUNER_COUNT = env.str("MEDIASUITE_CHANNELS_TUNER_COUNT", default="")
# True: answer SSDP searches (UDP 1900) on the LAN so that Plex and Jellyfin find the tuner by themselves.
CHANNELS_TUNER_SSDP = env.bool("MEDIASUITE_CHANNELS_TUNER_SSDP", default=False)

# System update
# Restart the service after an update (False: update the code only and say so; restart it yourself).
AUTO_RESTART_SERVICE = env.bool("AUTO_RESTART_SERVICE", default=True)
# Restart methods, tried in this order until one works: systemd, initd, supervisor, exit.
UPDATE_RESTART_METHODS = env.list("MEDIASUITE_RESTART_METHODS", default=["systemd", "initd", "supervisor",
                                                                           "exit"])
UPDATE_SYSTEMD_UNIT = env.str("MEDIASUITE_SYSTEMD_UNIT", default="mediasuite.target")
UPDATE_INITD_SERVICE = env.str("MEDIASUITE_INITD_SERVICE", default="mediasuite")
UPDATE_SUPERVISOR_PROGRAM = env.str("MEDIASUITE_SUPERVISOR_PROGRAM", default="mediasuite:*")
# The exit fallback: processes asked to restart exit with this code, which their runner answers.
RESTART_EXIT_CODE = env.int("MEDIASUITE_RESTART_EXIT_CODE", default=75)
# Where the updater checks that the new version answers, and for how long (seconds).
_health_host = "127.0.0.1" if HOST in ("0.0.0.0", "::", "") else HOST
UPDATE_HEALTH_URL = env.str("MEDIASUITE_HEALTH_URL", default=f"http://{_health_host}:{PORT}/api/health")
UPDATE_VERIFY_TIMEOUT = env.float("MEDIASUITE_UPDATE_VERIFY_TIMEOUT", default=120.0)
# Configuration files (relative to the checkout) saved before and restored after the update.
UPDATE_CONFIG_FILES = env.list("MEDIASUITE_UPDATE_CONFIG_FILES", default=[".env"])
# An unfinished update job silent for this long (s) no longer blocks a new one.
UPDATE_STALE_AFTER = env.float("MEDIASUITE_UPDATE_STALE_AFTER", default=900.0)

# Discord notifier
# A Discord webhook URL (Server Settings > Integrations > Webhooks): a connection.
DISCORD_WEBHOOK_URL = _secret("DISCORD_WEBHOOK_URL")
# Event kinds posted: `kind`, `kind*` (a prefix) or `kind:state` (the payload's state, e.g. a failed unit).
NOTIFIER_EVENTS = env.list("MEDIASUITE_NOTIFIER_EVENTS", default=[
    "unit.state:failed", "recording.finished", "import.done", "import.blocked",
    "update.done", "update.rolled_back", "update.failed"])

# The ffmpeg and ffprobe that every part runs (channels, probes, clips, recordings, camera proxies,
# checks, health): a name looked up on PATH, or a path.
FFMPEG = env.str("MEDIASUITE_FFMPEG", default="ffmpeg")
FFPROBE = env.str("MEDIASUITE_FFPROBE", default="ffprobe")

# Recorder
# Where recordings go: <root>/<club id>/<session id>.mp4, with <session id>.ffmpeg.log beside it.
RECORDER_ROOT = Path(env.str("MEDIASUITE_RECORDINGS_DIR", default=str(DATA_DIR / "recordings"))).resolve()
# At most this many recordings at once (a start beyond answers 409).
MAX_CONCURRENT_RECORDINGS = env.int("MAX_CONCURRENT_RECORDINGS", default=10)
RECORDER_DEFAULT_MINUTES = env.int("MEDIASUITE_RECORDER_DEFAULT_MINUTES", default=90)
RECORDER_MAX_MINUTES = env.int("MEDIASUITE_RECORDER_MAX_MINUTES", default=300)
# ffmpeg's input I/O timeout (s); kept below the 10 s stop wait so a stalled input cannot block a stop.
RECORDER_INPUT_TIMEOUT = env.float("MEDIASUITE_RECORDER_INPUT_TIMEOUT", default=8.0)
# record/stop answers once the MP4 is made (or failed): at most this long (s), the supervisor's
# SIGINT-then-SIGKILL wait plus the final re-mux; beyond it the answer is 202 (still finalizing).
RECORDER_STOP_WAIT = env.float("MEDIASUITE_RECORDER_STOP_WAIT", default=SUPERVISOR_STOP_TIMEOUT + 15.0)
# A highlight clip covers this many seconds before and after the marked moment.
RECORDER_HIGHLIGHT_BEFORE = env.float("MEDIASUITE_RECORDER_HIGHLIGHT_BEFORE", default=10.0)
RECORDER_HIGHLIGHT_AFTER = env.float("MEDIASUITE_RECORDER_HIGHLIGHT_AFTER", default=5.0)
RECORDER_SESSION_IDLE_HOURS = env.float("MEDIASUITE_RECORDER_SESSION_IDLE_HOURS", default=2.0)
# Lifetime of the signed preview/snapshot URLs used by <img> and <video> tags.
RECORDER_PREVIEW_TOKEN_SECONDS = env.int("MEDIASUITE_RECORDER_PREVIEW_TOKEN_SECONDS", default=300)
# Cleanup: per club, recordings older than this many days (0 keeps all) and beyond this quota (GB, 0 none).
RECORDER_RETENTION_DAYS = env.int("MEDIASUITE_RECORDER_RETENTION_DAYS", default=0)
RECORDER_CLUB_QUOTA_GB = env.float("MEDIASUITE_RECORDER_CLUB_QUOTA_GB", default=0.0)
# Port of the demo court's synthetic camera (a supervised unit created by `manage.py bootstrap`);
# derived from the web port so that two installations on one machine do not collide.
RECORDER_DEMO_CAMERA_PORT = env.int("MEDIASUITE_RECORDER_DEMO_CAMERA_PORT", default=PORT + 89)
with contextlib.suppress(OSError):  # reported by the check mediasuite.E001
    RECORDER_ROOT.mkdir(parents=True, exist_ok=True)

# Seedbox
# Connections (rTorrent, SFTP; their fields are described in Settings → Connections, seedbox/connections.py).
SEEDBOX_RTORRENT_URL = _secret("SEEDBOX_RTORRENT_URL")
SEEDBOX_LABEL = env.str("SEEDBOX_LABEL", default="")
SEEDBOX_SFTP_HOST = env.str("SEEDBOX_SFTP_HOST", default="")
SEEDBOX_SFTP_PORT = env.str("SEEDBOX_SFTP_PORT", default="")
SEEDBOX_SFTP_USER = env.str("SEEDBOX_SFTP_USER", default="")
SEEDBOX_SFTP_KEY = _secret("SEEDBOX_SFTP_KEY")
SEEDBOX_SFTP_KEY_FILE = env.str("SEEDBOX_SFTP_KEY_FILE", default="")
SEEDBOX_SFTP_PASSWORD = _secret("SEEDBOX_SFTP_PASSWORD")
SEEDBOX_SFTP_KNOWN_HOSTS = env.str("SEEDBOX_SFTP_KNOWN_HOSTS", default="")
SEEDBOX_REMOTE_ROOT = env.str("SEEDBOX_REMOTE_ROOT", default="")
SEEDBOX_STAGING_DIR = env.str("SEEDBOX_STAGING_DIR", default=str(DATA_DIR / "staging"))
# The staging dir as Sonarr/Radarr see it (another machine or container); empty: the same path.
SEEDBOX_ARR_STAGING_DIR = env.str("SEEDBOX_ARR_STAGING_DIR", default="")
SEEDBOX_TRANSFER_PARALLEL = env.int("SEEDBOX_TRANSFER_PARALLEL", default=2)
# A file this big is pulled in SEEDBOX_TRANSFER_PARALLEL ranges, one SSH connection each (0: never).
SEEDBOX_SPLIT_MIN = env.int("SEEDBOX_SPLIT_MIN", default=0)
SEEDBOX_BANDWIDTH_LIMIT = env.int("SEEDBOX_BANDWIDTH_LIMIT", default=0)  # bytes/s for one transfer, 0: none
SEEDBOX_CLAIM_TTL = env.int("SEEDBOX_CLAIM_TTL", default=120)  # a step silent this long may be taken over
SEEDBOX_MAX_ATTEMPTS = env.int("SEEDBOX_MAX_ATTEMPTS", default=5)
SEEDBOX_RETRY_BASE = env.int("SEEDBOX_RETRY_BASE", default=60)
SEEDBOX_SEED_RATIO = env.float("SEEDBOX_SEED_RATIO", default=1.0)
SEEDBOX_SEED_TIME = env.int("SEEDBOX_SEED_TIME", default=3 * 86400)
SEEDBOX_IMPORT_TIMEOUT = env.int("SEEDBOX_IMPORT_TIMEOUT", default=600)
SEEDBOX_BATCH_THROTTLE = env.float("SEEDBOX_BATCH_THROTTLE", default=1.0)
# Connections: Sonarr, Radarr, Plex, TMDB, TVDB, the Torznab indexer.
SONARR_URL = env.str("SONARR_URL", default="")
SONARR_API_KEY = _secret("SONARR_API_KEY")
RADARR_URL = env.str("RADARR_URL", default="")
RADARR_API_KEY = _secret("RADARR_API_KEY")
# Defaults of the "add to Sonarr/Radarr" dialog: a root folder path, a quality profile name
# (empty: the first each lists).
SONARR_ROOT_FOLDER = env.str("SONARR_ROOT_FOLDER", default="")
SONARR_QUALITY_PROFILE = env.str("SONARR_QUALITY_PROFILE", default="")
RADARR_ROOT_FOLDER = env.str("RADARR_ROOT_FOLDER", default="")
RADARR_QUALITY_PROFILE = env.str("RADARR_QUALITY_PROFILE", default="")
# Seconds a series action (search, rename ...) waits for Sonarr to finish its command.
ARR_COMMAND_TIMEOUT = env.int("ARR_COMMAND_TIMEOUT", default=60)
PLEX_URL = env.str("PLEX_URL", default="")
PLEX_TOKEN = _secret("PLEX_TOKEN")
PLEX_TIMEOUT = env.float("PLEX_TIMEOUT", default=15.0)  # seconds for any one call to Plex or plex.tv
PLEX_LIBRARIES_TO_IGNORE = env.list("PLEX_LIBRARIES_TO_IGNORE", default=[])  # section titles never listed
# Where plex.tv answers (the owner's home and managed users, their tokens); the tests point it at a fake.
PLEX_TV_URL = env.str("PLEX_TV_URL", default="https://plex.tv")
# Library actions (archive, reject, delete) only report what they would delete.
LIBRARY_DRY_RUN = env.bool("LIBRARY_DRY_RUN", default=False)
TMDB_API_URL = env.str("TMDB_API_URL", default="")
TMDB_API_KEY = _secret("TMDB_API_KEY")
TVDB_API_URL = env.str("TVDB_API_URL", default="")
TVDB_API_KEY = _secret("TVDB_API_KEY")
# TVDB's three-letter code of the language of series names and overviews (fallback: the original one).
TVDB_LANGUAGE = env.str("TVDB_LANGUAGE", default="eng")
TORZNAB_URL = env.str("TORZNAB_URL", default="")
TORZNAB_API_KEY = _secret("TORZNAB_API_KEY")

# Trailers
# Connection: YouTube.
YOUTUBE_API_URL = env.str("YOUTUBE_API_URL", default="")
YOUTUBE_API_KEY = _secret("YOUTUBE_API_KEY")
TRAILERS_CACHE_TTL = env.int("TRAILERS_CACHE_TTL", default=7 * 86400)  # seconds candidates stay fresh
TRAILERS_YOUTUBE_RESULTS = env.int("TRAILERS_YOUTUBE_RESULTS", default=8)
TRAILERS_LANGUAGE = env.str("TRAILERS_LANGUAGE", default="")  # ISO 639-1, e.g. fr: preferred trailer language
TRAILERS_MAX_DURATION = env.int("TRAILERS_MAX_DURATION", default=600)  # s; longer videos are no trailers
TRAILERS_REFRESH_SPACING = env.float("TRAILERS_REFRESH_SPACING", default=2.0)  # s between media, bulk refresh
# Download the locked trailer next to the media (Plex: "<Movie> (<Year>)-trailer.<ext>") with yt-dlp.
TRAILERS_DOWNLOAD = env.bool("TRAILERS_DOWNLOAD", default=False)
TRAILERS_MOVIES_ROOT = env.str("TRAILERS_MOVIES_ROOT", default="")
TRAILERS_SERIES_ROOT = env.str("TRAILERS_SERIES_ROOT", default="")
TRAILERS_DOWNLOAD_FORMAT = env.str("TRAILERS_DOWNLOAD_FORMAT", default="best[ext=mp4]/best")
