"""Redis from Debian's package, run in a project folder: Rasa's lock store and socket.io's manager.

Listens on 127.0.0.1 only and requires a password, written into a config file only its
owner can read (a password on the command line would show in `ps`). Nothing it holds
needs to survive a restart (locks, socket.io's pub/sub), so it saves nothing to disk.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis


class RedisError(RuntimeError):
    """The local Redis could not start; the message says what to do."""


class LocalRedis:
    def __init__(self, folder: Path, port: int, password: str) -> None:
        self.folder = folder.resolve()
        self.port = port
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{database}"

    def start(self, seconds: float = 20) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RedisError("redis-server is not installed: run 'sudo apt-get install redis-server'")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "redis.conf"
        config.write_text(f"port {self.port}\nbind 127.0.0.1\nprotected-mode yes\nrequirepass {self.password}\n"
                          f"dir {self.folder}\nsave \"\"\nappendonly no\nlogfile {self.folder / 'redis.log'}\n",
                          encoding="utf-8")
        config.chmod(0o600)
        self.process = subprocess.Popen([server, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2)
        deadline = time.monotonic() + seconds
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RedisError(f"redis-server did not start on port {self.port}; see "
                                     f"{self.folder / 'redis.log'}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
