"""Resident memory of the processes serving a port, read from /proc (Linux): no extra dependency.

    .venv/bin/python -m bench.memory    # the running `make run` or `make run-prod`: every action server, Rasa, web app

`bench.load` prints the same table after its rounds, with the stock bot's Rasa beside Shopmate's.
"""

from __future__ import annotations

import sys
from pathlib import Path


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


def usage_mb(pid: int) -> dict[str, float]:
    """RSS, PSS, private (USS) and anonymous memory in MB. RSS counts every shared library page the
    process has touched, so N processes that share TensorFlow's libraries do not need N times their
    RSS: PSS splits shared pages between their users, and private memory is what one more process
    adds. Anonymous memory is what the process allocated itself; the rest are pages of files (the
    libraries), reclaimable, and their count depends on the page cache: the same Rasa process showed
    668 MB of RSS from one virtualenv and 832 MB from a freshly installed copy, with 364 MB of
    anonymous memory in both."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields.get("Rss", 0.0), "pss": fields.get("Pss", 0.0),
            "private": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
            "anonymous": fields.get("Anonymous", 0.0)}


# What each of Shopmate's processes runs (`bot.runner.processes`): found by command line, so the
# production profile's several Rasa processes and action servers on internal ports are all listed.
COMMANDS = {"action server": "-m actions.server", "Rasa": "-m bot.rasa.run", "web app": "bot.web.app:create_app"}


def shopmate_processes() -> list[tuple[str, int]]:
    """(name, pid) of every running Shopmate process this user can see, in COMMANDS' order."""
    found: list[tuple[str, int]] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.extend((name, int(proc.name)) for name, marker in COMMANDS.items() if marker in command)
    order = list(COMMANDS)
    return sorted(found, key=lambda item: (order.index(item[0]), item[1]))


def table(processes: list[tuple[str, int | None]]) -> str:
    rows = ["| process | pid | RSS | PSS | private | anonymous |", "|---|---|---|---|---|---|"]
    for name, pid in processes:
        if pid is None:
            rows.append(f"| {name} | | not running | | | |")
            continue
        try:
            used = usage_mb(pid)
        except OSError:  # it ended while being read
            rows.append(f"| {name} | {pid} | ended | | | |")
            continue
        rows.append(f"| {name} | {pid} | " + " | ".join(f"{used[k]:.0f} MB" for k in ("rss", "pss", "private",
                                                                                   "anonymous")) + " |")
    return "\n".join(rows)


def main() -> int:
    processes = shopmate_processes()
    if not processes:
        print("no Shopmate process is running: start `make run` (or `make run-prod`) first", file=sys.stderr)
        return 1
    print(table([(name, pid) for name, pid in processes]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
