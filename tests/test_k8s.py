"""deploy/k8s and ``ascrapy k8s``: manifests that kubernetes-validate --strict accepts, whose
numbers agree with each other (drain, grace period, memory, exit codes), and that the command
writes exactly as they are checked in."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ascrapy.cli.exit_codes import ExitCode
from tests.cli_helpers import Cli, cli  # noqa: F401 - fixture
from tests.sites import EXAMPLES_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent
K8S_DIR = REPO_ROOT / "deploy" / "k8s"
RESOURCES = ("configmap.yaml", "pvc.yaml", "job.yaml", "indexed-job.yaml", "cronjob.yaml", "secret.example.yaml")
# How deploy/k8s was made (the forum project's threads spider; see the README).
DEPLOY_COMMAND = ("k8s", "threads", "--image", "forum-crawler:0.1.0", "-a", "base_url=http://forum:8000")
KUBERNETES_VALIDATE = Path(sys.executable).parent / "kubernetes-validate"


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KUBERNETES_VALIDATE), "--strict", *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)


def load(name: str, folder: Path = K8S_DIR) -> dict[str, Any]:
    return yaml.safe_load((folder / name).read_text())


def pod_spec(resource: dict[str, Any]) -> dict[str, Any]:
    spec = resource["spec"]
    job = spec["jobTemplate"]["spec"] if resource["kind"] == "CronJob" else spec
    return job["template"]["spec"]


def crawler(resource: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod_spec(resource)["containers"]
    return container


def test_the_checked_in_manifests_validate_strictly() -> None:
    done = validate(*(K8S_DIR / name for name in RESOURCES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" passed for resource ") == len(RESOURCES)


def test_strict_validation_refuses_an_unknown_field(tmp_path: Path) -> None:
    broken = tmp_path / "job.yaml"
    job = (K8S_DIR / "job.yaml").read_text()
    broken.write_text(job.replace("  backoffLimit: 4", "  backoffLimit: 4\n  retries: 4"))
    assert validate(broken).returncode != 0


def test_the_command_writes_what_is_checked_in(cli: Cli, tmp_path: Path) -> None:
    project = tmp_path / "forum"
    shutil.copytree(EXAMPLES_DIR / "scrapy_project", project, ignore=shutil.ignore_patterns("__pycache__"))
    done = cli(*DEPLOY_COMMAND, "-d", str(tmp_path / "out"), cwd=project)
    assert done.returncode == 0, done.stderr
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted(path.name for path in K8S_DIR.iterdir())
    for name in written:
        assert (tmp_path / "out" / name).read_text() == (K8S_DIR / name).read_text(), name


def test_the_job_resumes_from_a_volume_and_appends_its_feed() -> None:
    job = load("job.yaml")
    args = crawler(job)["args"]
    assert args[:4] == ["crawl", "threads", "-a", "base_url=http://forum:8000"]
    assert "JOBDIR=/data/jobs/threads" in args and "-o" in args and "-O" not in args
    mounts = {mount["name"]: mount["mountPath"] for mount in crawler(job)["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod_spec(job)["volumes"]}
    assert mounts["data"] == "/data"
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] == load("pvc.yaml")["metadata"]["name"]
    assert pod_spec(job)["restartPolicy"] == "Never"


def test_the_drain_fits_in_the_grace_period() -> None:
    settings = load("configmap.yaml")["data"]
    for name in ("job.yaml", "indexed-job.yaml", "cronjob.yaml"):
        spec = pod_spec(load(name))
        grace = spec["terminationGracePeriodSeconds"]
        drain = float(settings["ASCRAPY_SHUTDOWN_TIMEOUT"])
        assert float(settings["ASCRAPY_DOWNLOAD_TIMEOUT"]) < drain
        assert drain + 10 <= grace, name  # the close (stats, store commit) runs after the drain


def test_settings_come_from_the_configmap_and_secrets_from_the_secret() -> None:
    settings = load("configmap.yaml")["data"]
    assert settings["ASCRAPY_STRICT_EXIT"] == "true" and settings["ASCRAPY_LOG_JSON"] == "true"
    assert all(key.startswith("ASCRAPY_") and isinstance(value, str) for key, value in settings.items())
    secret_keys = set(load("secret.example.yaml")["stringData"])
    for name, required in (("job.yaml", set()), ("cronjob.yaml", set()), ("indexed-job.yaml", {"ASCRAPY_REDIS_URL"})):
        container = crawler(load(name))
        assert container["envFrom"] == [{"configMapRef": {"name": load("configmap.yaml")["metadata"]["name"]}}]
        from_secret = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]
                       if "secretKeyRef" in e.get("valueFrom", {})}
        assert {ref["key"] for ref in from_secret.values()} <= secret_keys
        assert "ASCRAPY_MONGO_URI" in from_secret
        assert required <= {n for n, ref in from_secret.items() if not ref.get("optional")}


def test_the_indexed_job_shares_one_redis_frontier() -> None:
    job = load("indexed-job.yaml")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed" and spec["parallelism"] == spec["completions"] == 4
    assert "SCHEDULER=ascrapy.redis.Scheduler" in crawler(job)["args"]
    assert not [v for v in pod_spec(job)["volumes"] if "persistentVolumeClaim" in v]  # no RWO claim for N pods


def test_the_cronjob_gives_each_run_its_own_jobdir_and_never_overlaps() -> None:
    cron = load("cronjob.yaml")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    args = crawler(cron)["args"]
    assert "JOBDIR=/data/jobs/$(JOB_NAME)" in args
    env = {e["name"]: e for e in crawler(cron)["env"]}
    assert env["JOB_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.labels['batch.kubernetes.io/job-name']"


def test_probes_metrics_and_exit_codes_agree_with_the_crawler() -> None:
    settings = load("configmap.yaml")["data"]
    port = int(settings["ASCRAPY_METRICS_PORT"])
    # What a rerun would not mend fails the Job; CRAWL_FAILED (a full disk, Redis lost) and
    # the signals are retried, and a retry resumes.
    strict_failures = sorted(int(code) for code in ExitCode if 0 < code < 128 and code != ExitCode.CRAWL_FAILED)
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    image_user = re.findall(r"^USER (\d+):(\d+)$", dockerfile, re.M)[-1]
    for name in ("job.yaml", "indexed-job.yaml", "cronjob.yaml"):
        resource = load(name)
        container = crawler(resource)
        assert container["ports"] == [{"name": "metrics", "containerPort": port}]
        for probe in ("startupProbe", "livenessProbe"):
            assert container[probe]["httpGet"] == {"path": "/healthz", "port": "metrics"}
        template = (resource["spec"]["jobTemplate"]["spec"] if resource["kind"] == "CronJob" else resource["spec"])
        assert template["template"]["metadata"]["annotations"]["prometheus.io/port"] == str(port)
        (fail_rule, _) = template["podFailurePolicy"]["rules"]
        assert fail_rule["onExitCodes"]["values"] == strict_failures
        security = pod_spec(resource)["securityContext"]
        assert (str(security["runAsUser"]), str(security["runAsGroup"])) == image_user
        limit_mb = int(container["resources"]["limits"]["memory"].removesuffix("Mi"))
        assert int(settings["ASCRAPY_MEMUSAGE_LIMIT_MB"]) < limit_mb


def test_the_grafana_dashboard_parses_and_reads_ascrapy_metrics() -> None:
    dashboard = json.loads((REPO_ROOT / "deploy" / "grafana" / "ascrapy-dashboard.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert len(expressions) >= 10 and all("ascrapy_" in expr for expr in expressions)


def test_the_command_in_a_project(cli: Cli, tmp_path: Path) -> None:
    project = tmp_path / "bookstore"
    shutil.copytree(EXAMPLES_DIR / "spiders", project, ignore=shutil.ignore_patterns("__pycache__"))
    done = cli("k8s", "quotes_json", "--parallelism", "8", "--processes", "3", "--schedule", "*/30 * * * *",
               cwd=project)
    assert done.returncode == 0, done.stderr
    folder = project / "k8s" / "quotes-json"  # a name Kubernetes accepts
    assert validate(*(folder / name for name in RESOURCES)).returncode == 0
    indexed = load("indexed-job.yaml", folder)
    assert indexed["metadata"]["name"] == "quotes-json-distributed" and indexed["spec"]["completions"] == 8
    assert crawler(indexed)["args"][:2] == ["crawl", "quotes_json"]  # the spider keeps its name
    assert crawler(indexed)["args"][-2:] == ["--processes", "3"]
    assert crawler(indexed)["image"] == "bookstore:latest"  # from BOT_NAME
    assert load("cronjob.yaml", folder)["spec"]["schedule"] == "*/30 * * * *"
    again = cli("k8s", "quotes_json", cwd=project)
    assert again.returncode == 1 and "--force" in again.stderr
    assert cli("k8s", "quotes_json", "--force", cwd=project).returncode == 0
    missing = cli("k8s", "nope", cwd=project)
    assert missing.returncode == 1 and "Spider not found: nope" in missing.stderr


def test_the_command_prints_one_stream_to_apply(cli: Cli, tmp_path: Path) -> None:
    done = cli("k8s", "books", "--image", "registry.example.com/books:1", "-d", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    documents = list(yaml.safe_load_all(done.stdout))
    assert [d["kind"] for d in documents] == ["ConfigMap", "PersistentVolumeClaim", "Job", "Job", "CronJob"]
    stream = tmp_path / "all.yaml"
    stream.write_text(done.stdout)
    assert validate(stream).returncode == 0
    assert not (tmp_path / "k8s").exists()


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="no kubectl client")
def test_the_kustomize_base_builds() -> None:
    done = subprocess.run(["kubectl", "kustomize", str(K8S_DIR)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert [d["kind"] for d in yaml.safe_load_all(done.stdout)] == ["ConfigMap", "PersistentVolumeClaim", "Job"]
