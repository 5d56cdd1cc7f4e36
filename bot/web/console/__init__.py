"""The support and marketing console (/console)."""
