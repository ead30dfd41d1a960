"""scrapy.extensions.postprocessing: Scrapy's names, from ascrapy.extensions.postprocessing."""

from ascrapy.extensions.postprocessing import (
    Bz2Plugin,
    GzipPlugin,
    LZMAPlugin,
    PostProcessingManager,
)
