"""Start, watch and stop Shopmate's processes: action servers, Rasa, the web app (and nginx in production).

Used by `make run` (bot.runner.serve) and by the end-to-end tests, so the tests exercise the
same start-up the user gets. Each child runs in its own process group and is stopped
with its children, so Ctrl-C leaves nothing running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from lifecycle.settings import MAX_BODY_BYTES, PROJECT_ROOT, Ports, Settings

__all__ = ["Ports", "Service", "Stack", "busy_ports", "embedded_services", "free_port", "free_ports"]


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: the sockets stay bound until all are chosen, so none repeats."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def busy_ports(wanted: list[tuple[str, int]]) -> list[int]:
    """The ports some other program already listens on. Checked before starting: a stack started
    over another one looked ready (the other's /health answered) while its own processes failed."""
    busy = []
    for host, port in wanted:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a TIME_WAIT leftover is no conflict
            try:
                sock.bind((host, port))
            except OSError:
                busy.append(port)
    return busy


@dataclass
class Service:
    name: str
    command: list[str]
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's environment
    process: subprocess.Popen[str] | None = None
    log: list[str] = field(default_factory=list)


LOCAL = "http://127.0.0.1"


def rasa_service(name: str, model: Path, settings: Settings, port: int, host: str,
                 endpoints: str = "endpoints.yml", credentials: str = "credentials.yml") -> Service:
    # bot.rasa.run adds Rasa's token in-process: on the command line every local user could read it.
    return Service(name, [sys.executable, "-m", "bot.rasa.run", "run", "--enable-api",
                          "--cors", *settings.shop_origins, "--model", str(model), "--endpoints", endpoints,
                          "--credentials", credentials, "--port", str(port), "--interface", host],
                   f"{LOCAL}:{port}/version")


def action_service(name: str, port: int) -> Service:
    return Service(name, [sys.executable, "-m", "actions.server"], f"{LOCAL}:{port}/health",
                   env={"SHOPMATE_ACTIONS_PORT": str(port)})


def web_service(host: str, port: int, behind_proxy: bool = False) -> Service:
    # Behind nginx the shopper's address comes from X-Forwarded-For (login throttling counts by it),
    # trusted from the local proxy only.
    proxy = ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"] if behind_proxy else ["--no-proxy-headers"]
    return Service("web", [sys.executable, "-m", "uvicorn", "bot.web.app:create_app", "--factory", "--ws", "none",
                           *proxy, "--host", host, "--port", str(port)], f"{LOCAL}:{port}/health",
                   env={"SHOPMATE_WEB_PORT": str(port)} if behind_proxy else {})


def embedded_services(model: Path, settings: Settings) -> list[Service]:
    """`make run`: one action server, one Rasa process, the web app."""
    ports = settings.ports
    return [action_service("actions", ports.actions),
            rasa_service("rasa", model, settings, ports.rasa, settings.bind_host),
            web_service(settings.bind_host, ports.web)]


class Stack:
    """The running processes; `start()` returns once each answers its ready URL."""

    def __init__(self, services: list[Service], env: dict[str, str], echo: IO[str] | None = sys.stdout) -> None:
        # The children inherit this process's environment (PATH, the settings) plus `env`.
        # Sanic (Rasa, the action server) reads SANIC_* variables into its config: a request body
        # over MAX_BODY_BYTES is refused with 413 before it is read.
        # Sanic's access log would print the query strings of the web app's calls (Rasa's token).
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1", "SANIC_REQUEST_MAX_SIZE": str(MAX_BODY_BYTES),
                    "SANIC_ACCESS_LOG": "false"}
        self.echo = echo
        self.services = services
        self.cancelled = threading.Event()  # Ctrl-C while waiting for a (re)start: stop waiting

    def cancel(self) -> None:
        self.cancelled.set()

    def start(self, timeout: float = 240.0) -> None:
        for service in self.services:
            self._say(f"[run] starting {service.name}: {service.ready_url.rsplit('/', 1)[0]}")
            self._spawn(service)
        for service in self.services:
            self._wait_ready(service, timeout)
            self._say(f"[run] {service.name} is ready")

    def _spawn(self, service: Service) -> None:
        service.process = subprocess.Popen(
            service.command, cwd=PROJECT_ROOT, env={**self.env, **service.env}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._pump, args=(service,), daemon=True).start()

    def restart(self, service: Service, timeout: float = 240.0) -> None:
        """Start a service that died again (its children too are gone first); raises if it cannot come back."""
        _signal_group(service, signal.SIGKILL)
        self._say(f"[run] restarting {service.name}")
        self._spawn(service)
        self._wait_ready(service, timeout)
        self._say(f"[run] {service.name} is ready again")

    def _pump(self, service: Service) -> None:
        assert service.process and service.process.stdout
        for line in service.process.stdout:
            service.log.append(line)
            del service.log[:-500]
            if self.echo:
                self.echo.write(f"{service.name:>9} | {line}")
                self.echo.flush()

    def _wait_ready(self, service: Service, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.cancelled.is_set():
                raise RuntimeError(f"stopped while waiting for {service.name}")
            assert service.process
            if service.process.poll() is not None:
                raise RuntimeError(f"{service.name} exited with code {service.process.returncode}:\n"
                                   + "".join(service.log[-40:]))
            try:
                if requests.get(service.ready_url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{service.name} not ready after {timeout:.0f} s:\n" + "".join(service.log[-40:]))

    def failed(self) -> Service | None:
        return next((s for s in self.services if s.process and s.process.poll() is not None), None)

    def stop(self, grace: float = 10.0) -> None:
        running = [s for s in self.services if s.process and s.process.poll() is None]
        for service in running:
            _signal_group(service, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in running:
            assert service.process
            try:
                service.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(service, signal.SIGKILL)
                service.process.wait()
        for service in self.services:  # children the leader left behind
            _signal_group(service, signal.SIGKILL)

    def _say(self, message: str) -> None:
        if self.echo:
            print(message, file=self.echo, flush=True)


def _signal_group(service: Service, sig: int) -> None:
    if service.process is None:
        return
    try:
        os.killpg(service.process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
