"""Rules about one customer that every service shares: who a visitor is (identity), how they
move between lifecycle stages (stages), and their loyalty ledger (loyalty).

Functions here take the caller's session: they run inside a service's transaction and are
never called from `bot/` or `actions/`.
"""
