"""``k8s NAME``: write the Kubernetes manifests that run spider NAME (ascrapy.utils.k8s_manifests)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand
from ascrapy.exceptions import UsageError
from ascrapy.utils.project import inside_project


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Write Kubernetes manifests (Job, indexed Job, CronJob) for a spider"

    def long_desc(self) -> str:
        return (
            "Write the manifests that run a spider on Kubernetes: its settings as a ConfigMap, a "
            "volume for JOBDIR and feeds, a resumable Job, an indexed Job of several pods on one "
            "Redis frontier, a CronJob, an example Secret and a kustomization. Inside a project, "
            "the spider must exist."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--image", metavar="IMAGE",
                            help="the project image to run (default: <BOT_NAME>:latest)")
        parser.add_argument("--parallelism", type=int, default=4, metavar="N",
                            help="pods of the indexed Job (default: 4)")
        parser.add_argument("--processes", type=int, default=1, metavar="N",
                            help="crawl processes per pod of the indexed Job (default: 1)")
        parser.add_argument("--schedule", default="0 3 * * *", metavar="CRON",
                            help='the CronJob\'s schedule (default: "0 3 * * *")')
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="a spider argument for the crawls (may be repeated)")
        parser.add_argument("-d", "--dir", metavar="DIR",
                            help="folder to write the files to (default: k8s/<spider>); "
                                 "- prints the resources to apply to standard output")
        parser.add_argument("--force", action="store_true", help="overwrite files that exist")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from ascrapy.utils.k8s_manifests import (
            MANIFEST_FILES,
            SpiderDeployment,
            kubernetes_name,
            manifests_stream,
            render_manifests,
        )

        assert self.settings is not None
        if len(args) != 1:
            raise UsageError
        spider = args[0]
        if opts.parallelism < 1 or opts.processes < 1:
            raise UsageError("--parallelism and --processes must be at least 1", print_help=False)
        if any("=" not in assignment for assignment in opts.spargs):
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False)
        if inside_project() and not self._spider_exists(spider):
            self.fail_with_error(f"Spider not found: {spider}")
            return
        try:
            image = opts.image or f"{kubernetes_name(str(self.settings.get('BOT_NAME')))}:latest"
            files = render_manifests(SpiderDeployment(spider, image, opts.parallelism, opts.processes,
                                                      opts.schedule, tuple(opts.spargs)))
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None
        if opts.dir == "-":
            sys.stdout.write(manifests_stream(files))
            return
        folder = Path(opts.dir or Path("k8s") / kubernetes_name(spider))
        existing = [name for name in MANIFEST_FILES if (folder / name).exists()]
        if existing and not opts.force:
            self.fail_with_error(f"{folder} already holds {', '.join(existing)} (use --force to overwrite)")
            return
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        print(f"Wrote the manifests of spider {spider!r} to {folder}/ (image {image}).")
        print("Next: create the Secret (see secret.example.yaml), then `kubectl apply -k "
              f"{folder}` for a one-off crawl, or apply cronjob.yaml / indexed-job.yaml.")

    def _spider_exists(self, name: str) -> bool:
        from ascrapy.spiderloader import get_spider_loader

        assert self.settings is not None
        return name in get_spider_loader(self.settings).list()
