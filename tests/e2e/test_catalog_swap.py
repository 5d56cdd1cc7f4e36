"""A catalog swapped through POST /api/catalog while shoppers chat: no turn is lost, every answer
comes from one whole catalog (the old price or the new), and the last swap is what shoppers see."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests

from tests.stack import API_KEY, Chat, Running

pytestmark = pytest.mark.e2e


def test_a_catalog_swap_under_load_loses_no_turn(stack: Running, chat: Chat) -> None:
    catalog = Path(stack.env["SHOPMATE_SHOP_DIR"]) / "catalog.csv"
    original = catalog.read_bytes()
    cheaper = original.replace(b"CAM-100,Lumo HD Webcam,webcam,49.90", b"CAM-100,Lumo HD Webcam,webcam,44.90")
    assert cheaper != original
    replies: list[str] = []
    failures: list[str] = []

    def shopper(n: int) -> None:
        for turn in range(8):
            try:
                replies.append(chat.text(f"swap-{n}-{turn}", "how much is the lumo hd webcam?"))
            except Exception as error:  # noqa: BLE001 - a lost turn is what this test counts
                failures.append(repr(error))

    url = f"http://127.0.0.1:{stack.ports.web}/api/catalog"
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "text/csv"}
    shoppers = [threading.Thread(target=shopper, args=(n,)) for n in range(4)]
    for thread in shoppers:
        thread.start()
    try:
        for swap in range(6):
            answer = requests.post(url, data=cheaper if swap % 2 == 0 else original, headers=headers, timeout=30)
            assert answer.status_code == 200, answer.text
    finally:
        for thread in shoppers:
            thread.join(timeout=300)
        requests.post(url, data=original, headers=headers, timeout=30)
    assert failures == [] and len(replies) == 32
    assert all(("€49.90" in reply) != ("€44.90" in reply) for reply in replies), replies
    assert "€49.90" in chat.text("swap-after", "how much is the lumo hd webcam?")
