"""`rasa run` with Rasa's token read from the settings, not from the command line.

Every local user can read a process's command line (`ps`); `--auth-token=<token>` there gave
Rasa's whole API away. This entry point takes the token from the settings (the environment
or var/secrets/, readable by its owner only) and hands it to Rasa's own argument parser
in-process, so `ps` shows `python -m bot.rasa.run run ...` with no secret in it.
"""

from __future__ import annotations

import sys

from rasa.__main__ import main as rasa_main

from lifecycle.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    # One argument: a token that starts with "-" must not read as an option.
    sys.argv = ["rasa", *arguments, f"--auth-token={load_settings().rasa_token}"]
    rasa_main()


if __name__ == "__main__":
    main()
