"""`make eval`: shopper questions and conversations against the running stack, facts checked.

    .venv/bin/python -m eval.run                       # against `make run` (REST on the settings' port)
    .venv/bin/python -m eval.run --target http://127.0.0.1:8000 --show-misses

Each question is a new conversation; each conversation's turns share one. A reply passes
when every string in `expect` appears in it and none in `none` (case-insensitive). Prints
accuracy per kind and overall. A measurement, not a test: the questions were never trained on.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

from lifecycle.settings import load_settings

QUESTIONS = Path(__file__).resolve().parent / "questions.yml"


@dataclass
class Tally:
    passed: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0


def reply(target: str, sender: str, text: str) -> str:
    """The assistant's answer; over the chat's per-address limit (one eval sends hundreds of messages from
    one address), it waits as the 429's Retry-After says and asks again."""
    while True:
        response = requests.post(f"{target}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=60)
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("Retry-After", "5")))
    response.raise_for_status()
    return "\n".join(message.get("text") or "" for message in response.json())


def check(answer: str, case: dict[str, Any]) -> bool:
    lowered = answer.lower()
    return all(str(want).lower() in lowered for want in case.get("expect", [])) and \
        not any(str(bad).lower() in lowered for bad in case.get("none", []))


def run(target: str, cases: dict[str, Any]) -> dict[str, Tally]:
    """Tallies per kind, and per language as "lang:<code>" where the set gives one."""
    tallies: dict[str, Tally] = defaultdict(Tally)

    def count(case: dict[str, Any], passed: bool, miss: str) -> None:
        for key in (case["kind"], *([f"lang:{case['lang']}"] if case.get("lang") else [])):
            tallies[key].total += 1
            tallies[key].passed += passed
            if not passed:
                tallies[key].misses.append(miss)

    for case in cases["questions"]:
        answer = reply(target, f"eval-{secrets.token_hex(12)}", case["ask"])
        count(case, check(answer, case), f"{case['ask']!r} -> {answer!r}")
    for conversation in cases["conversations"]:
        sender = f"eval-{secrets.token_hex(12)}"
        for turn in conversation["turns"]:
            answer = reply(target, sender, turn["ask"])
            count({**conversation, **turn}, check(answer, turn),
                  f"{turn['ask']!r} (turn of a conversation) -> {answer!r}")
    return tallies


def main() -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=f"http://127.0.0.1:{settings.ports.rasa}")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--questions", type=Path, default=QUESTIONS,
                        help="the set to run (eval/understanding.yml: issue 21's held-out set)")
    args = parser.parse_args()
    cases = yaml.safe_load(args.questions.read_text(encoding="utf-8"))
    try:
        tallies = run(args.target, cases)
    except requests.RequestException as error:
        print(f"[eval] cannot reach Shopmate at {args.target} ({error}); start it with `make run`", file=sys.stderr)
        return 2
    kinds = {key: tally for key, tally in tallies.items() if not key.startswith("lang:")}
    print("| kind | passed | asked | accuracy |\n|---|---|---|---|")
    for kind, tally in sorted(tallies.items(), key=lambda item: (item[0].startswith("lang:"), item[0])):
        print(f"| {kind} | {tally.passed} | {tally.total} | {tally.accuracy:.1%} |")
    passed = sum(t.passed for t in kinds.values())
    total = sum(t.total for t in kinds.values())
    print(f"| **overall** | {passed} | {total} | {passed / total:.1%} |")
    if args.show_misses:
        for kind, tally in sorted(kinds.items()):
            for miss in tally.misses:
                print(f"[miss] {kind}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
