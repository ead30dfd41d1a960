"""Kubernetes manifests for one spider: its settings (ConfigMap), its volume, a one-off Job,
an indexed Job on a shared Redis frontier and a CronJob, from the templates in
ascrapy/templates/k8s. ``ascrapy k8s NAME`` writes them; deploy/k8s holds them for the
example project.

The numbers that must agree with each other live here: the drain (SHUTDOWN_TIMEOUT) fits
in the grace period with room for the close, the download timeout fits in the drain, and
the crawl closes itself (MEMUSAGE_LIMIT_MB) before the container's memory limit.
"""

from __future__ import annotations

import json
import re
import string
import textwrap
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "k8s"

METRICS_PORT = 9410
METRICS_CLOSE_WAIT = 30  # two scrapes at Prometheus' usual 15 s interval
DOWNLOAD_TIMEOUT = 30
SHUTDOWN_TIMEOUT = 45  # in-flight downloads (at most DOWNLOAD_TIMEOUT) and the batch flush
GRACE_PERIOD = 60  # the drain, the close (stats, store commit) and a margin
MEMORY_LIMIT_MB = 512
MEMUSAGE_LIMIT_MB = 448
SECRET_NAME = "ascrapy-secrets"

# Files written by `ascrapy k8s`, in the order they are printed.
MANIFEST_FILES = (
    "configmap.yaml", "pvc.yaml", "job.yaml", "indexed-job.yaml", "cronjob.yaml",
    "secret.example.yaml", "kustomization.yaml",
)


@dataclass(frozen=True)
class SpiderDeployment:
    """What the manifests of one spider depend on."""

    spider: str
    image: str
    parallelism: int = 4
    processes: int = 1  # crawl processes per pod of the indexed Job (--processes)
    schedule: str = "0 3 * * *"
    spider_args: tuple[str, ...] = ()  # NAME=VALUE, passed with -a

    @property
    def name(self) -> str:
        return kubernetes_name(self.spider)


def kubernetes_name(spider: str) -> str:
    """A name Kubernetes accepts for objects and label values, from a spider's name (at most
    40 characters, so that "-distributed" and the CronJob's run suffix still fit)."""
    name = re.sub(r"[^a-z0-9-]+", "-", spider.lower()).strip("-")[:40].rstrip("-")
    if not name:
        raise ValueError(f"no Kubernetes name can be made of the spider name {spider!r}")
    return name


def render_manifests(deployment: SpiderDeployment) -> dict[str, str]:
    """``{file name: YAML}`` for every file of MANIFEST_FILES."""
    d = deployment
    crawl = ["crawl", d.spider]
    for assignment in d.spider_args:
        crawl += ["-a", assignment]
    jobdir, feed = f"JOBDIR=/data/jobs/{d.spider}", f"/data/items/{d.spider}.jsonl"
    run_jobdir, run_feed = "JOBDIR=/data/jobs/$(JOB_NAME)", "/data/items/$(JOB_NAME).jsonl"
    redis_args = ["-s", "SCHEDULER=ascrapy.redis.Scheduler"]
    if d.processes > 1:
        redis_args += ["--processes", str(d.processes)]
    pods = {
        "job.yaml": _pod(d, "crawl", [*crawl, "-s", jobdir, "-o", feed], _ENV_MONGO, _DATA_PVC),
        "indexed-job.yaml": _pod(d, "distributed-crawl", [*crawl, *redis_args],
                                 _ENV_MONGO + _ENV_REDIS, _DATA_EMPTY),
        "cronjob.yaml": _pod(d, "scheduled-crawl", [*crawl, "-s", run_jobdir, "-o", run_feed],
                             _ENV_JOB_NAME + _ENV_MONGO, _DATA_PVC),
    }
    values = _values(d)
    files: dict[str, str] = {}
    for file_name in MANIFEST_FILES:
        template = string.Template((TEMPLATES / f"{file_name}.tmpl").read_text(encoding="utf-8"))
        pod = pods.get(file_name, "")
        depth = 8 if file_name == "cronjob.yaml" else 4
        files[file_name] = template.substitute(values, pod=textwrap.indent(pod, " " * depth).rstrip("\n"))
    return files


def manifests_stream(files: dict[str, str]) -> str:
    """The resources to apply as one multi-document YAML stream (no Secret example, no
    kustomization)."""
    kept = [text for name, text in files.items() if name not in ("secret.example.yaml", "kustomization.yaml")]
    return "---\n".join(kept)


def _values(d: SpiderDeployment) -> dict[str, str]:
    return {
        "spider": d.spider,
        "name": d.name,
        "image": _quoted(d.image),
        "image_plain": d.image,
        "parallelism": str(d.parallelism),
        "schedule": _quoted(d.schedule),
        "schedule_comment": d.schedule,
        "metrics_port": str(METRICS_PORT),
        "metrics_close_wait": str(METRICS_CLOSE_WAIT),
        "shutdown_timeout": str(SHUTDOWN_TIMEOUT),
        "download_timeout": str(DOWNLOAD_TIMEOUT),
        "grace_period": str(GRACE_PERIOD),
        "memory_limit_mb": str(MEMORY_LIMIT_MB),
        "memusage_limit_mb": str(MEMUSAGE_LIMIT_MB),
        "secret": SECRET_NAME,
    }


def _pod(d: SpiderDeployment, component: str, args: list[str], env: str, data_volume: str) -> str:
    values = _values(d)
    template = string.Template((TEMPLATES / "pod.yaml.tmpl").read_text(encoding="utf-8"))
    return template.substitute(
        values,
        component=component,
        args=_quoted(args),
        env=_block(env, values, 8),
        data_volume=_block(data_volume, values, 4),
    )


def _block(text: str, values: dict[str, str], indent: int) -> str:
    return textwrap.indent(string.Template(text).substitute(values), " " * indent).rstrip("\n")


def _quoted(value: object) -> str:
    """A YAML flow scalar or sequence (JSON is YAML) that keeps ``value`` as it is."""
    return json.dumps(value, ensure_ascii=False)


_ENV_MONGO = """\
- name: ASCRAPY_MONGO_URI             # used by MongoPipeline, if the project enables it
  valueFrom:
    secretKeyRef:
      name: ${secret}
      key: MONGO_URI
      optional: true
"""
_ENV_REDIS = """\
- name: ASCRAPY_REDIS_URL             # the shared frontier
  valueFrom:
    secretKeyRef:
      name: ${secret}
      key: REDIS_URL
- name: ASCRAPY_WORKER_INDEX          # this pod's index: a feed URI may name it, %(worker)s
  valueFrom:
    fieldRef:
      fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']
"""
_ENV_JOB_NAME = """\
- name: JOB_NAME                      # this run's Job: names its JOBDIR and its feed
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['batch.kubernetes.io/job-name']
"""
_DATA_PVC = """\
- name: data
  persistentVolumeClaim:
    claimName: ${name}-data
"""
_DATA_EMPTY = """\
- name: data                          # the pod's own; a ReadWriteMany claim keeps dead letters
  emptyDir: {}
"""
