"""scrapy.pipelines.media: Scrapy's names, from ascrapy.pipelines.media."""

from ascrapy.pipelines.media import (
    FileException,
    FileInfo,
    FileInfoOrError,
    MediaPipeline,
    _MediaRequestFiltered,
)
