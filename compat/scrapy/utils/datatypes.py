"""scrapy.utils.datatypes: Scrapy's names, from ascrapy.utils.datatypes."""

from ascrapy.utils.datatypes import (
    CaseInsensitiveDict,
    LocalCache,
    LocalWeakReferencedCache,
    SequenceExclude,
)
