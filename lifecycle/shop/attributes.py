"""How shoppers ask for a product's typed attributes, and the answers read from the catalog.

The values live in catalog.csv (validated in `facts.Product`); this module holds the
words: which attribute a question is about ("how bright", "how heavy", "battery"), which
feature or connection a yes/no question names ("does it have HDMI?"), and which way a
superlative points ("the lightest" is the smallest weight). The feature vocabulary is
read from the catalog itself, so a new feature in catalog.csv can be asked about at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from lifecycle.shop.facts import WIRELESS_LINKS, Product, Shop
from lifecycle.shop.language import fold


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    asks: str  # a regular expression for the ways shoppers ask about it
    most: str = ""  # superlatives that want the highest value ("brightest")
    least: str = ""  # superlatives that want the lowest value ("lightest")

    def value(self, product: Product) -> object:
        return getattr(product, self.key)

    def number(self, product: Product) -> float | None:
        value = self.value(product)
        return float(value) if isinstance(value, (int, float, Decimal)) else None


ATTRIBUTES: tuple[Attribute, ...] = (
    # English first; then Italian, Swedish, Polish and Romanian words, written without diacritics
    # (questions are matched folded: "cântărește" as "cantareste").
    Attribute("weight_g", "weight", r"\bweigh|\bweight|\bheavy|\bgrams?\b|how light\b|\blight ?weight"
              r"|\bpes[ao]\b|\bvag(?:er|a)\b|\bvikt|\bwaz[yi]|\bwaga\b|cantares|greutate",
              most=r"heaviest|piu pesant|tyngst|najciezsz|cel mai greu|cele mai grele",
              least=r"lightest|most lightweight|piu legger|lattast|najlzejsz|cel mai usor|cele mai usoare"),
    Attribute("battery_hours", "battery life", r"batter[yi]|\bcharge\b|how long .*\blast|\bhours?\b|runtime"
              r"|\bbatteri|\bbateri|autonomi|quante ore|hur lange racker|ile godzin|cate ore",
              most=r"longest battery|most battery|lasts? (?:the )?longest|best battery|batteria piu lunga|dura di piu"
                   r"|autonomia maggiore|langst batteritid|langst batteri|najdluzsz|najdluzej|cea mai lunga baterie"
                   r"|tin cel mai mult"),
    Attribute("lumen", "brightness", r"\bbright|\blumens?\b|how strong is the light|light output|how much light"
              r"|put(?:s)? out|\blumen|luminos|ljusstyrk|ljusstark|jasnos|jasn[ay]\b",
              most=r"brightest|most powerful light|piu luminos|ljusstarkast|najjasniejsz|cel mai luminos"
                   r"|cea mai luminoasa|piu potente|starkast|najmocniejsz|cea mai puternica"),
    Attribute("field_of_view_deg", "field of view", r"field of view|\bfov\b|\bangle\b|how wide|wide[- ]angle"
              r"|campo visivo|bildvinkel|pole widzenia|kat widzenia|unghi",
              most=r"widest|largest field of view|widest angle", least=r"narrowest"),
    Attribute("max_people", "room size",
              r"how many (?:people|persons|participants|users)|\bfor how many\b|room size|how big (?:a |of a )?room"
              r"|\bpeople (?:is it|does it)|\bseats?\b|\bcapacity\b|quante persone|hur manga personer"
              r"|ilu osob|dla ilu|cate persoane|pentru cate",
              most=r"biggest room|largest room|most people|largest group|biggest group"),
    Attribute("video", "video", r"resolution|\b4k\b|1080p|\bfps\b|frame rate|video quality|\bhd\b|record in"),
    Attribute("connectivity", "connections",
              r"\bconnect|\bports?\b|\bplugs?\b|\bcables?\b|\binterfaces?\b|\binputs?\b|how does it connect"),
    Attribute("power", "power", r"\bpower(?:ed)?\b|\bmains\b|power supply|plug(?:ged)? (?:it )?in|\bunplugged\b"
              r"|\boutlet\b|\bsocket\b"),
    Attribute("price_eur", "price", r"\bprice|\bcost|how much is|how much does|\bexpensive\b|\bcheap",
              most=r"most expensive|priciest", least=r"cheapest|least expensive|lowest price|most affordable"),
    Attribute("rating", "rating", r"\brating|\brated\b|\breviews?\b|\bstars?\b",
              most=r"best[- ]rated|highest[- ]rated|top[- ]rated|best reviewed", least=r"worst[- ]rated"),
    Attribute("warranty_years", "warranty", r"warrant|guarantee", most=r"longest warranty"),
)
BY_KEY = {attribute.key: attribute for attribute in ATTRIBUTES}
SPEC_ATTRIBUTES = tuple(a for a in ATTRIBUTES if a.key not in {"price_eur", "rating", "warranty_years"})


def find_attribute(text: str, among: tuple[Attribute, ...] = SPEC_ATTRIBUTES) -> Attribute | None:
    """The attribute a question asks about (the first one named), or None."""
    lowered = fold(text)
    hits = [(m.start(), n, attribute) for n, attribute in enumerate(among)
            if (m := re.search(attribute.asks, lowered))]
    return min(hits, key=lambda hit: (hit[0], hit[1]))[2] if hits else None


_COMPARATIVES: tuple[tuple[str, str, bool], ...] = (  # (words, attribute key, the higher value wins)
    (r"heavier", "weight_g", True), (r"lighter\b(?! weight)", "weight_g", False),
    (r"brighter", "lumen", True), (r"longer battery|lasts? longer|more battery", "battery_hours", True),
    (r"wider", "field_of_view_deg", True), (r"more people|bigger room|larger room", "max_people", True),
    (r"cheaper|less expensive", "price_eur", False), (r"more expensive|pricier|dearer", "price_eur", True),
    (r"better[- ]rated|higher[- ]rated|better reviews", "rating", True),
    (r"longer warranty", "warranty_years", True),
)


def find_comparative(text: str) -> tuple[Attribute, bool] | None:
    """("which is heavier") -> (weight, higher wins): a two-product question about one attribute."""
    lowered = text.lower()
    for words, key, higher in _COMPARATIVES:
        if re.search(words, lowered):
            return BY_KEY[key], higher
    return None


def find_superlative(text: str) -> tuple[Attribute, bool] | None:
    """("lightest") -> (weight, lowest wins); ("brightest") -> (brightness, highest wins)."""
    lowered = fold(text)
    for attribute in ATTRIBUTES:
        if attribute.least and re.search(attribute.least, lowered):
            return attribute, False
        if attribute.most and re.search(attribute.most, lowered):
            return attribute, True
    return None


# Ways of naming a feature or connection that the catalog writes differently.
_SYNONYMS: tuple[tuple[str, str], ...] = (
    (r"\banc\b|noise[- ]?cancel+(?:l?ing|ation)?", "noise cancelling"),
    (r"noise[- ]?reduc\w*", "noise reducing"),
    (r"\bauto[- ]?focus\w*", "autofocus"),
    (r"\bmics?\b|microphones?", "microphone"),
    (r"\busb[- ]?c\b|type[- ]?c\b|usbc\b", "usb-c"),
    (r"\busb[- ]?a\b", "usb-a"),
    (r"\bblue ?tooth\b", "bluetooth"),
    (r"\bdongle\b", "dongle"),
    (r"\bzoom\w*", "zoom"),
    (r"\bpan\b|\btilt\b|\bptz\b", "pan tilt"),
    (r"privacy (?:shutter|cover|slider)|(?:lens|camera) cover", "privacy shutter"),
    (r"\bteams\b", "teams"),
    (r"daisy[- ]?chain\w*|\bchain\w*|link two", "daisy chain"),
    (r"\bclamp\b|\bmount\w*", "clamp"),
    (r"\bapp\b|\bphone control|smartphone", "app"),
    (r"\bhdr\b", "hdr"),
    (r"\bhdmi\b", "hdmi"),
    (r"\bbuilt[- ]?in (?:web ?cam|camera)|\bwebcam\b|\bcamera\b", "webcam"),
    (r"\bspeakers?\b", "speaker"),
    (r"\bstereo\b", "stereo"),
    (r"\bcharg\w*", "charging"),
    # The same in Italian, Swedish, Polish and Romanian (text folded: no diacritics).
    (r"cancellazione (?:attiva )?del rumore|riduzione del rumore|brusreduc\w*|redukcj\w* szum\w*"
     r"|anular\w* (?:activa )?a zgomotului", "noise cancelling"),
    (r"\bautofok\w*|messa a fuoco automatica", "autofocus"),
    (r"\bmicrofon\w*|\bmikrofon\w*", "microphone"),
    (r"\baltoparlant\w*|\bhogtalare\b|\bglosnik\w*|\bdifuzor\w*", "speaker"),
    (r"\bricaric\w*|\bladdning\w*|\bladowani\w*|\bincarcare\b", "charging"),
    (r"\baplikacj\w*|\baplicati\w*", "app"),
    (r"\bmorsett\w*|\bklamma\b|\buchwyt\w*|\bclema\w*", "clamp"),
    (r"\botturatore\b|integritetslucka|zaslon\w* prywatnosci|\bobturator\w*", "privacy shutter"),
    (r"\bbrandeggio\b|\bpanorering\b|\bobrot\w*|\brotire\b", "pan tilt"),
)
_WORD = re.compile(r"[a-z][a-z-]*")
_GENERIC = {"and", "or", "to", "at", "with", "the", "in", "of", "built", "two", "single", "for", "up", "adapter",
            "voice", "certified", "active", "fixed", "boom", "desk", "control", "inch", "ear"}


def _normalise(text: str) -> str:
    lowered = fold(text)
    for pattern, canonical in _SYNONYMS:
        lowered = re.sub(pattern, f" {canonical} ", lowered)
    return lowered


def words(text: str) -> set[str]:
    """The feature words of a text, synonyms folded ("ANC" -> noise cancelling; "usb-c" also counts as usb)."""
    found: set[str] = set()
    for word in _WORD.findall(_normalise(text)):
        if len(word) < 2:
            continue
        found.add(word)
        if "-" in word:
            found.update(part for part in word.split("-") if len(part) > 1)
    return found


@lru_cache(maxsize=8)
def feature_vocabulary(shop: Shop) -> frozenset[str]:
    """Every word that names a feature or connection somewhere in the catalog, and "wireless".

    Asked on every message, so kept per loaded shop (a reloaded catalog is a new `Shop`).
    """
    vocabulary = {"wireless"}
    for product in shop.products:
        for name in (*product.features, *product.connectivity):
            vocabulary |= words(name) - _GENERIC
    return frozenset(vocabulary)


_WIRELESS_ASK = re.compile(r"wireless|cordless|without (?:a )?cables?|no cables?|senza fil|tradlos|bezprzewodow"
                           r"|bez kabla|fara fir", re.IGNORECASE)


def without_names(text: str, names: tuple[str, ...]) -> str:
    """The question with the named products' words taken out ("Lumo HD" must not read as video "HD")."""
    lowered = text.lower()
    for name in names:
        for word in name.lower().split():
            lowered = re.sub(r"\b" + re.escape(word) + r"\b", " ", lowered)
    return lowered


def asked_features(text: str, shop: Shop, ignore: tuple[str, ...] = ()) -> frozenset[str]:
    """The feature words a question names, leaving out the words of the products it names (`ignore`)."""
    lowered = fold(without_names(text, ignore))
    asked = words(lowered) & feature_vocabulary(shop)
    if _WIRELESS_ASK.search(lowered):
        asked |= {"wireless"}
    return frozenset(asked)


def catalog_name(shop: Shop, asked: frozenset[str]) -> str:
    """How the catalog writes the feature asked about, on whichever product has it ("" if none)."""
    for product in shop.products:
        if (found := has_feature(product, asked)) and asked != {"wireless"}:
            return found
    return ""


def has_feature(product: Product, asked: frozenset[str]) -> str | None:
    """The product's feature or connection that has everything asked ("noise cancelling"), or None."""
    if asked == {"wireless"}:
        return "wireless (" + ", ".join(c for c in product.connectivity if c in WIRELESS_LINKS) + ")" \
            if product.wireless else None
    wanted = asked - {"wireless"}
    if not wanted:
        return None
    for name in (*product.features, *product.connectivity):
        if wanted <= words(name):
            return name
    return None
