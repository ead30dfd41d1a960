"""scrapy.pipelines.files is ascrapy.pipelines.files itself: tests patch its is_botocore_available."""

import sys

import ascrapy.pipelines.files

sys.modules[__name__] = ascrapy.pipelines.files
