from __future__ import annotations

import pytest

from dotterel.checks import check_document, looks_english
from dotterel.model import Document

ENGLISH = (
    "Kazakh President Kassym-Jomart Tokayev said on Friday that while Astana acts abroad within "
    "the limits of its potential and capabilities, it is always ready to contribute."
)
FRENCH = (
    "Le président kazakh Kassym-Jomart Tokaïev a déclaré vendredi que si Astana agit à l'étranger "
    "dans les limites de son potentiel et de ses capacités, il est toujours prêt à contribuer."
)
RUSSIAN = (
    "Президент Казахстана Касым-Жомарт Токаев заявил в пятницу, что Астана действует за рубежом "
    "в пределах своего потенциала и возможностей и всегда готова внести вклад."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_text"),
        ("   \n\t ", "empty_text"),
        ("abc\x00\x01def", "binary"),
        (FRENCH, "not_english"),
        (RUSSIAN, "not_english"),
        ("x " * 150_001, "too_long"),
    ],
)
def test_bad_documents_get_an_error_code(text: str, code: str) -> None:
    error = check_document(Document(text=text))
    assert error is not None
    assert error.code == code
    assert error.message


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        # Headline-like: mostly names, few function words (found by the property test).
        " é Russian President Vladimir Putin held talks with Chinese leader Xi Jinping in Beijing last week. é ",
        "Liberian riot police used tear gas to disperse demonstrators protesting election results in Monrovia.",
        "Kenya's President William Ruto met Ethiopian Prime Minister Abiy Ahmed.",
        # one sentence whose function words are prepositions: every closed-class word counts
        "The Lithuanian president warned Moscow against new troop movements near the border.",
        "Rebels shelled several villages along the river during heavy fighting overnight.",
    ],
)
def test_english_passes(text: str) -> None:
    assert check_document(Document(text=text)) is None
    assert looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Der kasachische Präsident Kassym-Schomart Tokajew sagte am Freitag, dass Astana im Ausland im Rahmen "
        "seiner Möglichkeiten handle und stets bereit sei, zur Lösung internationaler Fragen beizutragen.",
        "O presidente do Cazaquistão, Kassym-Jomart Tokayev, disse na sexta-feira que, embora Astana atue no "
        "exterior dentro dos limites do seu potencial, está sempre pronto a contribuir para a resolução de questões.",
        "Il presidente kazako Kassym-Jomart Tokayev ha detto venerdì che, sebbene Astana agisca all'estero entro "
        "i limiti del suo potenziale e delle sue capacità, è sempre pronta a contribuire.",
        # short, with words English shares ("am", "in", "an"): German's "am" is no English function word here
        "Die Regierung hat am Montag neue Sanktionen gegen Russland beschlossen, wie ein Sprecher in Berlin mitteilte.",
        "El presidente del gobierno anunció el lunes nuevas medidas contra la inflación durante una reunión en Madrid.",
    ],
)
def test_other_languages_are_refused(text: str) -> None:
    assert not looks_english(text)


def test_declared_language_other_than_english_is_refused() -> None:
    error = check_document(Document(text=ENGLISH, language="de"))
    assert error is not None and error.code == "not_english"


def test_max_chars_is_configurable() -> None:
    assert check_document(Document(text=ENGLISH), max_chars=20) is not None
