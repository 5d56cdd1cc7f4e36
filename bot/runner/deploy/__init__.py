"""Running the production layout: PostgreSQL, Redis and nginx from Debian\x27s packages, under var/."""
