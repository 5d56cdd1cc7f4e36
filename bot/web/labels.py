"""The widget's own words (button, placeholder, status lines) in the page's language.

They live in the same message catalogs as the assistant's replies (`data/locales`), so a
translator edits one file per language; the widget fetches them once for `<html lang>`.
"""

from __future__ import annotations

from lifecycle.shop.speech import Voice


def widget_labels(voice: Voice) -> dict[str, str]:
    return {
        "language": voice.language,
        "title": voice.say("Shop assistant"),
        "open": voice.say("Chat with us"),
        "open_new": voice.say("Chat with us (new message)"),
        "close": voice.say("Close chat"),
        "input": voice.say("Your message"),
        "placeholder": voice.say("Ask about products, shipping, returns…"),
        "send": voice.say("Send"),
        "comparison": voice.say("Comparison"),
        "typing": voice.say("The assistant is typing…"),
        "history_failed": voice.say("Earlier messages could not be loaded."),
        "connection_lost": voice.say("Connection lost, reconnecting…"),
        "reconnected": voice.say("Reconnected."),
        "load_failed": voice.say("The chat could not load; please reload the page."),
        "agent_joined": voice.say("{agent} joined the chat", agent="{agent}"),
        "agent_left": voice.say("{agent} left the chat; the assistant answers again.", agent="{agent}"),
    }


def team_name(voice: Voice) -> str:
    """What a shopper sees for an agent who has set no display name (never their login name)."""
    return voice.say("Customer care")
