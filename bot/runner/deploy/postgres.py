"""PostgreSQL from Debian's package, run in a project folder with no system service.

`make run-prod` and the tests that claim PostgreSQL start a real server this way: a
cluster made once by `initdb` in the folder, started and stopped with `pg_ctl`, listening
on 127.0.0.1 only, with password (SCRAM) logins. `initdb` refuses to run as root, so when
this process is root the server's commands run as the `postgres` user the package creates.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from psycopg2 import sql

SUPERUSER = "postgres"


class PostgresError(RuntimeError):
    """The local PostgreSQL could not be set up or started; the message says what to do."""


def server_bin() -> Path:
    """The newest PostgreSQL installed from Debian's packages (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise PostgresError("PostgreSQL's server is not installed: run 'sudo apt-get install postgresql'")
    return found[-1].parent


@dataclass(frozen=True)
class Login:
    user: str
    password: str
    port: int
    host: str = "127.0.0.1"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@{self.host}:{self.port}/{database}"


class LocalPostgres:
    def __init__(self, folder: Path, port: int, superuser_password: str) -> None:
        self.folder = folder.resolve()
        self.data = self.folder / "data"
        self.sockets = self.folder / "run"
        self.log = self.folder / "server.log"
        self.port = port
        self.admin = Login(SUPERUSER, superuser_password, port)
        self.bin = server_bin()
        self._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self._owner else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, cwd="/")

    def _owned(self, path: Path, mode: int) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self._owner:
            os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
        path.chmod(mode)

    def initialise(self) -> None:
        """Make the cluster once; the superuser's password is set from the start (no trust logins)."""
        if (self.data / "PG_VERSION").exists():
            return
        self._owned(self.folder, 0o755)
        self._owned(self.data, 0o700)
        self._owned(self.sockets, 0o755)
        password_file = self.folder / "initial-password"
        password_file.write_text(self.admin.password, encoding="utf-8")
        password_file.chmod(0o600)
        if self._owner:
            os.chown(password_file, self._owner.pw_uid, self._owner.pw_gid)
        try:
            done = self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8",
                             "--locale=C.UTF-8", "--auth=scram-sha-256", f"--pwfile={password_file}")
        finally:
            password_file.unlink(missing_ok=True)
        if done.returncode != 0:
            shutil.rmtree(self.data, ignore_errors=True)
            raise PostgresError(f"initdb failed in {self.data}:\n{done.stderr.strip()}")

    def start(self) -> None:
        self.initialise()
        if self.running():
            return
        options = f"-p {self.port} -h 127.0.0.1 -k {self.sockets}"
        done = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                         "-w", "-t", "60", "start")
        if done.returncode != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresError(f"PostgreSQL did not start on port {self.port}:\n{done.stderr.strip()}\n{tail}")
        self._wait_for_logins()

    def stop(self) -> None:
        if self.running():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "status").returncode == 0

    def _wait_for_logins(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                psycopg2.connect(**self._dsn("postgres")).close()
                return
            except psycopg2.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresError(f"PostgreSQL on port {self.port} refuses logins: {error}") from None
                time.sleep(0.2)

    def _dsn(self, database: str) -> dict[str, object]:
        return {"host": self.admin.host, "port": self.port, "user": SUPERUSER, "password": self.admin.password,
                "dbname": database, "connect_timeout": 5}

    def ensure_databases(self, owner: str, password: str, databases: list[str]) -> Login:
        """The application's role (not a superuser) and its databases, made when missing."""
        connection = psycopg2.connect(**self._dsn("postgres"))
        connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,))
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                cursor.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(owner)),
                               (password,))
                for database in databases:
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
                    if cursor.fetchone() is None:
                        cursor.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(database), sql.Identifier(owner)))
        finally:
            connection.close()
        return Login(owner, password, self.port)


@contextmanager
def scratch(folder: Path, port: int, database: str = "scratch") -> Iterator[str]:
    """A throwaway PostgreSQL in `folder` with one empty database: its URL, and the server stopped after.
    For the tests and benchmarks that claim PostgreSQL (never a mock)."""
    folder.mkdir(parents=True, exist_ok=True)
    for parent in (folder, *folder.parents):  # the server's own user must reach its folder
        if parent != Path(parent.anchor) and parent.stat().st_mode & 0o005 != 0o005:
            parent.chmod(parent.stat().st_mode | 0o005)
    server = LocalPostgres(folder / "postgres", port, secrets.token_urlsafe(16))
    server.start()
    try:
        yield server.ensure_databases("scratch", secrets.token_urlsafe(16), [database]).url(database)
    finally:
        server.stop()
