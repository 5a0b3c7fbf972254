"""Scrapy settings for brandsweep crawls. Per-marketplace overrides come from the CLI/config."""

from brandsweep.core import __version__

BOT_NAME = "brandsweep"
SPIDER_MODULES = ["brandsweep.crawler.spiders"]
NEWSPIDER_MODULE = "brandsweep.crawler.spiders"

# Politeness: say who we are, obey robots.txt, adapt speed to the site.
USER_AGENT = f"brandsweep/{__version__} (trademark-infringement monitoring; +https://example.org/brandsweep)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.05
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 8.0

# Limits on every response.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
REDIRECT_MAX_TIMES = 5
# No depth limit for marketplace spiders: a long category is deep, and a silently cut list would
# look complete. Traps are bounded per list instead (max_pages, repeated-page detection); the
# link-following schemaorg spider sets its own depth limit.
DEPTH_LIMIT = 0

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {"brandsweep.crawler.pipelines.StorePipeline": 300}

# Safety and politeness middlewares (crawler/middlewares.py): the host guard sees every request,
# every redirect hop and every image fetch; retries back off and honour Retry-After.
DOWNLOADER_MIDDLEWARES = {
    "brandsweep.crawler.middlewares.HostGuardMiddleware": 10,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "brandsweep.crawler.middlewares.PoliteRetryMiddleware": 550,
}
SPIDER_MIDDLEWARES = {"brandsweep.crawler.middlewares.ResumeFilterMiddleware": 950}
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_FAIL_ON_DATALOSS = True

# The browser (scrapy-playwright), switched on per crawl only for marketplaces that need it
# (brandsweep.crawl adds the download handlers when MarketplaceConfig.render_js is set).
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# No WebRTC UDP (a page's STUN requests would go round the browser guard, core/browser.py).
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--no-first-run", "--disable-dev-shm-usage",
             "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
             "--webrtc-ip-handling-policy=disable_non_proxied_udp"],
}
# Service workers are blocked: their requests would not pass the page's route (the guard).
PLAYWRIGHT_CONTEXTS = {"default": {"service_workers": "block"}}
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000

# brandsweep's own settings.
BRANDSWEEP_DB = "brandsweep.db"  # a SQLite file or a postgresql:// URL
BRANDSWEEP_BLOBS = ""  # folder for image bytes; empty: the store's default (see brandsweep.store.blobs)
BRANDSWEEP_MATCHERS: dict = {}  # the [matchers] table to score with (MatchConfig.from_mapping); empty: defaults
BRANDSWEEP_RUN_ID = None  # set by the CLI, which records the run; otherwise the pipeline starts one
BRANDSWEEP_MAX_IMAGES_PER_LISTING = 4
# the [matchers] table as plain values (MatchConfig.to_mapping, set by run_crawl); empty: the defaults
BRANDSWEEP_MATCHERS: dict[str, object] = {}
BRANDSWEEP_ALLOWED_HOSTS: list[str] = []  # empty: the spider's built-in marketplace entry decides
BRANDSWEEP_ALLOW_PRIVATE = False
BRANDSWEEP_IMAGE_HOSTS: list[str] = []  # CDN hosts images may also come from (MarketplaceConfig.image_hosts)
BRANDSWEEP_IMAGE_HOSTS_FROM_MARKUP = True  # and the public hosts the product markup names
BRANDSWEEP_RETRY_AFTER_MAX = 120.0
BRANDSWEEP_BACKOFF_BASE = 0.5
BRANDSWEEP_BACKOFF_MAX = 30.0
BRANDSWEEP_MAX_PAGES = None
BRANDSWEEP_RENDER_JS = False
BRANDSWEEP_BROWSER_MAX_PAGES = 4
BRANDSWEEP_RESUME_WINDOW_S = 6 * 3600  # a killed run this recent is resumed, not redone
# Distributed workers (brandsweep worker; set by brandsweep.crawler.distributed.worker_settings).
BRANDSWEEP_WORKER_LEASE_S = 30.0  # a worker silent this long is dead: its in-flight requests are re-queued
