"""Shopmate's domain: the shop's facts, the lifecycle store, and the services on top.

Layers, top to bottom (each may import only the ones below it; checked by
import-linter in `make test`, contracts in pyproject.toml):

    people          console accounts, Voice of the Customer, reports      (services)
    commerce | conversations   shop events, recovery, metrics | turns, hand-off, history (services)
    customers       identity, lifecycle stages, loyalty ledger           (rules in a caller's transaction)
    storage         engine, tables, migrations
    shop            facts from data/shop; no database
    values          money in cents, UTC times

`bot/` and `actions/` call the services; they never open a session or build a row.
Nothing here imports Rasa, the web framework, `bot` or `actions`.
"""
