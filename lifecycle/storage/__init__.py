"""Storage: the engine and its transactions (`database`), the tables (`models`), and the
schema's history (`migrations`, Alembic). Knows nothing of the shop's rules."""
