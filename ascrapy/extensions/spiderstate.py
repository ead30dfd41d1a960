"""SpiderState: ``spider.state``, a dict that survives a paused and resumed job.

With JOBDIR set, the dict is loaded from JOBDIR/spider.state (pickle) when the spider opens
and written back when it closes. Without JOBDIR the extension is not configured; called
directly without a job directory it still gives the spider an empty ``state``.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils.job import job_dir

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class SpiderState:
    """Stores and loads spider state during a scraping job."""

    def __init__(self, jobdir: str | None = None) -> None:
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> SpiderState:
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured
        extension = cls(jobdir)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    @property
    def statefn(self) -> str:
        assert self.jobdir, "SpiderState has no job directory"
        return str(Path(self.jobdir, "spider.state"))

    def spider_opened(self, spider: Any) -> None:
        path = Path(self.statefn) if self.jobdir else None
        if path is not None and path.exists():
            with path.open("rb") as file:
                spider.state = pickle.load(file)  # noqa: S301 - the job's own file
        else:
            spider.state = {}

    def spider_closed(self, spider: Any) -> None:
        if not self.jobdir:
            return
        # Written beside, then renamed: a crash mid-write keeps the previous state whole.
        path = Path(self.statefn)
        partial = path.with_name(path.name + ".tmp")
        with partial.open("wb") as file:
            pickle.dump(spider.state, file, protocol=4)
        partial.replace(path)
