"""Every setting's default value, with Scrapy 2.19.0's names and values.

Component paths point at ascrapy's own modules (see docs/internals.md for the map from
Scrapy's paths). Settings that only mean something under Twisted keep their names and
defaults so that projects reading them keep working; ascrapy ignores them.

Settings.__init__ loads every upper-case name of this module at priority 'default', so
helpers here must not have upper-case names.
"""

import sys
from pathlib import Path
from typing import Any

from ascrapy.version import __version__

__all__ = [
    "ADDONS",
    "ASYNCIO_EVENT_LOOP",
    "AUTOTHROTTLE_DEBUG",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "AWS_ACCESS_KEY_ID",
    "AWS_ENDPOINT_URL",
    "AWS_MAX_POOL_CONNECTIONS",
    "AWS_REGION_NAME",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_USE_SSL",
    "AWS_VERIFY",
    "BATCH_RETRY_BACKOFF",
    "BATCH_RETRY_TIMES",
    "BATCH_WRITE_TIMEOUT",
    "BOT_NAME",
    "CLOSESPIDER_ERRORCOUNT",
    "CLOSESPIDER_ITEMCOUNT",
    "CLOSESPIDER_PAGECOUNT",
    "CLOSESPIDER_PAGECOUNT_NO_ITEM",
    "CLOSESPIDER_TIMEOUT",
    "CLOSESPIDER_TIMEOUT_NO_ITEM",
    "COMMANDS_MODULE",
    "COMPRESSION_ENABLED",
    "CONCURRENT_ITEMS",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "COOKIES_DEBUG",
    "COOKIES_ENABLED",
    "CRAWLSPIDER_FOLLOW_LINKS",
    "DEAD_LETTER_PATH",
    "DEFAULT_DROPITEM_LOG_LEVEL",
    "DEFAULT_ITEM_CLASS",
    "DEFAULT_REQUEST_HEADERS",
    "DEPTH_LIMIT",
    "DEPTH_PRIORITY",
    "DEPTH_STATS_VERBOSE",
    "DNSCACHE_ENABLED",
    "DNSCACHE_SIZE",
    "DNS_TIMEOUT",
    "DOWNLOADER",
    "DOWNLOADER_CLIENTCONTEXTFACTORY",
    "DOWNLOADER_CLIENT_TLS_CIPHERS",
    "DOWNLOADER_CLIENT_TLS_METHOD",
    "DOWNLOADER_CLIENT_TLS_VERBOSE_LOGGING",
    "DOWNLOADER_MIDDLEWARES",
    "DOWNLOADER_MIDDLEWARES_BASE",
    "DOWNLOADER_STATS",
    "DOWNLOAD_BIND_ADDRESS",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_DELAY_JITTER",
    "DOWNLOAD_FAIL_ON_DATALOSS",
    "DOWNLOAD_HANDLERS",
    "DOWNLOAD_HANDLERS_BASE",
    "DOWNLOAD_HEADER_MAXSIZE",
    "DOWNLOAD_MAXHEADERS",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_SLOTS",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_TLS_MAX_VERSION",
    "DOWNLOAD_TLS_MIN_VERSION",
    "DOWNLOAD_VERIFY_CERTIFICATES",
    "DOWNLOAD_WARNSIZE",
    "DUPEFILTER_BLOOM_CAPACITY",
    "DUPEFILTER_BLOOM_ERROR_RATE",
    "DUPEFILTER_CLASS",
    "DUPEFILTER_DEBUG",
    "EDITOR",
    "EXTENSIONS",
    "EXTENSIONS_BASE",
    "FEEDS",
    "FEED_EXPORTERS",
    "FEED_EXPORTERS_BASE",
    "FEED_EXPORT_BATCH_ITEM_COUNT",
    "FEED_EXPORT_DATETIME_FORMAT",
    "FEED_EXPORT_ENCODING",
    "FEED_EXPORT_FIELDS",
    "FEED_EXPORT_INDENT",
    "FEED_FORMAT",
    "FEED_STORAGES",
    "FEED_STORAGES_BASE",
    "FEED_STORAGE_FTP_ACTIVE",
    "FEED_STORAGE_GCS_ACL",
    "FEED_STORAGE_S3_ACL",
    "FEED_STORE_EMPTY",
    "FEED_TEMPDIR",
    "FEED_URI",
    "FEED_URI_PARAMS",
    "FEED_WRITE_BATCH_SIZE",
    "FEED_WRITE_BATCH_TIMEOUT",
    "FILES_STORE",
    "FILES_STORE_GCS_ACL",
    "FILES_STORE_S3_ACL",
    "FORCE_CRAWLER_PROCESS",
    "FTP_PASSIVE_MODE",
    "FTP_PASSWORD",
    "FTP_USER",
    "GCS_PROJECT_ID",
    "HTTP2_MAX_FRAME_SIZE",
    "HTTPAUTH_DOMAIN",
    "HTTPAUTH_PASS",
    "HTTPAUTH_USER",
    "HTTPCACHE_ALWAYS_STORE",
    "HTTPCACHE_DBM_MODULE",
    "HTTPCACHE_DIR",
    "HTTPCACHE_ENABLED",
    "HTTPCACHE_EXPIRATION_SECS",
    "HTTPCACHE_GZIP",
    "HTTPCACHE_IGNORE_HTTP_CODES",
    "HTTPCACHE_IGNORE_MISSING",
    "HTTPCACHE_IGNORE_RESPONSE_CACHE_CONTROLS",
    "HTTPCACHE_IGNORE_SCHEMES",
    "HTTPCACHE_POLICY",
    "HTTPCACHE_STORAGE",
    "HTTPERROR_ALLOWED_CODES",
    "HTTPERROR_ALLOW_ALL",
    "HTTPPROXY_AUTH_ENCODING",
    "HTTPPROXY_ENABLED",
    "HTTPX_HTTP2_ENABLED",
    "IMAGES_STORE",
    "IMAGES_STORE_GCS_ACL",
    "IMAGES_STORE_S3_ACL",
    "ITEM_BATCH_SIZE",
    "ITEM_BATCH_TIMEOUT",
    "ITEM_PIPELINES",
    "ITEM_PIPELINES_BASE",
    "ITEM_PROCESSOR",
    "JOBDIR",
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_COMMIT_INTERVAL",
    "KAFKA_CONNECT_TIMEOUT",
    "KAFKA_CONSUMER_PARAMS",
    "KAFKA_DEAD_LETTER_TOPIC",
    "KAFKA_GROUP_ID",
    "KAFKA_IDLE_CLOSE_SECONDS",
    "KAFKA_ITEMS_BATCH_SIZE",
    "KAFKA_ITEMS_BATCH_TIMEOUT",
    "KAFKA_ITEMS_COMPRESSION",
    "KAFKA_ITEMS_KEY_FIELD",
    "KAFKA_ITEMS_TOPIC",
    "KAFKA_MAX_ATTEMPTS",
    "KAFKA_MAX_MESSAGES_IN_FLIGHT",
    "KAFKA_PRODUCER_PARAMS",
    "KAFKA_RETRY_DELAY_SECONDS",
    "KAFKA_RETRY_TOPIC",
    "KAFKA_START_URLS_TOPIC",
    "LIVE_STATUS_ENABLED",
    "LIVE_STATUS_INTERVAL",
    "LOGSTATS_INTERVAL",
    "LOG_COLOR",
    "LOG_DATEFORMAT",
    "LOG_ENABLED",
    "LOG_ENCODING",
    "LOG_FILE",
    "LOG_FILE_APPEND",
    "LOG_FORMAT",
    "LOG_FORMATTER",
    "LOG_INSTALL_ROOT_HANDLER",
    "LOG_JSON",
    "LOG_LEVEL",
    "LOG_SHORT_NAMES",
    "LOG_STDOUT",
    "LOG_VERSIONS",
    "MAIL_FROM",
    "MAIL_HOST",
    "MAIL_PASS",
    "MAIL_PORT",
    "MAIL_SSL",
    "MAIL_TLS",
    "MAIL_USER",
    "MEMDEBUG_ENABLED",
    "MEMUSAGE_CHECK_INTERVAL_SECONDS",
    "MEMUSAGE_ENABLED",
    "MEMUSAGE_LIMIT_MB",
    "MEMUSAGE_NOTIFY_MAIL",
    "MEMUSAGE_WARNING_MB",
    "METAREFRESH_ENABLED",
    "METAREFRESH_IGNORE_TAGS",
    "METAREFRESH_MAXDELAY",
    "METRICS_CLOSE_WAIT",
    "METRICS_HOST",
    "METRICS_MAX_LOOP_LAG",
    "METRICS_PORT",
    "MONGO_BATCH_SIZE",
    "MONGO_BATCH_TIMEOUT",
    "MONGO_COLLECTION",
    "MONGO_COLLECTION_FIELD",
    "MONGO_CONNECT_TIMEOUT",
    "MONGO_DATABASE",
    "MONGO_UNIQUE_KEY",
    "MONGO_URI",
    "NEWSPIDER_MODULE",
    "PERIODIC_LOG_DELTA",
    "PERIODIC_LOG_STATS",
    "PERIODIC_LOG_TIMING_ENABLED",
    "RANDOMIZE_DOWNLOAD_DELAY",
    "REACTOR_THREADPOOL_MAXSIZE",
    "REDIRECT_ENABLED",
    "REDIRECT_MAX_TIMES",
    "REDIRECT_PRIORITY_ADJUST",
    "REDIS_LEASE_SECONDS",
    "REDIS_PARAMS",
    "REDIS_RECONNECT_TIMEOUT",
    "REDIS_SHARED_SLOTS",
    "REDIS_URL",
    "REFERER_ENABLED",
    "REFERRER_POLICIES",
    "REFERRER_POLICY",
    "REMOTE_CONTROL_ENABLED",
    "REMOTE_CONTROL_JOBS_DIR",
    "REMOTE_CONTROL_OUTPUT_MAX_BYTES",
    "REMOTE_CONTROL_TIMEOUT_DEFAULT",
    "REMOTE_CONTROL_TIMEOUT_MAX",
    "REMOTE_CONTROL_TRACEBACK_MAX_BYTES",
    "REQUEST_FINGERPRINTER_CLASS",
    "RETRY_ENABLED",
    "RETRY_EXCEPTIONS",
    "RETRY_GIVE_UP_LOG_LEVEL",
    "RETRY_HTTP_CODES",
    "RETRY_PRIORITY_ADJUST",
    "RETRY_TIMES",
    "ROBOTSTXT_OBEY",
    "ROBOTSTXT_PARSER",
    "ROBOTSTXT_USER_AGENT",
    "SCHEDULER",
    "SCHEDULER_COMMIT_INTERVAL",
    "SCHEDULER_DEBUG",
    "SCHEDULER_DISK_QUEUE",
    "SCHEDULER_DUPEFILTER_KEY",
    "SCHEDULER_FLUSH_ON_START",
    "SCHEDULER_IDLE_BEFORE_CLOSE",
    "SCHEDULER_MEMORY_BUDGET",
    "SCHEDULER_MEMORY_QUEUE",
    "SCHEDULER_PERSIST",
    "SCHEDULER_PRIORITY_QUEUE",
    "SCHEDULER_QUEUE_CLASS",
    "SCHEDULER_QUEUE_KEY",
    "SCHEDULER_SERIALIZER",
    "SCHEDULER_SPILL_DIR",
    "SCHEDULER_START_DISK_QUEUE",
    "SCHEDULER_START_MEMORY_QUEUE",
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE",
    "SHUTDOWN_TIMEOUT",
    "SPIDER_CONTRACTS",
    "SPIDER_CONTRACTS_BASE",
    "SPIDER_LOADER_CLASS",
    "SPIDER_LOADER_WARN_ONLY",
    "SPIDER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES_BASE",
    "SPIDER_MODULES",
    "STATSMAILER_RCPTS",
    "STATS_CLASS",
    "STATS_DUMP",
    "STRICT_EXIT",
    "TELNETCONSOLE_ENABLED",
    "TELNETCONSOLE_HOST",
    "TELNETCONSOLE_PASSWORD",
    "TELNETCONSOLE_PORT",
    "TELNETCONSOLE_USERNAME",
    "TEMPLATES_DIR",
    "TWISTED_DNS_RESOLVER",
    "TWISTED_REACTOR",
    "TWISTED_REACTOR_ENABLED",
    "URLLENGTH_LIMIT",
    "USER_AGENT",
    "WARN_ON_GENERATOR_RETURN_VALUE",
    "WORKER_INDEX",
]

ADDONS: dict[str, int] = {}

ASYNCIO_EVENT_LOOP = None

AUTOTHROTTLE_ENABLED = False
AUTOTHROTTLE_DEBUG = False
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_START_DELAY = 5.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

AWS_ACCESS_KEY_ID = None
AWS_SECRET_ACCESS_KEY = None
AWS_ENDPOINT_URL = None
AWS_MAX_POOL_CONNECTIONS = None
AWS_REGION_NAME = None
AWS_SESSION_TOKEN = None
AWS_USE_SSL = None
AWS_VERIFY = None

BOT_NAME = "scrapybot"

CLOSESPIDER_ERRORCOUNT = 0
CLOSESPIDER_ITEMCOUNT = 0
CLOSESPIDER_PAGECOUNT = 0
CLOSESPIDER_TIMEOUT = 0.0
CLOSESPIDER_PAGECOUNT_NO_ITEM = 0
CLOSESPIDER_TIMEOUT_NO_ITEM = 0

COMMANDS_MODULE = ""

COMPRESSION_ENABLED = True

CONCURRENT_ITEMS = 100

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8

COOKIES_ENABLED = True
COOKIES_DEBUG = False

CRAWLSPIDER_FOLLOW_LINKS = True

DEFAULT_DROPITEM_LOG_LEVEL = "WARNING"

DEFAULT_ITEM_CLASS = "ascrapy.item.Item"

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

DEPTH_LIMIT = 0
DEPTH_PRIORITY = 0
DEPTH_STATS_VERBOSE = False

DNSCACHE_ENABLED = True
DNSCACHE_SIZE = 10000
# Deprecated in Scrapy (reading it warns); left out of __all__ as Scrapy does.
DNS_RESOLVER = "ascrapy.resolver.CachingThreadedResolver"
DNS_TIMEOUT = 60

DOWNLOAD_BIND_ADDRESS = None

DOWNLOAD_DELAY = 0
DOWNLOAD_DELAY_JITTER = 0.5

DOWNLOAD_FAIL_ON_DATALOSS = True

DOWNLOAD_HANDLERS: dict[str, str] = {}
DOWNLOAD_HANDLERS_BASE = {
    "data": "ascrapy.handlers.datauri.DataURIDownloadHandler",
    "file": "ascrapy.handlers.file.FileDownloadHandler",
    "http": "ascrapy.handlers.http.HTTPDownloadHandler",
    "https": "ascrapy.handlers.http.HTTPDownloadHandler",
    "s3": "ascrapy.handlers.s3.S3DownloadHandler",
    "ftp": "ascrapy.handlers.ftp.FTPDownloadHandler",
}

DOWNLOAD_MAXSIZE = 1024 * 1024 * 1024  # 1 GiB
DOWNLOAD_WARNSIZE = 32 * 1024 * 1024  # 32 MiB

DOWNLOAD_SLOTS: dict[str, dict[str, Any]] = {}

DOWNLOAD_TIMEOUT = 180  # seconds

DOWNLOAD_TLS_MAX_VERSION = None
DOWNLOAD_TLS_MIN_VERSION = None

DOWNLOAD_VERIFY_CERTIFICATES = False

DOWNLOADER = "ascrapy.engine.downloader.Downloader"

DOWNLOADER_CLIENTCONTEXTFACTORY = "SENTINEL"
DOWNLOADER_CLIENT_TLS_CIPHERS = "DEFAULT"
DOWNLOADER_CLIENT_TLS_METHOD = "TLS"
DOWNLOADER_CLIENT_TLS_VERBOSE_LOGGING = False

DOWNLOADER_MIDDLEWARES: dict[str, int] = {}
DOWNLOADER_MIDDLEWARES_BASE = {
    # closest to the engine
    "ascrapy.middleware.downloader.offsite.OffsiteMiddleware": 50,
    "ascrapy.middleware.downloader.robotstxt.RobotsTxtMiddleware": 100,
    "ascrapy.middleware.downloader.httpauth.HttpAuthMiddleware": 300,
    "ascrapy.middleware.downloader.downloadtimeout.DownloadTimeoutMiddleware": 350,
    "ascrapy.middleware.downloader.defaultheaders.DefaultHeadersMiddleware": 400,
    "ascrapy.middleware.downloader.useragent.UserAgentMiddleware": 500,
    "ascrapy.middleware.downloader.retry.RetryMiddleware": 550,
    "ascrapy.middleware.downloader.redirect.MetaRefreshMiddleware": 580,
    "ascrapy.middleware.downloader.httpcompression.HttpCompressionMiddleware": 590,
    "ascrapy.middleware.downloader.redirect.RedirectMiddleware": 600,
    "ascrapy.middleware.downloader.cookies.CookiesMiddleware": 700,
    "ascrapy.middleware.downloader.httpproxy.HttpProxyMiddleware": 750,
    "ascrapy.middleware.downloader.stats.DownloaderStats": 850,
    "ascrapy.middleware.downloader.httpcache.HttpCacheMiddleware": 900,
    # closest to the download handlers
}

DOWNLOADER_STATS = True

DUPEFILTER_CLASS = "ascrapy.dupefilters.RFPDupeFilter"
DUPEFILTER_DEBUG = False

EDITOR = "vi"
if sys.platform == "win32":
    EDITOR = "%s -m idlelib.idle"

EXTENSIONS: dict[str, int] = {}
EXTENSIONS_BASE = {
    "ascrapy.extensions.corestats.CoreStats": 0,
    "ascrapy.extensions.logcount.LogCount": 0,
    "ascrapy.extensions.telnet.TelnetConsole": 0,
    "ascrapy.extensions.memusage.MemoryUsage": 0,
    "ascrapy.extensions.memdebug.MemoryDebugger": 0,
    "ascrapy.extensions.closespider.CloseSpider": 0,
    "ascrapy.extensions.feedexport.FeedExporter": 0,
    "ascrapy.extensions.logstats.LogStats": 0,
    "ascrapy.extensions.spiderstate.SpiderState": 0,
    "ascrapy.extensions.throttle.AutoThrottle": 0,
    "ascrapy.extensions.remote_control.RemoteControl": 0,
    "ascrapy.extensions.metrics.Metrics": 0,
    "ascrapy.extensions.statusline.LiveStatus": 0,
}

FEEDS: dict[str | Path, dict[str, Any]] = {}
FEED_EXPORT_BATCH_ITEM_COUNT = 0
FEED_EXPORT_ENCODING = None
FEED_EXPORT_FIELDS = None
FEED_EXPORT_INDENT = 0
FEED_EXPORTERS: dict[str, str] = {}
FEED_EXPORTERS_BASE = {
    "json": "ascrapy.exporters.JsonItemExporter",
    "jsonlines": "ascrapy.exporters.JsonLinesItemExporter",
    "jsonl": "ascrapy.exporters.JsonLinesItemExporter",
    "jl": "ascrapy.exporters.JsonLinesItemExporter",
    "csv": "ascrapy.exporters.CsvItemExporter",
    "xml": "ascrapy.exporters.XmlItemExporter",
    "marshal": "ascrapy.exporters.MarshalItemExporter",
    "pickle": "ascrapy.exporters.PickleItemExporter",
}
FEED_FORMAT = "jsonlines"
FEED_STORE_EMPTY = True
FEED_STORAGES: dict[str, str] = {}
FEED_STORAGES_BASE = {
    "": "ascrapy.extensions.feedexport.FileFeedStorage",
    "file": "ascrapy.extensions.feedexport.FileFeedStorage",
    "ftp": "ascrapy.extensions.feedexport.FTPFeedStorage",
    "ftps": "ascrapy.extensions.feedexport.FTPFeedStorage",
    "gs": "ascrapy.extensions.feedexport.GCSFeedStorage",
    "s3": "ascrapy.extensions.feedexport.S3FeedStorage",
    "stdout": "ascrapy.extensions.feedexport.StdoutFeedStorage",
}
FEED_STORAGE_FTP_ACTIVE = False
FEED_STORAGE_GCS_ACL = ""
FEED_STORAGE_S3_ACL = ""
FEED_TEMPDIR = None
FEED_URI = None
FEED_URI_PARAMS = None  # a function that adds parameters to the feed URI

FILES_STORE = None
FILES_STORE_GCS_ACL = ""
FILES_STORE_S3_ACL = "private"

FORCE_CRAWLER_PROCESS = False

FTP_PASSIVE_MODE = True
FTP_USER = "anonymous"
FTP_PASSWORD = "guest"  # noqa: S105

GCS_PROJECT_ID = None

HTTP2_MAX_FRAME_SIZE = 16384

HTTPAUTH_USER = ""
HTTPAUTH_PASS = ""
HTTPAUTH_DOMAIN = None

HTTPCACHE_ENABLED = False
HTTPCACHE_ALWAYS_STORE = False
HTTPCACHE_DBM_MODULE = "dbm"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_GZIP = False
HTTPCACHE_IGNORE_HTTP_CODES: list[int] = []
HTTPCACHE_IGNORE_MISSING = False
HTTPCACHE_IGNORE_RESPONSE_CACHE_CONTROLS: list[str] = []
HTTPCACHE_IGNORE_SCHEMES = ["file"]
HTTPCACHE_POLICY = "ascrapy.extensions.httpcache.DummyPolicy"
HTTPCACHE_STORAGE = "ascrapy.extensions.httpcache.FilesystemCacheStorage"

HTTPERROR_ALLOW_ALL = False
HTTPERROR_ALLOWED_CODES: list[int] = []

HTTPPROXY_ENABLED = True
HTTPPROXY_AUTH_ENCODING = "latin-1"

HTTPX_HTTP2_ENABLED = False

IMAGES_STORE = None
IMAGES_STORE_GCS_ACL = ""
IMAGES_STORE_S3_ACL = "private"

ITEM_PIPELINES: dict[str, int] = {}
ITEM_PIPELINES_BASE: dict[str, int] = {}

ITEM_PROCESSOR = "ascrapy.pipelines.ItemPipelineManager"

JOBDIR = None

LOG_COLOR = True
LOG_ENABLED = True
LOG_INSTALL_ROOT_HANDLER = True
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S"
LOG_ENCODING = "utf-8"
LOG_FILE = None
LOG_FILE_APPEND = True
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
LOG_FORMATTER = "ascrapy.logformatter.LogFormatter"
LOG_LEVEL = "DEBUG"
LOG_SHORT_NAMES = False
LOG_STDOUT = False
LOG_VERSIONS = [
    "lxml",
    "libxml2",
    "cssselect",
    "parsel",
    "w3lib",
    "aiohttp",
    "aiostream",
    "Python",
    "Platform",
]

LOGSTATS_INTERVAL = 60.0

MAIL_FROM = "scrapy@localhost"
MAIL_HOST = "localhost"
MAIL_PORT = 25
MAIL_USER = None
MAIL_PASS = None
MAIL_SSL = False
MAIL_TLS = False

MEMDEBUG_ENABLED = False

MEMUSAGE_ENABLED = True
MEMUSAGE_CHECK_INTERVAL_SECONDS = 60.0
MEMUSAGE_LIMIT_MB = 0
MEMUSAGE_NOTIFY_MAIL: list[str] = []
MEMUSAGE_WARNING_MB = 0

METAREFRESH_ENABLED = True
METAREFRESH_IGNORE_TAGS = ["noscript"]
METAREFRESH_MAXDELAY = 100

NEWSPIDER_MODULE = ""

PERIODIC_LOG_DELTA = None
PERIODIC_LOG_STATS = None
PERIODIC_LOG_TIMING_ENABLED = False

RANDOMIZE_DOWNLOAD_DELAY = True

# Twisted's thread pool size: kept so that projects setting it still load; unused.
REACTOR_THREADPOOL_MAXSIZE = 10

REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 20  # the most redirects a browser follows
REDIRECT_PRIORITY_ADJUST = +2

REFERER_ENABLED = True
REFERRER_POLICY = "ascrapy.middleware.spider.referer.DefaultReferrerPolicy"
REFERRER_POLICIES: dict[str, str | None] = {}

REMOTE_CONTROL_ENABLED = True
REMOTE_CONTROL_JOBS_DIR = None
REMOTE_CONTROL_TIMEOUT_DEFAULT = 30.0
REMOTE_CONTROL_TIMEOUT_MAX = 600.0
REMOTE_CONTROL_OUTPUT_MAX_BYTES = 64 * 1024
REMOTE_CONTROL_TRACEBACK_MAX_BYTES = 16 * 1024

REQUEST_FINGERPRINTER_CLASS = "ascrapy.fingerprint.RequestFingerprinter"

RETRY_ENABLED = True
# Scrapy also lists Twisted's ConnectionDone, ConnectError and ConnectionLost: without
# Twisted those failures arrive as OSError (ConnectionError) or the download errors above.
RETRY_EXCEPTIONS = [
    "ascrapy.exceptions.CannotResolveHostError",
    "ascrapy.exceptions.DownloadConnectionRefusedError",
    "ascrapy.exceptions.DownloadFailedError",
    "ascrapy.exceptions.DownloadTimeoutError",
    "ascrapy.exceptions.ResponseDataLossError",
    # the HTTP handler converts aiohttp's errors; these catch any that slip through
    "aiohttp.ClientConnectionError",
    "aiohttp.ClientPayloadError",
    # TimeoutError and connection resets; decompressing a broken body raises OSError too
    OSError,
    "ascrapy.handlers.http_errors.TunnelError",
]
RETRY_GIVE_UP_LOG_LEVEL = "ERROR"
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_PRIORITY_ADJUST = -1
RETRY_TIMES = 2  # so at most 3 attempts per request

ROBOTSTXT_OBEY = False
ROBOTSTXT_PARSER = "ascrapy.robotstxt.ProtegoRobotParser"
ROBOTSTXT_USER_AGENT = None

SCHEDULER = "ascrapy.engine.scheduler.Scheduler"
SCHEDULER_DEBUG = False
SCHEDULER_DISK_QUEUE = "ascrapy.squeues.PickleLifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "ascrapy.squeues.LifoMemoryQueue"
SCHEDULER_PRIORITY_QUEUE = "ascrapy.pqueues.DownloaderAwarePriorityQueue"
SCHEDULER_START_DISK_QUEUE = "ascrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_START_MEMORY_QUEUE = "ascrapy.squeues.FifoMemoryQueue"

SCRAPER_SLOT_MAX_ACTIVE_SIZE = 5000000

SPIDER_CONTRACTS: dict[str, int] = {}
SPIDER_CONTRACTS_BASE = {
    "ascrapy.contracts.default.UrlContract": 1,
    "ascrapy.contracts.default.CallbackKeywordArgumentsContract": 1,
    "ascrapy.contracts.default.MetadataContract": 1,
    "ascrapy.contracts.default.MethodContract": 1,
    "ascrapy.contracts.default.BodyContract": 1,
    "ascrapy.contracts.default.HeaderContract": 1,
    "ascrapy.contracts.default.CookieContract": 1,
    "ascrapy.contracts.default.ReturnsContract": 2,
    "ascrapy.contracts.default.ScrapesContract": 3,
}

SPIDER_LOADER_CLASS = "ascrapy.spiderloader.SpiderLoader"
SPIDER_LOADER_WARN_ONLY = False

SPIDER_MIDDLEWARES: dict[str, int] = {}
SPIDER_MIDDLEWARES_BASE = {
    # closest to the engine
    "ascrapy.middleware.spider.start.StartSpiderMiddleware": 25,
    "ascrapy.middleware.spider.httperror.HttpErrorMiddleware": 50,
    "ascrapy.middleware.spider.referer.RefererMiddleware": 700,
    "ascrapy.middleware.spider.urllength.UrlLengthMiddleware": 800,
    "ascrapy.middleware.spider.depth.DepthMiddleware": 900,
    "ascrapy.middleware.spider.metacopy.MetaCopyDetectionMiddleware": 1000,
    # closest to the spider
}

SPIDER_MODULES: list[str] = []

STATS_CLASS = "ascrapy.stats.MemoryStatsCollector"
STATS_DUMP = True

STATSMAILER_RCPTS: list[str] = []

TELNETCONSOLE_ENABLED = 1
TELNETCONSOLE_HOST = "127.0.0.1"
TELNETCONSOLE_PORT = [6023, 6073]
TELNETCONSOLE_USERNAME = "scrapy"
TELNETCONSOLE_PASSWORD = None

TEMPLATES_DIR = str((Path(__file__).parent / ".." / "templates").resolve())

# Twisted-only: kept as inert names so that projects reading or setting them still work.
TWISTED_DNS_RESOLVER = "ascrapy.resolver.CachingThreadedResolver"

TWISTED_REACTOR_ENABLED = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

URLLENGTH_LIMIT = 2083

# ascrapy names itself (Scrapy 2.19.0 sends "Scrapy/2.19.0 (+https://scrapy.org)").
USER_AGENT = f"ascrapy/{__version__} (a Scrapy-compatible crawler)"

WARN_ON_GENERATOR_RETURN_VALUE = True


# ---------------------------------------------------------------------------------------
# ascrapy-only settings (not in Scrapy). Add them to __all__ as well, in sorted order.
BATCH_RETRY_BACKOFF = 0.5  # seconds before the first retry of a failed batch write; doubles each time
BATCH_RETRY_TIMES = 3  # retries of a failed batch write before its items are dead-lettered
BATCH_WRITE_TIMEOUT = 300.0  # seconds a process_batch call may take before it is cancelled and retried (0: no limit)
DEAD_LETTER_PATH = "dead-letter-%(name)s.jsonl"  # JSON lines of the items no pipeline could write (%(name)s: the spider)
DOWNLOAD_HEADER_MAXSIZE = 65536  # bytes in one response header line (Scrapy's Twisted client reads 16 KiB)
DOWNLOAD_MAXHEADERS = 1000  # response headers per response (Scrapy sets no limit; aiohttp's default is 128)
FEED_EXPORT_DATETIME_FORMAT = "iso"  # JSON feeds' dates: "iso" (2000-01-02T03:04:05, Scrapy 2.19) or "scrapy-2.13" (2000-01-02 03:04:05)
FEED_WRITE_BATCH_SIZE = 100  # feeds are written in batches of up to this many items...
FEED_WRITE_BATCH_TIMEOUT = 1.0  # ...or of what arrived within this many seconds
ITEM_BATCH_SIZE = 100  # default batch size of a batch pipeline (process_batch) without its own
ITEM_BATCH_TIMEOUT = 1.0  # default batch timeout, in seconds, of such a pipeline
KAFKA_BOOTSTRAP_SERVERS = "127.0.0.1:9092"  # Kafka: the brokers to bootstrap from (a list, or comma-separated)
KAFKA_COMMIT_INTERVAL = 1.0  # KafkaSpider: seconds between commits of the finished messages' offsets
KAFKA_CONNECT_TIMEOUT = 10.0  # Kafka: seconds to reach the brokers at start (and to send on failed messages at close)
KAFKA_CONSUMER_PARAMS: dict[str, Any] = {}  # KafkaSpider: keyword arguments of aiokafka's consumer (session_timeout_ms, security ...)
KAFKA_DEAD_LETTER_TOPIC = None  # KafkaSpider: where failed messages end; default '<start topic>.dlq'
KAFKA_GROUP_ID = None  # KafkaSpider: the consumer group every pod joins; default the spider's name
KAFKA_IDLE_CLOSE_SECONDS = None  # KafkaSpider: close once the group has drained the topic and nothing was in flight this long (None: run until stopped)
KAFKA_ITEMS_BATCH_SIZE = 500  # KafkaPipeline: items per produced batch
KAFKA_ITEMS_BATCH_TIMEOUT = 1.0  # KafkaPipeline: seconds to wait for a batch to fill
KAFKA_ITEMS_COMPRESSION = None  # KafkaPipeline: 'gzip', 'snappy', 'lz4' or 'zstd' (each but gzip needs its own library)
KAFKA_ITEMS_KEY_FIELD = None  # KafkaPipeline: the item field whose value keys each message (None: no key)
KAFKA_ITEMS_TOPIC = None  # KafkaPipeline: the items' topic; default '<spider name>.items'
KAFKA_MAX_ATTEMPTS = 3  # KafkaSpider: attempts of a failing message (through KAFKA_RETRY_TOPIC) before the dead-letter topic
KAFKA_MAX_MESSAGES_IN_FLIGHT = 100  # KafkaSpider: messages fetched and not finished, at most (a kill -9 repeats at most these)
KAFKA_PRODUCER_PARAMS: dict[str, Any] = {}  # Kafka: keyword arguments of aiokafka's producers (KafkaPipeline, retry and dead-letter topics)
KAFKA_RETRY_DELAY_SECONDS = 60.0  # KafkaSpider: a retried message waits this long, doubled at each attempt
KAFKA_RETRY_TOPIC = None  # KafkaSpider: failed requests go here first and are read again after their delay (None: straight to the dead-letter topic)
KAFKA_START_URLS_TOPIC = None  # KafkaSpider: the topic of start URLs; default '<spider name>.start_urls'
LIVE_STATUS_ENABLED = True  # a status line updated in place, only when stderr is a terminal (never in a pod, pipe or file)
LIVE_STATUS_INTERVAL = 1.0  # seconds between updates of that line
LOG_JSON = False  # every log record as one JSON object per line (ascrapy.utils.jsonlog)
METRICS_CLOSE_WAIT = 0.0  # after a crawl that finished: serve /metrics until the next scrape, up to this many seconds
METRICS_HOST = "127.0.0.1"  # address of /metrics and /healthz (the container image sets 0.0.0.0)
METRICS_MAX_LOOP_LAG = 10.0  # /healthz answers 503 right after an event-loop stall longer than this (seconds)
METRICS_PORT = 0  # serve Prometheus /metrics and /healthz on this port during the crawl (0: off)
MONGO_BATCH_SIZE = 500  # MongoPipeline: documents per bulk write
MONGO_BATCH_TIMEOUT = 1.0  # MongoPipeline: seconds to wait for a batch to fill
MONGO_COLLECTION = None  # MongoPipeline: collection name, or a callable(item, spider); default: the spider's name
MONGO_COLLECTION_FIELD = None  # MongoPipeline: an item field naming each item's collection
MONGO_CONNECT_TIMEOUT = 10.0  # MongoPipeline: seconds to reach the server at start
MONGO_DATABASE = "ascrapy"  # MongoPipeline: database name
MONGO_UNIQUE_KEY = None  # MongoPipeline: a field or list of fields; batches become upserts keyed on them
MONGO_URI = "mongodb://127.0.0.1:27017"  # MongoPipeline: server URI
DUPEFILTER_BLOOM_CAPACITY = 100_000_000  # ascrapy.redis.BloomDupeFilter: the fingerprints it is sized for
DUPEFILTER_BLOOM_ERROR_RATE = 0.001  # ascrapy.redis.BloomDupeFilter: its false-positive rate at that capacity
REDIS_LEASE_SECONDS = 60.0  # Redis frontier: a taken request's lease (renewed while in flight; a dead worker's expire and go back)
REDIS_PARAMS: dict[str, Any] = {}  # Redis: keyword arguments of the client (socket_timeout, password, ...)
REDIS_RECONNECT_TIMEOUT = 60.0  # Redis frontier: seconds Redis may not answer before the crawl stops (redis_error)
REDIS_SHARED_SLOTS = False  # Redis frontier: CONCURRENT_REQUESTS_PER_DOMAIN and DOWNLOAD_DELAY across every worker
REDIS_URL = None  # Redis: the server of the Redis frontier (and pipeline, stats); default redis://127.0.0.1:6379/0
SCHEDULER_DUPEFILTER_KEY = "%(spider)s:dupefilter"  # Redis frontier: the shared duplicate filter (scrapy-redis's key)
SCHEDULER_FLUSH_ON_START = False  # Redis frontier: empty the queue and the dupefilter when a worker starts
SCHEDULER_IDLE_BEFORE_CLOSE = 0  # Redis frontier: seconds Redis must hold nothing to do before the workers finish
SCHEDULER_PERSIST = False  # Redis frontier: keep the queue and the dupefilter in Redis when the crawl is over
SCHEDULER_QUEUE_CLASS = None  # Redis frontier: PriorityQueue when unset (scrapy-redis's own scheduler then keeps its default), FifoQueue or LifoQueue
SCHEDULER_QUEUE_KEY = "%(spider)s:requests"  # Redis frontier: the shared queue (scrapy-redis's key)
SCHEDULER_SERIALIZER = None  # Redis frontier: a module with dumps/loads instead of JSON, e.g. "scrapy_redis.picklecompat"
SCHEDULER_COMMIT_INTERVAL = 0.5  # JOBDIR: seconds between commits of the frontier's store
SCHEDULER_MEMORY_BUDGET = 20000  # queued requests kept in memory when the frontier has a disk store
SCHEDULER_SPILL_DIR = None  # without JOBDIR: a directory where requests beyond the budget wait
WORKER_INDEX = 0  # this worker's number among `crawl --processes N` (1 to N); feed URIs may use %(worker)s
SHUTDOWN_TIMEOUT = 0.0  # seconds a graceful stop (first SIGINT/SIGTERM) may take before it is forced (0: no limit)
STRICT_EXIT = False  # exit non-zero when the crawl ended with errors or early (ascrapy.cli.exit_codes; also --strict)
# ---------------------------------------------------------------------------------------


def __getattr__(name: str) -> Any:
    """Keep the removed CONCURRENT_REQUESTS_PER_IP importable, with a warning."""
    if name == "CONCURRENT_REQUESTS_PER_IP":
        import warnings

        from ascrapy.exceptions import ScrapyDeprecationWarning

        warnings.warn(
            "The scrapy.settings.default_settings.CONCURRENT_REQUESTS_PER_IP attribute is "
            "deprecated, use scrapy.settings.default_settings.CONCURRENT_REQUESTS_PER_DOMAIN "
            "instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return 0
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
