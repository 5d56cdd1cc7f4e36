"""Conversation recording: every turn and the domain events of the chat, the hand-off
summary, and the widget's history. `ConversationRecorder` is the service; it owns its
transactions."""
