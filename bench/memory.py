"""Resident memory of the processes serving a port, read from /proc (Linux): no extra dependency.

    .venv/bin/python -m bench.memory                  # the running `make run`: actions, Rasa, web app

`bench.load` prints the same table after its rounds, with the stock bot's Rasa beside Shopmate's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lifecycle.settings import load_settings


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def pid_on(port: int) -> int | None:
    """The process listening on `port` (one that this user can see)."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(str(fd.readlink()) in inodes for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def table(ports: dict[str, int]) -> str:
    rows = ["| process | port | RSS |", "|---|---|---|"]
    for name, port in ports.items():
        pid = pid_on(port)
        rows.append(f"| {name} | {port} | {f'{rss_mb(pid):.0f} MB' if pid else 'not running'} |")
    return "\n".join(rows)


def main() -> int:
    ports = load_settings().ports
    print(table({"action server": ports.actions, "Rasa": ports.rasa, "web app": ports.web}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
