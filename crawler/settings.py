"""Scrapy settings for brandsweep crawls. Per-marketplace overrides come from the CLI/config."""

from brandsweep import __version__

BOT_NAME = "brandsweep"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

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
DEPTH_LIMIT = 50

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}

# brandsweep's own settings.
BRANDSWEEP_DB = "brandsweep.db"
BRANDSWEEP_RUN_ID = None  # set by the CLI, which records the run; otherwise the pipeline starts one
BRANDSWEEP_MAX_IMAGES_PER_LISTING = 4
