"""A private production-shaped stack the drill owns: PostgreSQL, Redis, fake WeChat, gunicorn, RQ.

Everything runs on loopback on free ports under one temporary directory, so the drill can
kill and restart any piece without touching the shared PostgreSQL / Redis other people use.
Every process is started here and stopped here, by pid.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
# Every app chat the demo pushes into must exist on the fake, or appchat/send answers 86003.
DEMO_CHATS = ["chat-g1", "chat-g2", "chat-g3", "chat-g4", "chat-c1", "chat-c2", "chat-c3", "chat-s1", "chat-s2",
              "chat-water", "chat-urban", "chat-housing", "chat-civil", "chat-health", "chat-police"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path:
    """The newest PostgreSQL server binaries installed (Debian layout)."""
    base = Path("/usr/lib/postgresql")
    versions = sorted((p for p in base.iterdir() if (p / "bin" / "initdb").exists()),
                      key=lambda p: int(p.name) if p.name.isdigit() else 0) if base.exists() else []
    if not versions:
        found = shutil.which("initdb")
        if not found:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        return Path(found).parent
    return versions[-1] / "bin"


class PrivatePostgres:
    """A throwaway cluster. initdb refuses root, so as root it runs as the postgres user."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "pg"
        self.sock = workdir
        self.port = free_port()
        self.bin = pg_bin()
        self.log = workdir / "pg.log"
        self.as_user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/gridwhistle"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            import shlex

            cmd = ["su", self.as_user, "-s", "/bin/sh", "-c", " ".join(shlex.quote(c) for c in cmd)]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        if self.as_user:
            shutil.chown(self.sock, self.as_user)
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "gridwhistle")

    def _opts(self) -> str:
        # fsync off: a drill cluster, thrown away at the end; restarts stay fast.
        return (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir), "-o", self._opts(), "-l", str(self.log), "-w", "start")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir), "-o", self._opts(), "-l", str(self.log), "-m", "fast",
                  "-w", "restart")

    def stop_fast(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.dir), "-m", "immediate", "-w", "stop", check=False)


class PrivateRedis:
    """redis-server without persistence: a restart really loses everything."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "redis"
        self.dir.mkdir(exist_ok=True)
        self.port = free_port()
        self.pidfile = self.dir / "r.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--dir", str(self.dir),
                        "--pidfile", str(self.pidfile), "--logfile", str(self.dir / "redis.log")],
                       check=True, timeout=30)
        self._wait(True)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def _wait(self, up: bool) -> None:
        for _ in range(100):
            try:
                self.client().ping()
                alive = True
            except Exception:  # noqa: BLE001
                alive = False
            if alive == up:
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis did not {'start' if up else 'stop'}")

    def flush_and_stop(self) -> None:
        """FLUSHALL, then SHUTDOWN NOSAVE: the data is gone for good."""
        import redis

        c = self.client()
        c.flushall()
        try:
            c.shutdown(nosave=True)
        except redis.ConnectionError:
            pass
        self._wait(False)

    def stop(self) -> None:
        try:
            pid = int(self.pidfile.read_text())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


class Stack:
    """The whole product plus its fake API, started in order, torn down in reverse."""

    def __init__(self, web_workers: int = 2, rq_workers: int = 2, extra_env: dict | None = None,
                 keep: bool = False):
        self.workdir = Path(tempfile.mkdtemp(prefix="gw-drill-"))
        self.keep = keep
        self.web_workers = web_workers
        self.rq_count = rq_workers
        self.extra_env = extra_env or {}
        self.pg = PrivatePostgres(self.workdir)
        self.redis = PrivateRedis(self.workdir)
        self.fake_port = free_port()
        self.web_port = free_port()
        self.fake: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.echo: subprocess.Popen | None = None
        self._logs: list = []

    # -- addresses -------------------------------------------------------------------------
    @property
    def fake_url(self) -> str:
        return f"http://127.0.0.1:{self.fake_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict:
        return {
            **os.environ, "PYTHONUNBUFFERED": "1", "GRIDWHISTLE_ENV": "development",
            "DATABASE_URL": self.pg.url, "REDIS_URL": self.redis.url, "JOB_MODE": "rq",
            "WECOM_TOKEN": DEMO_TOKEN, "WECOM_AES_KEY": DEMO_AES_KEY, "WECOM_CORP_ID": DEMO_CORP_ID,
            "WECOM_API_BASE_URL": self.fake_url, "WECHAT_API_BASE_URL": self.fake_url,
            # Many senders share four grid chats; the per-chat limit would throttle the load itself.
            "FLOOD_PER_CHAT_PER_MINUTE": "0", "SWEEP_INTERVAL_SECONDS": "2",
            **self.extra_env,
        }

    def _log(self, name: str):
        # Logs go to files: a pipe nobody reads fills up and stalls the process.
        f = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 — closed in stop()
        self._logs.append(f)
        return f

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Stack:
        self.pg.init()
        self.redis.start()
        self.start_fake()
        self.prepare_database()
        self.start_web()
        for _ in range(self.rq_count):
            self.workers.append(self.start_worker())
        return self

    def start_fake(self) -> None:
        members = [f"--chat={c}=owner,member" for c in DEMO_CHATS]
        self.fake = subprocess.Popen([sys.executable, "-m", "drill.fakeapi", "--port", str(self.fake_port), *members],
                                     cwd=ROOT, stdout=self._log("fake"), stderr=subprocess.STDOUT)
        wait_http(self.fake_url + "/_fake/stats", self.fake)

    def prepare_database(self) -> None:
        flask = [sys.executable, "-m", "flask", "--app", "bot.app:create_app()"]
        for cmd in ("init-db", "seed-demo"):
            done = subprocess.run(flask + [cmd], cwd=ROOT, env=self.env(), capture_output=True, text=True,
                                  timeout=180)
            if done.returncode != 0:
                raise RuntimeError(f"{cmd} failed: {done.stderr[-2000:]}")

    def start_web(self) -> None:
        self.web = start_gunicorn("bot.wsgi:create_web_app()", self.web_port, self.env(), self.web_workers,
                                  self._log("web"))

    def start_worker(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "bot.worker"], cwd=ROOT, env=self.env(),
                                stdout=self._log("worker"), stderr=subprocess.STDOUT)

    def start_echo(self, port: int) -> None:
        self.echo = start_gunicorn("bench.echo_app:create_echo_app()", port, self.env(), self.web_workers,
                                   self._log("echo"))

    def stop_echo(self) -> None:
        if self.echo is not None:
            terminate(self.echo)
            self.echo = None

    def kill9_worker(self, index: int = 0) -> int:
        """kill -9 one RQ worker (no cleanup at all) and start a replacement, as a supervisor would."""
        proc = self.workers[index]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        return proc.pid

    def replace_worker(self, index: int) -> None:
        self.workers[index] = self.start_worker()

    def web_children(self) -> list[int]:
        return children(self.web.pid) if self.web else []

    def stop(self) -> None:
        for proc in [*self.workers, self.web, self.echo, self.fake]:
            if proc is not None:
                terminate(proc)
        self.redis.stop()
        self.pg.stop()
        for f in self._logs:
            f.close()
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Stack:
        try:
            return self.start()
        except BaseException:
            self.keep = True  # keep the logs of a failed start
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def start_gunicorn(target: str, port: int, env: dict, workers: int, logfile, threads: int = 4) -> subprocess.Popen:
    # The Procfile's worker model (gthread), so the drill breaks what production runs.
    cmd = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(workers),
           "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5",
           "--log-level", "warning", target]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    wait_http(f"http://127.0.0.1:{port}/healthz" if "echo" not in target else f"http://127.0.0.1:{port}/",
              proc, any_status=True)
    return proc


def wait_http(url: str, proc: subprocess.Popen, any_status: bool = False, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.args} exited with {proc.returncode}")
        try:
            r = requests.get(url, timeout=1)
            if any_status or r.ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def terminate(proc: subprocess.Popen, grace: float = 10) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
