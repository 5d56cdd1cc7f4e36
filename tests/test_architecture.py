"""The architecture as a test: the import contracts hold, and only services open transactions."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.loader import load_shop

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


def _shop_words() -> set[str]:
    """The words of the demo shop's data: its categories (shop.yml) and how its shoppers name its
    attributes, specs and features (vocabulary.yml), four letters or more."""
    shop = load_shop(PROJECT_ROOT / "data" / "shop")
    found: set[str] = set()
    for words in shop.policies.categories.values():
        found |= set(words)
    for attribute in shop.vocabulary.attributes.values():
        found |= {*attribute.asks, *attribute.units, *attribute.most, *attribute.least, *attribute.more,
                  *attribute.less}
    for spec in shop.vocabulary.specs.values():
        found |= set(spec.asks)
    for name, synonyms in shop.vocabulary.features.items():
        found |= {name, *synonyms}
    return {word.rstrip(".") for word in found if len(word.rstrip(".")) >= 4}


def test_no_text_pattern_in_python_names_the_shops_words() -> None:
    """A shop's words are data: a regular expression in lifecycle/, actions/ or bot/ that names one of
    the catalog's categories, attributes, specs or features would answer for one shop only."""
    words = _shop_words()
    assert len(words) > 100  # the scan has something to look for
    calls = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
    found = []
    for package in ("lifecycle", "actions", "bot"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                        and node.func.attr in calls and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "re"):
                    continue
                for part in ast.walk(node.args[0]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        text = re.sub(r"\\[a-zA-Z]|[^a-z0-9 -]", " ", part.value.lower())
                        found += [f"{path.relative_to(PROJECT_ROOT)}:{part.lineno} {word!r}" for word in words
                                  if re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", text)]
    assert found == []


# Modules outside lifecycle/understanding that may use regular expressions, and why: they check the
# shape of ids, config and data files, never what a shopper means.
PATTERNS_ALLOWED = {
    "bot/rasa/chat_limits.py": "message and sender id shapes",
    "lifecycle/customers/links.py": "conversation and visitor id shapes",
    "lifecycle/people/voc/analyser.py": "feedback analysis (docs/voc.md), its own word lists per language",
    "lifecycle/people/voc/words.py": "feedback analysis word lists",
    "lifecycle/shop/catalog.py": "splitting product names and SKUs into tokens",
    "lifecycle/shop/formats/records.py": "prices, weights and numbers as catalog files write them",
    "lifecycle/shop/formats/shopify.py": "Shopify's metafield column names",
    "lifecycle/shop/facts.py": "shop.yml's redeem rule",
    "lifecycle/shop/hours.py": "shop.yml's agent hours",
    "lifecycle/shop/playbooks.py": "playbook ids",
    "lifecycle/shop/translations.py": "shop.yml's texts for translation",
    "lifecycle/knowledge/entries.py": "FAQ entry ids and links",
    "lifecycle/knowledge/pages.py": "page file names, Markdown marks and front matter",
    "lifecycle/commerce/orders.py": "postcodes written with or without spaces and dashes",
    "bot/web/console/faq.py": "an entry id made from a question",
    "lifecycle/people/canned.py": "canned reply shortcuts and their {variable} fields",
    "lifecycle/storage/search.py": "an agent's search box split into words for the full-text index",
}


def test_what_a_shopper_means_is_read_only_in_the_understanding_layer() -> None:
    """Every pattern over a shopper's words lives in lifecycle/understanding (issue 21): a module that
    imports `re` anywhere else is either in the list above, with its reason, or reads text it should
    ask the understanding layer about."""
    users = set()
    for package in ("lifecycle", "actions", "bot"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if relative.startswith(("lifecycle/understanding/", "lifecycle/storage/migrations/")):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(isinstance(node, ast.Import) and any(alias.name == "re" for alias in node.names)
                   or isinstance(node, ast.ImportFrom) and node.module == "re" for node in ast.walk(tree)):
                users.add(relative)
    assert users - set(PATTERNS_ALLOWED) == set()
    assert set(PATTERNS_ALLOWED) - users == set(), "a module no longer uses patterns: drop it from the list"
