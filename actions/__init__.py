"""Custom actions: read the tracker, ask `lifecycle` for the facts, word the reply."""
