"""The container image, reproduced without a Docker engine: the build context the Dockerfile
copies (as .dockerignore lets it through), the wheels built by the same script, installed by
the same script into a fresh virtual environment, and the entrypoint run there, with the
image's environment, on a mounted Scrapy project and on a project image's requirements.

The wheels and the environment are made once per session; pip's cache makes the install a
matter of seconds after the first run.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.process_helpers import WAIT, HeldSite, LineReader, free_port
from tests.sites import EXAMPLES_DIR, load_example, serve_app_in_thread

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCKER_DIR = REPO_ROOT / "deploy" / "docker"
INSTALL_TIMEOUT = 600
FORUM_THREADS = 11  # what the threads spider of examples/scrapy_project scrapes from the forum


def dockerfile_instructions(name: str) -> list[list[str]]:
    """The arguments of every ``name`` instruction of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (REPO_ROOT / "Dockerfile").read_text())
    return [line.split()[1:] for line in text.splitlines() if line.split()[:1] == [name]]


def context_sources() -> list[str]:
    """What the Dockerfile copies from the build context (not from another stage)."""
    sources: list[str] = []
    for args in dockerfile_instructions("COPY"):
        if not any(arg.startswith("--from") for arg in args):
            sources.extend(arg for arg in args[:-1] if not arg.startswith("--"))
    return sources


def image_environment() -> dict[str, str]:
    """The ENV of the image's last stage, with PATH left to the caller."""
    env: dict[str, str] = {}
    last = dockerfile_instructions("ENV")[-1]
    for assignment in last:
        name, _, value = assignment.partition("=")
        env[name] = value
    env.pop("PATH")
    env.pop("VIRTUAL_ENV")
    return env


def ignored_by_dockerignore(path: str) -> bool:
    """Docker's rule: the last matching line wins; ``!`` lines bring a path back."""
    ignored = False
    for line in (REPO_ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").rstrip("/")
        parts = Path(path).parts
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if pattern == "**" or any(fnmatch.fnmatch(p, pattern) for p in prefixes) or (
            pattern.startswith("**/") and any(fnmatch.fnmatch(part, pattern[3:]) for part in parts)
        ):
            ignored = not negate
    return ignored


def test_the_build_context_is_what_the_dockerfile_copies() -> None:
    sources = context_sources()
    assert {"pyproject.toml", "README.md", "ascrapy", "compat", "deploy/docker/entrypoint.sh"} <= set(sources)
    assert not [source for source in sources if ignored_by_dockerignore(source)]
    for heavy in (".venv/lib/site.py", ".git/HEAD", "build/lib/x.py", "bench/results/crawl.json",
                  "tests/test_image.py", "ascrapy/__pycache__/x.pyc", "ascrapy.egg-info/PKG-INFO"):
        assert ignored_by_dockerignore(heavy), heavy


def test_the_image_runs_as_an_unprivileged_user_with_the_crawler_as_pid_1() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert dockerfile_instructions("USER")[-1] == ["10001:10001"]
    assert dockerfile_instructions("ENTRYPOINT")[-1] == ['["ascrapy-entrypoint"]']  # exec form: no shell
    assert "exec \"$@\"" in (DOCKER_DIR / "entrypoint.sh").read_text()
    assert "FROM ${PYTHON_IMAGE}" in dockerfile and "python:3.11-slim" in dockerfile


def _copy_context(target: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for source in context_sources():
        origin = REPO_ROOT / source
        destination = target / source
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination, ignore=skip)
        else:
            shutil.copy2(origin, destination)


@pytest.fixture(scope="session")
def image(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheels and the environment the Dockerfile would make, made by its scripts."""
    base = tmp_path_factory.mktemp("image")
    context, wheels, venv = base / "context", base / "wheels", base / "venv"
    _copy_context(context)
    scripts_env = {**os.environ, "PYTHON": sys.executable}
    scripts_env.pop("PYTHONPATH", None)
    subprocess.run(["sh", str(context / "deploy/docker/build-wheels.sh"), str(context), str(wheels)],
                   env=scripts_env, check=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    subprocess.run(["sh", str(context / "deploy/docker/install-ascrapy.sh"), str(wheels), str(venv)],
                   env=scripts_env, check=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    return {"context": context, "wheels": wheels, "venv": venv, "home": base / "home"}


def in_image(image: dict[str, Path], **extra: str) -> dict[str, str]:
    """The environment of a process in the image: its ENV, its PATH, nothing of this checkout."""
    image["home"].mkdir(exist_ok=True)
    env = {
        **image_environment(),
        "PATH": f"{image['venv'] / 'bin'}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(image["home"]),
        "LANG": "C.UTF-8",
        "ASCRAPY_METRICS_HOST": "127.0.0.1",  # the image listens on every address; tests on loopback
        "ASCRAPY_REMOTE_CONTROL_JOBS_DIR": str(image["home"] / "jobs"),
    }
    env.update(extra)
    return env


def entrypoint(image: dict[str, Path], *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(image["context"] / "deploy/docker/entrypoint.sh"), *args], cwd=cwd,
                          env=in_image(image, **env), capture_output=True, text=True, timeout=WAIT * 2)


def test_the_wheels_hold_both_distributions(image: dict[str, Path]) -> None:
    names = sorted(path.name for path in image["wheels"].glob("*.whl"))
    assert [name.split("-")[0] for name in names] == ["ascrapy", "scrapy"]
    assert "+ascrapy." in names[1]  # compat's distribution: Scrapy's name, a local version
    site_packages = next((image["venv"] / "lib").glob("python*/site-packages"))
    assert (site_packages / "scrapy" / "__init__.py").exists()
    assert (site_packages / "ascrapy" / "templates").is_dir()
    assert (site_packages / "prometheus_client").is_dir()  # the metrics extra
    assert (site_packages / "pymongo").is_dir()  # the mongo extra
    assert (site_packages / "aiokafka").is_dir()  # the kafka extra
    assert not (image["venv"] / "lib" / "scrapy").exists()


def test_a_mounted_scrapy_project_runs_unchanged(image: dict[str, Path], tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES_DIR / "scrapy_project", project, ignore=shutil.ignore_patterns("__pycache__"))
    forum = load_example("scrapy_site/app.py")
    with serve_app_in_thread(forum.make_app()) as base:
        threads = entrypoint(image, "crawl", "threads", "-a", f"base_url={base}", "-O", "threads.jsonl",
                             "--strict", cwd=project, ASCRAPY_LOG_JSON="true")
        members = entrypoint(image, "scrapy", "crawl", "members", "-a", f"base_url={base}",
                             "-O", "members.jsonl", cwd=project)
    assert threads.returncode == 0, threads.stderr[-3000:]
    assert len((project / "threads.jsonl").read_text().splitlines()) == FORUM_THREADS
    assert all(json.loads(line)["level"] for line in threads.stderr.splitlines())
    assert members.returncode == 0, members.stderr[-3000:]
    assert len((project / "members.jsonl").read_text().splitlines()) == 6
    assert str(image["venv"]) in entrypoint(image, "python", "-c", "import scrapy; print(scrapy.__file__)",
                                            cwd=project).stdout


def test_without_a_project_the_entrypoint_says_how_to_bring_one(image: dict[str, Path], tmp_path: Path) -> None:
    done = entrypoint(image, "crawl", "threads", cwd=tmp_path)
    assert done.returncode == 2
    assert "No project in" in done.stderr and "project.Dockerfile" in done.stderr
    assert entrypoint(image, cwd=tmp_path).returncode == 0  # no arguments: the list of commands
    assert entrypoint(image, "version", cwd=tmp_path).stdout.startswith("ascrapy ")


def test_a_project_image_installs_its_requirements_but_never_scrapy(image: dict[str, Path], tmp_path: Path) -> None:
    requirements = EXAMPLES_DIR / "scrapy_project" / "requirements.txt"  # it names scrapy
    python = str(image["venv"] / "bin" / "python")
    done = subprocess.run(["sh", str(image["context"] / "deploy/docker/install-requirements.sh"), str(requirements)],
                          env=in_image(image, PYTHON=python), capture_output=True, text=True,
                          timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "leaving out scrapy>=2.11" in done.stderr
    check = subprocess.run(
        [python, "-c", "import importlib.metadata as m, scrapy, ascrapy\n"
         "assert scrapy.Spider is ascrapy.Spider\n"
         "print(sorted(d.metadata['Name'] for d in m.distributions() if 'scrapy' in d.metadata['Name'].lower()))"],
        env=in_image(image), cwd=tmp_path, capture_output=True, text=True, timeout=WAIT, check=True,
    )
    assert check.stdout.strip() == "['ascrapy', 'scrapy']"


SIGNAL_SPIDER = """
import os

import scrapy


class Held(scrapy.Spider):
    name = "held"

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]
        self.logger.info("crawler pid %d", os.getpid())

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="a")
"""


def _can_make_pid_namespaces() -> bool:
    try:
        return subprocess.run(["unshare", "--pid", "--fork", "true"], capture_output=True, timeout=WAIT).returncode == 0
    except FileNotFoundError:
        return False


def _only_child(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.mark.skipif(not _can_make_pid_namespaces(), reason="no PID namespaces here (unshare)")
def test_sigterm_to_pid_1_drains_within_the_grace_period(image: dict[str, Path], tmp_path: Path) -> None:
    """As in a container: the entrypoint execs the crawler, which is PID 1 of its namespace,
    and the signal comes from outside it, as the runtime sends it."""
    (tmp_path / "held.py").write_text(SIGNAL_SPIDER)
    site = HeldSite(count=2)
    with site.serve() as base:
        outer = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--kill-child", "sh", str(image["context"] / "deploy/docker/entrypoint.sh"),
             "runspider", "held.py", "-a", f"base={base}", "-o", "items.jsonl", "--strict", "-L", "INFO"],
            cwd=tmp_path, env=in_image(image), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        assert outer.stderr is not None
        log = LineReader(outer.stderr)
        try:
            log.wait_for(r"crawler pid 1$")
            assert site.wait_arrivals(2)
            os.kill(_only_child(outer.pid), signal.SIGTERM)
            log.wait_for("Received SIGTERM, shutting down gracefully")
            site.release()
            assert outer.wait(grace_period()) == 143
        finally:
            if outer.poll() is None:
                outer.kill()
    assert "Exiting with code 143 (SIGTERM, STRICT_EXIT)" in log.rest()
    assert len((tmp_path / "items.jsonl").read_text().splitlines()) == 3  # "/" and both pages in flight


def grace_period() -> float:
    """terminationGracePeriodSeconds of the Job manifest: the drain has to fit in it."""
    job = (REPO_ROOT / "deploy" / "k8s" / "job.yaml").read_text()
    found = re.search(r"terminationGracePeriodSeconds: (\d+)", job)
    assert found is not None
    return float(found.group(1))


def test_the_job_manifest_runs_in_the_image(image: dict[str, Path], tmp_path: Path) -> None:
    """The Job's args and its ConfigMap's settings, run by the entrypoint on the forum project:
    JSON logs, strict exit, the feed and JOBDIR on the data volume, metrics until a last scrape."""
    k8s = REPO_ROOT / "deploy" / "k8s"
    job = yaml.safe_load((k8s / "job.yaml").read_text())
    settings = yaml.safe_load((k8s / "configmap.yaml").read_text())["data"]
    data = tmp_path / "data"
    port = free_port()
    settings = {name: value.replace("/data/", f"{data}/") for name, value in settings.items()}
    settings["ASCRAPY_METRICS_PORT"] = str(port)
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES_DIR / "scrapy_project", project, ignore=shutil.ignore_patterns("__pycache__"))
    forum = load_example("scrapy_site/app.py")
    with serve_app_in_thread(forum.make_app()) as base:
        (container,) = job["spec"]["template"]["spec"]["containers"]
        args = [arg.replace("http://forum:8000", base).replace("/data/", f"{data}/") for arg in container["args"]]
        process = subprocess.Popen(["sh", str(image["context"] / "deploy/docker/entrypoint.sh"), *args],
                                   cwd=project, env=in_image(image, **settings), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        log = LineReader(process.stderr)
        try:
            log.wait_for('"message": "Spider closed \\(finished\\)"')
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=WAIT) as answer:  # noqa: S310
                metrics = answer.read().decode()
            assert process.wait(WAIT) == 0
        finally:
            if process.poll() is None:
                process.kill()
    records = [json.loads(line) for line in log.rest().splitlines()]
    stats = next(r["stats"] for r in records if "stats" in r)
    pages = next(f for f in text_string_to_metric_families(metrics) if f.name == "ascrapy_pages").samples[0].value
    assert pages == stats["response_received_count"] > 0
    assert len((data / "items" / "threads.jsonl").read_text().splitlines()) == FORUM_THREADS
    assert (data / "jobs" / "threads").is_dir()
