"""The architecture as a test: the import contracts hold, and only services open transactions."""

import re
import subprocess
import sys
from pathlib import Path

from lifecycle.settings import PROJECT_ROOT

# A session or a row built outside lifecycle/ means a rule or a transaction leaked out of
# the services (bot/ and actions/ may not import the tables: import-linter checks that).
SESSION_USE = re.compile(r"\.session\(\)|\bsession\.(add|execute|get|merge|delete)\(")


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_bot_and_actions_never_open_a_session() -> None:
    offenders = [f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
                 for folder in ("bot", "actions") for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if SESSION_USE.search(line)]
    assert offenders == []


def test_only_the_settings_module_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[")
    offenders = [str(path.relative_to(PROJECT_ROOT)) for folder in ("lifecycle", "bot", "actions")
                 for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
                 if path.name != "settings.py" and reads.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
