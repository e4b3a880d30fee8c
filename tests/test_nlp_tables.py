"""The per-Doc copies the extractors read instead of spaCy's attributes (nlp.py)."""

from __future__ import annotations

from dotterel import Coder
from dotterel.model import Document
from dotterel.nlp import Story, entities, forget_entities, make_doc, token_table

TITLE = "Ministers Meet In Geneva"
TEXT = ("The foreign ministers of Chile and Peru met on Tuesday.  They said   the talks were "
        "\"useful\".\n\nNeither side gave details.")


def _story(coder: Coder, document: Document) -> Story:
    doc = coder.nlp(make_doc(coder.nlp, document))
    return Story.from_doc(document, doc)


def test_token_table_holds_what_the_tokens_say(coder: Coder) -> None:
    story = _story(coder, Document(text=TEXT, title=TITLE))
    table = token_table(story.doc)
    assert table.text == [t.text for t in story.doc]
    assert table.pos == [t.pos_ for t in story.doc]
    assert table.lemma == [t.lemma_.lower() for t in story.doc]
    assert table.lower == [t.lower_ for t in story.doc]
    assert token_table(story.doc) is table  # built once per Doc


def test_forget_entities_drops_the_copies_and_the_doc_serialises(coder: Coder) -> None:
    story = _story(coder, Document(text=TEXT, title=TITLE))
    entities(story.doc)
    token_table(story.doc)
    forget_entities(story.doc)
    assert not [key for key in story.doc.user_data if str(key).startswith("dotterel.")]
    assert story.doc.to_bytes()


def test_story_text_and_sentences_are_the_docs(coder: Coder) -> None:
    story = _story(coder, Document(text=TEXT, title=TITLE))
    assert story.text == story.doc.text
    assert [s.text for s in story.sentences] == [s.text for s in story.doc.sents if s.text.strip()]
    for sent in story.sentences:
        ref = story.sentence_ref(sent)
        assert ref.end > ref.start


def test_story_text_trusts_a_doc_parsed_from_another_string(coder: Coder) -> None:
    doc = coder.nlp(make_doc(coder.nlp, Document(text="A longer text than the document says.")))
    story = Story.from_doc(Document(text="Short."), doc)
    assert story.text == doc.text
