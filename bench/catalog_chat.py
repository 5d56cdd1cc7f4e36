"""Benchmark: chat throughput with a 10,000-product catalog against the demo catalog, same run.

    .venv/bin/python -m bench.catalog_chat [--products 10000] [--seconds 25] [--shoppers 10]

Starts the whole assistant (`python -m bot.runner.serve`, free ports, a throwaway var folder)
on the Northpeak demo shop, measures closed-loop REST shoppers against it and against Rasa's
stock bot (bench/load.py), stops it, then does the same with Northpeak's export plus 10,000
generated products (bench/catalog.py's generator). Machine speed drifts over minutes, so each
catalog is compared with the stock bot measured beside it, and the printed ratio is
(big / stock) / (demo / stock): issue 22's goal is >= 0.9. Needs the trained model `make run`
caches; takes about 6 minutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.catalog import generate
from bench.load import Round, run_round, start_stock_bot, stock_bot
from bot.runner.processes import free_port
from lifecycle.settings import PROJECT_ROOT

NORTHPEAK = PROJECT_ROOT / "data" / "shops" / "northpeak"
SCRIPT = ("hi", "how much is the summit down jacket?", "is it in stock?", "do you have it in M?",
          "any tents under 300 euro?", "how much is shipping to Poland?", "what is your return policy?",
          "thanks, bye")


def combined_export(folder: Path, products: int) -> Path:
    """Northpeak's own products first (the script asks about them), then the generated ones."""
    generated = folder / "generated.csv"
    generate(generated, products, 5)
    rows: list[dict[str, str]] = []
    header: list[str] = []
    for source in (NORTHPEAK / "catalog.csv", generated):
        with source.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            header += [column for column in reader.fieldnames or [] if column not in header]
            rows += list(reader)
    path = folder / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def start_shopmate(var_dir: Path, catalog: Path) -> tuple[subprocess.Popen[bytes], str]:
    ports = {name: str(free_port()) for name in ("SHOPMATE_WEB_PORT", "SHOPMATE_RASA_PORT", "SHOPMATE_ACTIONS_PORT")}
    env = {**os.environ, **ports, "SHOPMATE_VAR_DIR": str(var_dir), "SHOPMATE_SHOP_DIR": str(NORTHPEAK),
           "SHOPMATE_CATALOG": str(catalog), "SHOPMATE_CHAT_PER_ADDRESS": "1000000",
           "SHOPMATE_CHAT_PER_CONVERSATION": "1000"}
    log = (var_dir.parent / f"{var_dir.name}.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bot.runner.serve"], cwd=PROJECT_ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{ports['SHOPMATE_RASA_PORT']}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        try:
            reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "hi"},
                                  timeout=30)
            if reply.status_code == 200 and reply.json():
                return process, url
        except (requests.RequestException, ValueError):
            pass
        time.sleep(2)
    stop(process)
    raise SystemExit(f"[bench] Shopmate did not answer: see {log.name}")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def measure(label: str, var_dir: Path, catalog: Path, stock_url: str, args: argparse.Namespace) -> tuple[Round, Round]:
    print(f"[bench] starting Shopmate with the {label} catalog ...", flush=True)
    process, url = start_shopmate(var_dir, catalog)
    try:
        ours = run_round("shopmate", url, "rest", args.shoppers, args.seconds, SCRIPT)
        theirs = run_round("stock", stock_url, "rest", args.shoppers, args.seconds)
    finally:
        stop(process)
    print("[bench]", ours.line(), "\n[bench]", theirs.line(), flush=True)
    return ours, theirs


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_chat", description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--shoppers", type=int, default=10)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = free_port()
    baseline = start_stock_bot(stock_bot(), port)
    stock_url = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            big = combined_export(Path(folder), args.products)
            demo = measure("demo", Path(folder) / "var-demo", NORTHPEAK / "catalog.csv", stock_url, args)
            large = measure(f"{args.products:,}-product", Path(folder) / "var-big", big, stock_url, args)
    finally:
        os.killpg(baseline.pid, signal.SIGTERM)
        baseline.wait(30)
    print("\n| catalog | Shopmate msg/s | p50 / p95 | errors | stock bot msg/s | Shopmate / stock |\n"
          "|---|---|---|---|---|---|")
    for label, (ours, theirs) in (("Northpeak demo, 41 products", demo),
                                  (f"Northpeak + {args.products:,} generated", large)):
        print(f"| {label} | {ours.rate:.1f} | {ours.percentile(0.5) * 1000:.0f} / "
              f"{ours.percentile(0.95) * 1000:.0f} ms | {ours.errors} | {theirs.rate:.1f} | "
              f"{ours.rate / theirs.rate:.2f}x |")
    kept = (large[0].rate / large[1].rate) / (demo[0].rate / demo[1].rate)
    print(f"\nThe big catalog keeps {kept:.2f}x of the demo's throughput against the stock bot (goal >= 0.9x).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
