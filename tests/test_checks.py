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


def test_english_passes() -> None:
    assert check_document(Document(text=ENGLISH)) is None
    assert looks_english(ENGLISH)


def test_declared_language_other_than_english_is_refused() -> None:
    error = check_document(Document(text=ENGLISH, language="de"))
    assert error is not None and error.code == "not_english"


def test_max_chars_is_configurable() -> None:
    assert check_document(Document(text=ENGLISH), max_chars=20) is not None
