"""The same twenty shop facts asked over REST in each of the five languages, with and without the
page's language: the same figures, in that language, in that locale's number format."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from sqlalchemy import select

from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.loader import load_shop
from lifecycle.shop.speech import LOCALES
from lifecycle.storage.models import Conversation
from lifecycle.understanding.attributes import without_names
from lifecycle.understanding.language import detect
from tests.stack import Chat, read

pytestmark = pytest.mark.e2e


def eur(amount: str) -> Callable[[str], str]:
    return lambda language: format_currency(Decimal(amount), "EUR", locale=LOCALES[language])


def number(value: str) -> Callable[[str], str]:
    return lambda language: format_decimal(Decimal(value), locale=LOCALES[language])


def words(**by_language: str) -> Callable[[str], str]:
    return lambda language: by_language[language]


def same(text: str) -> Callable[[str], str]:
    return lambda language: text


# (the question in en, it, sv, pl, ro), then the figures every answer must state.
FACTS: list[tuple[tuple[str, str, str, str, str], list[Callable[[str], str]]]] = [
    (("how much is shipping to Poland?", "quanto costa la spedizione in Polonia?", "vad kostar frakten till Polen?",
      "ile kosztuje wysyłka do Polski?", "cât costă livrarea în Polonia?"), [eur("5.90")]),
    (("what does delivery to Sweden cost?", "quanto costa spedire in Svezia?", "vad kostar leveransen till Sverige?",
      "ile kosztuje dostawa do Szwecji?", "cât costă transportul în Suedia?"), [eur("6.90")]),
    (("what is the shipping cost to Italy?", "quanto costa la spedizione in Italia?",
      "vad kostar frakt till Italien?", "jaki jest koszt wysyłki do Włoch?", "cât costă livrarea în Italia?"),
     [eur("4.90"), eur("12.90")]),
    (("how much do you charge to ship to Romania?", "quanto costa la consegna in Romania?",
      "vad kostar frakten till Rumänien?", "ile kosztuje wysyłka do Rumunii?", "cât costă livrarea în România?"),
     [eur("6.90")]),
    (("how much is shipping to Germany?", "quanto costa la spedizione in Germania?",
      "vad kostar frakten till Tyskland?", "ile kosztuje wysyłka do Niemiec?", "cât costă livrarea în Germania?"),
     [eur("9.90")]),
    (("from what amount is shipping free?", "da che cifra la spedizione è gratuita?",
      "från vilket belopp är frakten gratis?", "od jakiej kwoty wysyłka jest darmowa?",
      "de la ce sumă este livrarea gratuită?"), [eur("99.00")]),
    (("how much is express shipping to Poland?", "quanto costa la spedizione express in Polonia?",
      "vad kostar expressfrakt till Polen?", "ile kosztuje wysyłka ekspresowa do Polski?",
      "cât costă livrarea expres în Polonia?"), [eur("13.90")]),
    (("how many days do I have to return a product?", "quanti giorni ho per restituire un prodotto?",
      "hur många dagar har jag på mig att returnera en produkt?", "ile mam dni na zwrot produktu?",
      "câte zile am pentru a returna un produs?"), [same("30"), same("14")]),  # label price: Poland, asked before
    (("how long is the warranty on your products?", "quanto dura la garanzia dei vostri prodotti?",
      "hur lång garanti har era produkter?", "jak długa jest gwarancja na wasze produkty?",
      "cât durează garanția produselor voastre?"),
     [words(en="2 years", it="2 anni", sv="2 år", pl="2 lata", ro="2 ani")]),
    (("how can I pay in Sweden?", "come posso pagare in Svezia?", "hur kan jag betala i Sverige?",
      "jak mogę zapłacić w Szwecji?", "cum pot plăti în Suedia?"), [same("Swish")]),
    (("which payment methods do you accept in Poland?", "quali metodi di pagamento accettate in Polonia?",
      "vilka betalningsmetoder tar ni i Polen?", "jakie metody płatności akceptujecie w Polsce?",
      "ce metode de plată acceptați în Polonia?"), [same("BLIK")]),
    (("what is your customer service email?", "qual è l'email del servizio clienti?",
      "vilken e-postadress har kundtjänst?", "jaki jest adres e-mail obsługi klienta?",
      "care este adresa de email a serviciului clienți?"), [same("support@deskworks.example"),
                                                            same("+39 02 5550 0199")]),
    (("can I buy without creating an account?", "posso comprare senza creare un account?",
      "kan jag köpa utan att skapa ett konto?", "czy mogę kupić bez zakładania konta?",
      "pot cumpăra fără să îmi creez cont?"),
     [words(en="order tracking", it="tracciamento degli ordini", sv="orderspårning", pl="śledzenie zamówień",
            ro="urmărirea comenzilor")]),
    (("how does your loyalty programme work?", "come funziona il vostro programma fedeltà?",
      "hur fungerar ert lojalitetsprogram?", "jak działa wasz program lojalnościowy?",
      "cum funcționează programul vostru de fidelitate?"), [same("100"), same("200"), same("150")]),
    (("how much is the Lumo Pro 4K Webcam?", "quanto costa la Lumo Pro 4K Webcam?", "vad kostar Lumo Pro 4K Webcam?",
      "ile kosztuje Lumo Pro 4K Webcam?", "cât costă Lumo Pro 4K Webcam?"), [eur("129.00")]),
    (("what is the price of the Vista Video Bar?", "qual è il prezzo della Vista Video Bar?",
      "vad är priset på Vista Video Bar?", "jaka jest cena Vista Video Bar?", "care este prețul Vista Video Bar?"),
     [eur("899.00")]),
    (("is the Calla Wireless ANC Headset in stock?", "il Calla Wireless ANC Headset è disponibile?",
      "finns Calla Wireless ANC Headset i lager?", "czy Calla Wireless ANC Headset jest dostępny?",
      "Calla Wireless ANC Headset este în stoc?"), [same("55")]),
    (("how is the Echo Room Speakerphone rated?", "che valutazione ha l'Echo Room Speakerphone?",
      "vilket betyg har Echo Room Speakerphone?", "jaką ocenę ma Echo Room Speakerphone?",
      "ce notă are Echo Room Speakerphone?"), [number("4.5"), same("178")]),
    (("what are the specs of the Lumo Pro 4K Webcam?", "quali sono le specifiche della Lumo Pro 4K Webcam?",
      "vilka specifikationer har Lumo Pro 4K Webcam?", "jaka jest specyfikacja Lumo Pro 4K Webcam?",
      "care sunt specificațiile Lumo Pro 4K Webcam?"), [same("90"), same("4K")]),
    (("what does the Echo Mini Speakerphone cost?", "quanto costa l'Echo Mini Speakerphone?",
      "vad kostar Echo Mini Speakerphone?", "ile kosztuje Echo Mini Speakerphone?",
      "cât costă Echo Mini Speakerphone?"), [eur("79.00")]),
]
PRODUCT_NAMES = tuple(product.name for product in load_shop(PROJECT_ROOT / "data" / "shop").products)
PAGE_TAGS = {"en": "en-GB", "it": "it-IT", "sv": "sv-SE", "pl": "pl-PL", "ro": "ro-RO"}


@pytest.mark.parametrize("with_page_language", [False, True], ids=["detected", "page-language"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_twenty_facts_in_each_language(chat: Chat, language: str, with_page_language: bool) -> None:
    sender = f"e2e-lang-{language}-{int(with_page_language)}"
    metadata = {"language": PAGE_TAGS[language]} if with_page_language else None
    wrong = []
    for questions, figures in FACTS:
        question = questions[LANGUAGES.index(language)]
        reply = chat.text(sender, question, metadata=metadata)
        expected = [figure(language) for figure in figures]
        guessed = detect(without_names(reply, PRODUCT_NAMES))  # names are English in every language
        if any(text not in reply for text in expected) or (guessed and guessed[0] != language):
            wrong.append((question, expected, reply))
    assert wrong == [], "\n".join(f"{q!r}: wanted {e} in {r!r}" for q, e, r in wrong)
    stored = read(chat.store, select(Conversation.language).where(
        Conversation.sender_id == chat.conversation(sender)))
    assert stored == [(language,)]


@pytest.mark.parametrize(("language", "first", "follow_up", "figure"), [
    ("it", "quanto costa la spedizione in Italia?", "e in Polonia?", "5,90\xa0€"),
    ("sv", "vad kostar frakten till Italien?", "och till Polen?", "5,90\xa0€"),
    ("pl", "ile kosztuje wysyłka do Włoch?", "a do Szwecji?", "6,90\xa0€"),
    ("ro", "cât costă livrarea în Italia?", "și în Polonia?", "5,90\xa0EUR"),
    ("en", "how much is shipping to Italy?", "and to Poland?", "€5.90"),
])
def test_follow_ups_keep_the_question_and_the_language(chat: Chat, language: str, first: str, follow_up: str,
                                                        figure: str) -> None:
    sender = f"e2e-follow-{language}"
    chat.text(sender, first)
    reply = chat.text(sender, follow_up)
    assert figure in reply
    guessed = detect(without_names(reply, PRODUCT_NAMES))
    assert guessed is not None and guessed[0] == language, reply


def test_the_shopper_can_switch_language_mid_conversation(chat: Chat) -> None:
    sender = "e2e-switch"
    assert "4,90\xa0€" in chat.text(sender, "quanto costa la spedizione in Italia?", metadata={"language": "it-IT"})
    assert "Prego!" in chat.text(sender, "grazie", metadata={"language": "it-IT"})  # thanks, then CSAT, in Italian
    english = chat.text(sender, "can we speak English? how much is shipping to Sweden?",
                        metadata={"language": "it-IT"})
    assert "€6.90" in english
    assert "€4.90" in chat.text(sender, "and to Italy?", metadata={"language": "it-IT"})
