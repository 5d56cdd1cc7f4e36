"""The chat channels' limits, before Rasa parses or stores anything."""

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels import BAD_SENDER, MAX_TEXT, NO_ANSWER, TOO_LONG, clean_metadata, guarded

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
