"""scrapy.pipelines.images is ascrapy.pipelines.images itself."""

import ascrapy.pipelines.images
from ascrapy.utils.module_alias import alias_module
from ascrapy.http.request import NO_CALLBACK
from ascrapy.pipelines.files import GCSFilesStore, S3FilesStore
from ascrapy.utils.defer import ensure_awaitable

alias_module(
    __name__,
    ascrapy.pipelines.images,
    GCSFilesStore=GCSFilesStore,
    NO_CALLBACK=NO_CALLBACK,
    S3FilesStore=S3FilesStore,
    ensure_awaitable=ensure_awaitable,
)
