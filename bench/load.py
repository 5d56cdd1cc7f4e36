"""Load benchmark: closed-loop shoppers against the running Shopmate and Rasa's stock bot, side by side.

    .venv/bin/python -m bench.load                      # against `make run` on the default ports
    .venv/bin/python -m bench.load --shoppers 1,10,50 --seconds 30 --transport rest,socketio

Each shopper holds a realistic multi-turn shop conversation (a new conversation secret each
time through the script), sends a message, waits for the answer, sends the next: a closed
loop, so msg/s is what the server sustains at that concurrency. The baseline is Rasa's own
`rasa init` bot, trained once in a cache folder and run on a free port; rounds alternate
Shopmate and baseline (A B A B) so machine noise hits both. Prints msg/s, p50, p95 and
errors per round, and the ratio Shopmate / baseline. Not a test: a measurement.

Every shopper comes from 127.0.0.1 and types far faster than a person: start Shopmate with
`SHOPMATE_CHAT_PER_ADDRESS=1000000 SHOPMATE_CHAT_PER_CONVERSATION=1000 make run` for it, or the
chat limits (bot/rasa/chat_limits.py) answer most of the load with 429s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench import memory
from bot.runner.processes import free_port
from lifecycle.settings import load_settings

SCRIPT = (
    "hi", "how much is the lumo pro?", "is it in stock?", "compare it with the lumo hd",
    "how much is shipping to Poland?", "which payment methods can I use in Italy?", "what is your return policy?",
    "thanks, bye",
)
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shopmate" / "stock-bot"


@dataclass
class Round:
    target: str
    transport: str
    shoppers: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        return (f"{self.target:>9} {self.transport:>8} {self.shoppers:>3} shoppers: {self.rate:6.1f} msg/s  "
                f"p50 {self.percentile(0.5) * 1000:6.0f} ms  p95 {self.percentile(0.95) * 1000:6.0f} ms  "
                f"errors {self.errors}")


def rest_shopper(url: str, stop: float, result: Round, lock: threading.Lock,
                 script: tuple[str, ...] = SCRIPT) -> None:
    session = requests.Session()
    while time.monotonic() < stop:
        sender = secrets.token_hex(16)
        for text in script:
            if time.monotonic() >= stop:
                return
            started = time.monotonic()
            try:
                response = session.post(url, json={"sender": sender, "message": text}, timeout=30)
                ok = response.status_code == 200 and bool(response.json())
            except (requests.RequestException, ValueError):
                ok = False
            with lock:
                if ok:
                    result.latencies.append(time.monotonic() - started)
                else:
                    result.errors += 1


def socketio_shopper(base: str, stop: float, result: Round, lock: threading.Lock) -> None:
    import socketio

    while time.monotonic() < stop:
        sender = secrets.token_hex(16)
        answered = threading.Event()
        confirmed = threading.Event()
        client = socketio.Client(reconnection=False)
        client.on("session_confirm", lambda *_, event=confirmed: event.set())
        client.on("bot_uttered", lambda *_, event=answered: event.set())
        try:
            client.connect(base, transports=["websocket"], wait_timeout=10)
            client.emit("session_request", {"session_id": sender})
            if not confirmed.wait(10):
                raise TimeoutError("no session_confirm")
            for text in SCRIPT:
                if time.monotonic() >= stop:
                    break
                answered.clear()
                started = time.monotonic()
                client.emit("user_uttered", {"message": text, "session_id": sender})
                ok = answered.wait(30)  # the first bot message of the answer
                with lock:
                    if ok:
                        result.latencies.append(time.monotonic() - started)
                    else:
                        result.errors += 1
                time.sleep(0.05)  # let the rest of a multi-message answer arrive before the next turn
        except Exception:  # noqa: BLE001  (a refused connection is an error of the round, counted)
            with lock:
                result.errors += 1
            time.sleep(0.5)
        finally:
            client.disconnect()


def run_round(target: str, base: str, transport: str, shoppers: int, seconds: float,
              script: tuple[str, ...] = SCRIPT) -> Round:
    result = Round(target, transport, shoppers)
    lock = threading.Lock()
    started = time.monotonic()
    stop = started + seconds
    if transport == "rest":
        url = f"{base}/webhooks/rest/webhook"
        work = [threading.Thread(target=rest_shopper, args=(url, stop, result, lock, script))
                for _ in range(shoppers)]
    else:
        work = [threading.Thread(target=socketio_shopper, args=(base, stop, result, lock)) for _ in range(shoppers)]
    for thread in work:
        thread.start()
    for thread in work:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def stock_bot() -> Path:
    """Rasa's `rasa init` project with its trained model, made once and cached."""
    from importlib.metadata import version

    folder = CACHE / f"rasa-{version('rasa')}"
    if not list((folder / "models").glob("*.tar.gz")):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)  # `rasa init` wants the folder to exist
        print(f"[bench] training Rasa's stock bot once in {folder} (about 2 minutes)", flush=True)
        subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(folder)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                       cwd=tempfile.gettempdir())
    return folder


# `rasa init` leaves the socketio channel commented out; the comparison needs it, as the widget uses it.
STOCK_CREDENTIALS = """rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
"""


def start_stock_bot(folder: Path, port: int) -> subprocess.Popen[bytes]:
    (folder / "credentials-bench.yml").write_text(STOCK_CREDENTIALS, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--port", str(port), "--interface", "127.0.0.1",
         "--credentials", "credentials-bench.yml"],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("[bench] the stock bot did not start")


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default=f"http://127.0.0.1:{settings.ports.rasa}",
                        help="Shopmate's Rasa (default: the running `make run`); through nginx for run-prod")
    parser.add_argument("--shoppers", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=2, help="A B pairs per setting")
    parser.add_argument("--transport", default="rest,socketio")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    try:
        requests.get(args.target + "/", timeout=5)
    except requests.RequestException:
        print(f"[bench] nothing answers at {args.target}: start `make run` first", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped benchmark still stops the stock bot
    baseline = None
    if not args.no_baseline:
        port = free_port()
        baseline = start_stock_bot(stock_bot(), port)
        stock_url = f"http://127.0.0.1:{port}"
    try:
        print("| transport | shoppers | Shopmate msg/s | p50 | p95 | errors | stock msg/s | p50 | p95 | errors | "
              "ratio |\n|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
        for transport in args.transport.split(","):
            for shoppers in (int(n) for n in args.shoppers.split(",")):
                ours, theirs = [], []
                for _ in range(args.rounds):
                    ours.append(run_round("shopmate", args.target, transport, shoppers, args.seconds))
                    print("[bench]", ours[-1].line(), file=sys.stderr, flush=True)
                    if baseline is not None:
                        theirs.append(run_round("stock", stock_url, transport, shoppers, args.seconds))
                        print("[bench]", theirs[-1].line(), file=sys.stderr, flush=True)
                print(_row(transport, shoppers, ours, theirs), flush=True)
        shown: list[tuple[str, int | None]] = [(f"Shopmate {name}", pid) for name, pid in memory.shopmate_processes()]
        if baseline is not None:
            shown.append(("stock bot's Rasa", memory.pid_on(port)))
        print("\nMemory after the rounds:\n" + memory.table(shown), flush=True)
    finally:
        if baseline is not None:
            os.killpg(baseline.pid, signal.SIGTERM)
            baseline.wait(30)
    return 0


def _merge(rounds: list[Round]) -> Round:
    merged = Round(rounds[0].target, rounds[0].transport, rounds[0].shoppers)
    for r in rounds:
        merged.latencies += r.latencies
        merged.errors += r.errors
        merged.seconds += r.seconds
    return merged


def _row(transport: str, shoppers: int, ours: list[Round], theirs: list[Round]) -> str:
    a = _merge(ours)
    cells = [transport, str(shoppers), f"{a.rate:.1f}", f"{a.percentile(0.5) * 1000:.0f} ms",
             f"{a.percentile(0.95) * 1000:.0f} ms", str(a.errors)]
    if theirs:
        b = _merge(theirs)
        pairs = [x.rate / y.rate for x, y in zip(ours, theirs, strict=True) if y.rate]
        ratio = statistics.median(pairs) if pairs else float("nan")
        cells += [f"{b.rate:.1f}", f"{b.percentile(0.5) * 1000:.0f} ms", f"{b.percentile(0.95) * 1000:.0f} ms",
                  str(b.errors), f"{ratio:.2f}x"]
    else:
        cells += ["-"] * 5
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    sys.exit(main())
