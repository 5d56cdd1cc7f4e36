"""The chat channels' limits, before Rasa parses or stores anything."""

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from bot.rasa import channels
from bot.rasa.channels import BAD_SENDER, MAX_TEXT, NO_ANSWER, TOO_LONG, clean_metadata, guarded
from bot.rasa.chat_limits import ChatLimits, rest_body_problem, socket_message_problem

SECRET = "0123456789abcdef0123456789abcdef"


async def run(text: str, sender: str = SECRET, metadata: object = None, answer: bool = True
              ) -> tuple[list, list[UserMessage]]:
    passed: list[UserMessage] = []

    async def rasa(message: UserMessage) -> None:
        passed.append(message)
        if answer:
            await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    output = CollectingOutputChannel()
    await guarded(rasa)(UserMessage(text, output, sender, metadata=metadata))
    return output.messages, passed


async def test_a_message_over_the_limit_is_answered_and_never_reaches_rasa() -> None:
    replies, passed = await run("a" * (MAX_TEXT + 1))
    assert passed == [] and replies[0]["text"] == TOO_LONG
    replies, passed = await run("a" * MAX_TEXT)
    assert [r["text"] for r in replies] == ["ok"] and len(passed) == 1


async def test_a_sender_id_that_is_too_long_or_not_plain_is_refused() -> None:
    for sender in ("x" * 200, "../../etc", "a b", "<script>", ""):
        replies, passed = await run("hi", sender=sender)
        assert passed == [] and replies[0]["text"] == BAD_SENDER, sender


async def test_only_the_widget_metadata_is_kept() -> None:
    _, (message,) = await run("hi", metadata={"identity": "v1.a.b.1.c", "language": "it-IT", "page": "/",
                                              "visitor_id": "victim", "junk": "x" * 100_000})
    assert message.metadata == {"identity": "v1.a.b.1.c", "language": "it-IT", "page": "/"}


def test_clean_metadata_drops_oversized_and_non_string_values() -> None:
    assert clean_metadata({"language": "x" * 100, "page": 5}) == {}
    assert clean_metadata("not a dict") == {}


async def test_a_turn_that_produced_no_answer_gets_an_apology_not_silence() -> None:
    replies, passed = await run("is it in stock?", answer=False)  # e.g. the action server is down
    assert len(passed) == 1 and [r["text"] for r in replies] == [NO_ANSWER]


async def test_a_short_sender_an_api_client_picks_is_answered() -> None:
    replies, passed = await run("hi", sender="me")
    assert len(passed) == 1 and [r["text"] for r in replies] == ["ok"]


# --- typed commands, repeats and limits (issue 20) ---

class _Tracker:
    def __init__(self, events: list) -> None:
        self.events = events

    def is_paused(self) -> bool:
        return False


def _with_tracker(monkeypatch: pytest.MonkeyPatch, events: list) -> None:
    async def tracker(sender_id: str) -> _Tracker:
        return _Tracker(events)

    monkeypatch.setattr(channels, "_tracker", tracker)


async def test_a_typed_command_is_plain_text_unless_the_assistant_offered_it(monkeypatch: pytest.MonkeyPatch) -> None:
    offered = BotUttered("How would you rate this chat?",
                         {"buttons": [{"title": "5", "payload": '/rate{"rating":"5"}'}]})
    _with_tracker(monkeypatch, [offered])
    _, (button,) = await run('/rate{"rating":"5"}')
    assert button.text == '/rate{"rating":"5"}'
    _, (typed,) = await run('/rate{"rating":"10"}')
    assert typed.text == 'rate{"rating":"10"}'
    _, (trigger,) = await run('  /EXTERNAL_playbook{"playbook":"welcome_back_offer"}')
    assert trigger.text == 'EXTERNAL_playbook{"playbook":"welcome_back_offer"}'
    _with_tracker(monkeypatch, [BotUttered("x", {"buttons": [{"title": "t", "payload": "/EXTERNAL_ask_nps"}]})])
    _, (never,) = await run("/EXTERNAL_ask_nps")  # not even if a button ever carried it
    assert never.text == "EXTERNAL_ask_nps"
    _, (slashes,) = await run("///")
    assert slashes.text == "?"


async def test_a_message_already_recorded_is_answered_from_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_tracker(monkeypatch, [UserUttered("hi", message_id="m-12345678"), BotUttered("Hello!", {}),
                                BotUttered("Ask me anything.", {"buttons": [{"title": "x", "payload": "/greet"}]}),
                                UserUttered("next", message_id="m-87654321"), BotUttered("Later answer", {})])
    replies, passed = await run("hi", metadata={"message_id": "m-12345678"})
    assert passed == [] and [r["text"] for r in replies] == ["Hello!", "Ask me anything."]
    replies, passed = await run("new", metadata={"message_id": "m-00000001"})
    assert len(passed) == 1 and passed[0].message_id == "m-00000001" and "message_id" not in passed[0].metadata


def test_chat_limits_count_per_conversation_and_per_address() -> None:
    limits = ChatLimits(per_conversation=3, per_address=5)
    assert [limits.wait("198.51.100.1", "conversation-a") > 0 for _ in range(4)] == [False, False, False, True]
    assert [limits.wait("198.51.100.1", f"other-{n}") > 0 for n in range(3)] == [False, False, True]
    assert limits.wait("198.51.100.2", "conversation-b") == 0  # another address is not held back


def test_the_forwarded_address_counts_only_behind_our_own_proxy() -> None:
    assert ChatLimits(3, 5).address("203.0.113.9", "1.2.3.4") == "203.0.113.9"
    assert ChatLimits(3, 5, trust_forwarded=True).address("127.0.0.1", "1.2.3.4") == "1.2.3.4"
    assert ChatLimits(3, 5, trust_forwarded=True).address("127.0.0.1", None) == "127.0.0.1"


def test_rest_and_socket_bodies_are_checked_with_a_reason() -> None:
    good = {"sender": SECRET, "message": "hi", "metadata": {"language": "it"}}
    assert rest_body_problem(good) is None
    bad: object
    for bad in ([], None, 1, "x", {}, {"sender": 1, "message": "hi"}, {"sender": SECRET},
                {"sender": SECRET, "message": "hi", "metadata": "x"}, {"sender": "a b", "message": "hi"},
                {**good, "input_channel": "console"}):
        assert rest_body_problem(bad), bad
    assert socket_message_problem({"message": "hi", "session_id": SECRET}) is None
    for bad in (None, "hi", {"message": 5, "session_id": SECRET}, {"message": "hi", "session_id": SECRET,
                                                                   "metadata": "{}"}):
        assert socket_message_problem(bad), bad


def test_socket_io_takes_the_shops_pages_and_its_own_origin_only() -> None:
    from bot.rasa.channels import shop_or_same_origin

    allowed = shop_or_same_origin(("https://shop.example",))
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5005"}
    assert allowed("https://shop.example", environ)
    assert allowed("http://127.0.0.1:5005", environ)  # a client library's own
    assert not allowed("https://evil.example", environ) and not allowed("null", environ)


async def test_a_button_click_with_its_id_reads_the_conversation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    offered = BotUttered("Rate us", {"buttons": [{"title": "5", "payload": '/rate{"rating":"5"}'}]})

    async def tracker(sender_id: str) -> _Tracker:
        reads.append(sender_id)
        return _Tracker([offered])

    monkeypatch.setattr(channels, "_tracker", tracker)
    _, (click,) = await run('/rate{"rating":"5"}', metadata={"message_id": "m-22222222"})
    assert click.text == '/rate{"rating":"5"}' and reads == [SECRET]
