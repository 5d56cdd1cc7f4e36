"""Rasa's own checks of the training data, the dialogue and the NLU model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from bot.rasa.nlu import ROUTED_ONLY
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.language import LANGUAGES, fold
from tests.conftest import REPORT

pytestmark = pytest.mark.rasa

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout"  # one file per language: en.yml, it.yml, ...
# The bar for every language; measured F1 is in docs/languages.md, above it with a margin.
MIN_WEIGHTED_F1 = 0.93
# Products named, read by the understanding layer (bot.rasa.nlu.CatalogRouter) against the hand
# annotations of the held-out files; measured F1 is in docs/understanding-eval.md.
MIN_PRODUCT_F1 = 0.9


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rasa", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=900)


def _examples(path: Path) -> dict:
    found = {}
    for item in yaml.safe_load(path.read_text())["nlu"]:
        for line in item["examples"].splitlines():
            found[line.strip().removeprefix("- ").strip().lower()] = item["intent"]
    return found


# A near-copy: token-set similarity of the normalised sentences at or above 90 (rapidfuzz), with
# token-sort similarity too, since token-set alone scores any subset 100 ("hello" in "hello there").
NEAR_COPY = 90


def normalised(sentence: str) -> str:
    """Lower case, no diacritics, no punctuation: "Cât costă?" and "cat costa" are the same sentence."""
    return " ".join(re.findall(r"[^\W_]+|€", fold(sentence)))


def near_copies(evaluated: list[str], training: list[str]) -> list[tuple[str, str]]:
    """Evaluation sentences that are (nearly) training sentences: a reworded copy would flatter the score."""
    train = [normalised(sentence) for sentence in training]
    found = []
    for sentence in evaluated:
        text = normalised(sentence)
        for candidate, _, _ in process.extract(text, train, scorer=fuzz.token_set_ratio, score_cutoff=NEAR_COPY,
                                               limit=None):
            if fuzz.token_sort_ratio(text, candidate) >= NEAR_COPY:
                found.append((sentence, candidate))
                break
    return found


def _training() -> list[str]:
    training: dict = {}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*/*.yml")):
        training.update(_examples(path))
    return list(training)


@pytest.mark.parametrize("language", LANGUAGES)
def test_heldout_sentences_are_never_trained_on(language: str) -> None:
    heldout = _examples(HELDOUT / f"{language}.yml")
    assert len(heldout) >= 90
    assert near_copies(list(heldout), _training()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_has_examples_in_every_language(language: str) -> None:
    trained: dict[str, int] = {}
    for path in (PROJECT_ROOT / "data" / "nlu" / language).glob("*.yml"):
        for intent in _examples(path).values():
            trained[intent] = trained.get(intent, 0) + 1
    tested = set(_examples(HELDOUT / f"{language}.yml").values())
    typed = {intent for intent in yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]
             if not str(intent).startswith("EXTERNAL_") and intent not in ROUTED_ONLY}
    assert {intent for intent in typed if trained.get(intent, 0) < 10} == set()
    assert typed - tested == set()


@pytest.mark.parametrize("name, questions, conversations", [("questions.yml", 150, 30), ("understanding.yml", 300, 40)])
def test_eval_questions_are_never_trained_on(name: str, questions: int, conversations: int) -> None:
    cases = yaml.safe_load((PROJECT_ROOT / "eval" / name).read_text())
    asked = [case["ask"] for case in cases["questions"]]
    asked += [turn["ask"] for conversation in cases["conversations"] for turn in conversation["turns"]]
    assert len(cases["questions"]) >= questions and len(cases["conversations"]) >= conversations
    assert near_copies(asked, _training()) == []


def test_the_guard_catches_a_reworded_copy() -> None:
    assert near_copies(["What's the price of the Lumo HD webcam??"], ["what is the price of the lumo hd webcam"])
    assert near_copies(["Cât costă livrarea în România?"], ["cat costa livrarea in romania"])
    assert not near_copies(["does the lumo hd have autofocus"], ["how much is the lumo hd webcam"])


def test_training_data_is_valid() -> None:
    result = rasa("data", "validate", "--domain", "domain.yml", "--data", "data/nlu", "data/rules", "data/stories")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Expected warnings: EXTERNAL_* intents are sent by the web app (trigger_intent) and never
    # typed, and the NLU component's own intents (ROUTED_ONLY) are never classified: no NLU examples.
    expected = ("'EXTERNAL_", *(f"'{intent}'" for intent in ROUTED_ONLY))
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "UserWarning" in line]
    assert [w for w in warnings if not any(e in w for e in expected)] == []


def test_conversations_follow_the_expected_actions(model: Path, tmp_path: Path) -> None:
    result = rasa("test", "core", "--model", str(model), "--stories", "tests/stories", "--out", str(tmp_path),
                  "--fail-on-prediction-errors")
    failed = tmp_path / "failed_test_stories.yml"
    assert result.returncode == 0, (failed.read_text() if failed.exists() else "") + result.stderr[-3000:]


@pytest.mark.parametrize("language", LANGUAGES)
def test_intent_f1_on_heldout_split(language: str, model: Path, tmp_path: Path) -> None:
    result = rasa("test", "nlu", "--model", str(model), "--nlu", str(HELDOUT / f"{language}.yml"),
                  "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    f1 = report["weighted avg"]["f1-score"]
    errors = json.loads((tmp_path / "intent_errors.json").read_text())
    REPORT.append(f"NLU held-out split ({language}): weighted intent F1 {f1:.3f} on "
                  f"{report['weighted avg']['support']} sentences, {len(errors)} misclassified")
    REPORT.extend(f"  {e['text']!r}: {e['intent']} -> {e['intent_prediction']['name']}" for e in errors)
    products = json.loads((tmp_path / "CatalogRouter_report.json").read_text())["product"]
    REPORT.append(f"NLU held-out split ({language}): product entity F1 {products['f1-score']:.3f} on "
                  f"{products['support']} tokens (precision {products['precision']:.3f}, recall "
                  f"{products['recall']:.3f})")
    assert f1 >= MIN_WEIGHTED_F1
    assert products["f1-score"] >= MIN_PRODUCT_F1
