"""One question of each kind from issue 13 through the running stack (NLU, the catalog router, actions)."""

from __future__ import annotations

import pytest

from tests.stack import Chat

pytestmark = pytest.mark.e2e


def test_an_attribute_a_yes_no_and_a_list(chat: Chat) -> None:
    assert "30 hours" in chat.text("kinds-attribute", "how long does the calla wireless anc last on one charge")
    assert chat.text("kinds-yes-no", "has the lumo room ptz got an hdmi port?").startswith("Yes")
    listed = chat.text("kinds-list", "which headsets are wireless?")
    assert "Calla Wireless ANC Headset" in listed and "Calla Wired USB Headset (" not in listed


def test_arithmetic_is_worked_out_from_the_data(chat: Chat) -> None:
    assert "€56.80" in chat.text("kinds-total", "lumo hd with delivery to romania, what's the total?")
    assert "€20.00" in chat.text("kinds-points", "what voucher do 400 points buy")


def test_a_follow_up_keeps_the_question_and_unknowns_are_plain(chat: Chat) -> None:
    assert "210 g" in chat.text("kinds-follow", "what's the weight of the calla wireless anc")
    assert "160 g" in chat.text("kinds-follow", "and the calla duo?")
    assert "no student discount" in chat.text("kinds-unknown", "is there a discount for students")
    assert "doesn't say" in chat.text("kinds-unknown-2", "is the echo room speakerphone dishwasher safe?")
