"""ascrapy's own version (``ascrapy.__version__``) and the Scrapy API level it emulates,
importable by any module without the package's public names.

Plugins gate on Scrapy's version (``scrapy.__version__``, ``scrapy.version_info``,
``importlib.metadata.version("Scrapy")``), so those answer with the Scrapy release whose
behaviour ascrapy keeps, never with ascrapy's own number. The compat distribution is named
``scrapy`` with the version ``SCRAPY_VERSION + "+ascrapy." + __version__``
(``compat_distribution_version``): pip sees a plugin's ``Scrapy>=x`` requirement met.
"""

__version__ = "0.1.0"
version_info = tuple(int(part) for part in __version__.split("."))

SCRAPY_VERSION = "2.19.0"
"""The Scrapy release ascrapy's behaviour follows: compat's ``scrapy.__version__``."""
scrapy_version_info = tuple(int(part) for part in SCRAPY_VERSION.split("."))

COMPAT_LOCAL_LABEL = "ascrapy"
"""The local version label that marks compat's ``scrapy`` distribution (PEP 440)."""


def compat_distribution_version() -> str:
    """The version compat's ``scrapy`` distribution carries: ``2.19.0+ascrapy.0.1.0``."""
    return f"{SCRAPY_VERSION}+{COMPAT_LOCAL_LABEL}.{__version__}"


def is_compat_distribution_version(version: str) -> bool:
    """Whether a ``scrapy`` distribution's version is compat's (not real Scrapy's)."""
    _, plus, local = version.partition("+")
    return bool(plus) and local.split(".", 1)[0] == COMPAT_LOCAL_LABEL
