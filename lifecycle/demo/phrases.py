"""What demo shoppers say: the NLU training examples (per language and intent) for their questions,
the labelled feedback texts for what they write afterwards, and a few agents' lines.

Reading the project's own data keeps the demo in step with what the assistant understands,
in all five languages, without a second copy of hand-written sentences to maintain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from lifecycle.people.voc import labelled
from lifecycle.shop.language import LANGUAGES

AGENT_LINES = {
    "en": ("Hi, I'm {agent}. I've read our chat, let me check that for you.",
           "Done: I've sent you the details. Anything else I can do?"),
    "it": ("Ciao, sono {agent}. Ho letto la chat, controllo subito.",
           "Fatto: ti ho mandato i dettagli. Posso aiutarti in altro?"),
    "sv": ("Hej, jag heter {agent}. Jag har läst chatten, jag kollar direkt.",
           "Klart: jag har skickat detaljerna. Något mer jag kan hjälpa till med?"),
    "pl": ("Dzień dobry, tu {agent}. Widzę naszą rozmowę, już to sprawdzam.",
           "Gotowe: szczegóły są już w Twojej skrzynce. Czy mogę jeszcze w czymś pomóc?"),
    "ro": ("Bună, sunt {agent}. Am citit conversația, verific imediat.",
           "Gata: ți-am trimis detaliile. Te mai pot ajuta cu ceva?"),
}
SHOPPER_THANKS = {"en": "great, thanks!", "it": "perfetto, grazie!", "sv": "toppen, tack!",
                  "pl": "super, dziękuję!", "ro": "super, mulțumesc!"}
MAIL_DOMAINS = {"en": "example.com", "it": "esempio.it", "sv": "exempel.se", "pl": "przyklad.pl",
                "ro": "exemplu.ro"}


class PhrasesMissing(ValueError):
    """The demo needs examples the data folders do not have."""


@dataclass(frozen=True)
class Phrases:
    questions: dict[str, dict[str, list[str]]]  # language -> intent -> examples
    feedback: dict[str, dict[str, list[str]]]  # language -> polarity -> texts

    @classmethod
    def load(cls, nlu_dir: Path, voc_dir: Path) -> Phrases:
        questions: dict[str, dict[str, list[str]]] = {}
        for language in LANGUAGES:
            found: dict[str, list[str]] = {}
            for path in sorted((nlu_dir / language).glob("*.yml")):
                for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
                    if "intent" in block:
                        found.setdefault(block["intent"], []).extend(
                            line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- "))
            if not found:
                raise PhrasesMissing(f"{nlu_dir / language}: no NLU examples to draw demo questions from")
            questions[language] = found
        feedback: dict[str, dict[str, list[str]]] = {language: {} for language in LANGUAGES}
        for item in labelled.load(voc_dir / "labelled", "train", LANGUAGES):
            feedback[item.language].setdefault(item.polarity, []).append(item.text)
        return cls(questions, feedback)

    def examples(self, language: str, intent: str) -> list[str]:
        found = self.questions[language].get(intent) or self.questions["en"].get(intent)
        if not found:
            raise PhrasesMissing(f"no NLU examples for intent {intent!r}")
        return found


def rule_actions(rules_dir: Path) -> dict[str, str]:
    """intent -> the action a rule answers it with, so demo transcripts name the real actions."""
    found: dict[str, str] = {}
    for path in sorted(rules_dir.glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            steps = rule.get("steps", [])
            for step, following in zip(steps, steps[1:], strict=False):
                if "intent" in step and "action" in following:
                    found.setdefault(step["intent"], following["action"])
    return found
