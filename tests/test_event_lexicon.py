"""The event data files parse, are consistent, and cover every PLOVER type and mode they claim."""

from __future__ import annotations

from dotterel.events.lexicon import NO_EVENT, PLOVER_TYPES, QUADS, load_lexicon
from dotterel.events.triggers import ASK_MODE, THREAT_MODE

#: Cue classes the event coder reads (dotterel/events/*.py).
NEEDED_CUES = {"light", "transparent", "hyp_verb", "hyp_aux", "hyp_mark", "hyp_adj", "hyp_noun",
               "future_aux", "negation", "neg_verb", "speech", "deontic", "place_prep"}


def test_lexicon_loads_with_a_version() -> None:
    lex = load_lexicon()
    assert lex.version == "1"
    assert len(lex.triggers) > 300


def test_all_sixteen_types_with_quad_cameo_and_score() -> None:
    lex = load_lexicon()
    assert set(lex.types) == set(PLOVER_TYPES)
    for name, info in lex.types.items():
        assert info.quad in QUADS
        assert len(info.cameo) == 2 and info.cameo.isdigit(), name
        assert -10 <= info.score <= 10
    assert lex.types["ASSAULT"].quad == "material conflict"
    assert lex.types["AGREE"].quad == "verbal cooperation"
    assert {t for t, i in lex.types.items() if i.recipient_required} == {"COOPERATE", "AID", "SANCTION"}


def test_every_type_has_verb_and_noun_triggers() -> None:
    lex = load_lexicon()
    for type_ in PLOVER_TYPES:
        pos = {t.pos for t in lex.triggers.values() if t.type == type_}
        pats = [p for ps in lex.patterns.values() for p in ps if p.type == type_]
        assert "V" in pos or pats, f"{type_} has no verb trigger"
        assert "N" in pos or type_ in {"CONCEDE", "AGREE"} or pats, f"{type_} has no noun trigger"


def test_modes_belong_to_their_type_and_map_to_cameo() -> None:
    lex = load_lexicon()
    modes_by_type: dict[str, set[str]] = {}
    for type_, mode in lex.modes:
        modes_by_type.setdefault(type_, set()).add(mode)
    # plover.md §2: these types have no modes.
    assert not {"AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID"} & set(modes_by_type)
    assert modes_by_type["CONSULT"] == {"visit", "third-party", "multilateral", "phone"}
    assert {"withdraw", "release", "disarm", "ceasefire", "access", "resign"} <= modes_by_type["RETREAT"]
    assert lex.cameo("ACCUSE", "investigate") == "09"
    assert lex.cameo("ASSAULT", "firearms") == "19"
    assert lex.cameo("ASSAULT", None) == "18"
    assert lex.score("COERCE", "arrest") == -7
    used = {(t.type, t.mode) for t in lex.triggers.values() if t.mode}
    used |= {(p.type, p.mode) for ps in lex.patterns.values() for p in ps if p.mode}
    assert used <= set(lex.modes)
    # REQUEST/REJECT/THREATEN modes come from the frame's content; the rest from the lexicon.
    for mode in ASK_MODE.values():
        assert ("REQUEST", mode) in lex.modes and ("REJECT", mode) in lex.modes
    for mode in THREAT_MODE.values():
        assert ("THREATEN", mode) in lex.modes
    for type_ in set(modes_by_type) - {"REQUEST", "REJECT", "THREATEN"}:
        assert any(t == type_ for t, _ in used), type_


def test_patterns_and_cues() -> None:
    lex = load_lexicon()
    assert set(lex.cues) >= NEEDED_CUES
    impose = lex.patterns_for("impose", "V")
    assert impose[0].type == "SANCTION" and impose[0].matches("sanction")
    assert not impose[0].matches("tax")
    call_for = [p for p in lex.patterns_for("call", "V") if p.relation == "prep:for"]
    assert call_for[0].type == "AGREE" and call_for[0].matches("ceasefire")
    assert lex.patterns_for("call", "V")[0].type == NO_EVENT  # "called him a liar"
    accept = [p for p in lex.patterns_for("accept", "V") if p.neg_type]
    assert accept and all(p.neg_type == "REJECT" for p in accept)
    assert "will" in lex.cue("future_aux") and "may" in lex.cue("hyp_aux")
    # exceptions: head + argument that is no event
    release = [p for p in lex.patterns_for("release", "V") if p.type == NO_EVENT]
    assert release and release[0].matches("report") and not release[0].matches("prisoner")


def test_trigger_lookup_by_pos() -> None:
    lex = load_lexicon()
    talk = lex.trigger("talk", "N")
    assert talk is not None and talk.type == "CONSULT" and "recip" in talk.flags
    hunger = lex.trigger("hunger strike", "N")
    assert hunger is not None and hunger.mode == "hunger"
    assert lex.trigger("talk", "A") is None
    for trig in lex.triggers.values():
        assert 0 < trig.weight <= 1, trig
