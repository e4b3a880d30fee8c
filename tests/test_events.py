"""Event coding: types, roles, flags and attributes on sentences written for these tests,
with a small stand-in actor table (so these tests check the event coder alone), plus golden
tests on the example story through the whole pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from dotterel import CodedDocument, Coder
from dotterel.events import extract_events
from dotterel.model import (
    Actor,
    Document,
    Event,
    Mention,
    Place,
    Quote,
    Speaker,
    TextSpan,
    TimeExpr,
)
from dotterel.nlp import Story, make_doc

#: Surface forms (one or more tokens) → actor code, for the stand-in table.
CODES = {
    "Jordan": "JOR", "Britain": "GBR", "Kenyan villagers": "KEN", "Somali militants": "SOM",
    "Chile": "CHL", "Peru": "PER", "Egypt": "EGY", "Sudan": "SDN", "Putin": "RUS", "Astana": "KAZ",
    "Norway": "NOR", "Iceland": "ISL", "Turkey": "TUR", "Syria": "SYR", "Brazil": "BRA",
    "Haiti": "HTI", "Japan": "JPN", "Nepal": "NPL", "Iran": "IRN", "American ships": "USA",
    "Serbia": "SRB", "Croatia": "HRV", "Officials": None, "Chinese troops": "CHN",
    "Indian positions": "IND", "Germany": "DEU", "Poland": "POL", "Kenya": "KEN", "Uganda": "UGA",
    "Qatar": "QAT", "Israel": "ISR", "Hamas": "PSE", "Armenia": "ARM", "Azerbaijan": "AZE",
    "Bolivia": "BOL", "Peruvian farmers": "PER", "Bolivian diplomats": "BOL",
    "Bolivian villages": "BOL", "Ghana": "GHA", "Mali": "MLI", "Russia": "RUS",
    "Chilean drones": "CHL",
}


class StubTable:
    """Finds the CODES phrases in a story; ``pronouns`` maps a pronoun's token index to a phrase."""

    def __init__(self, story: Story, pronouns: dict[int, str] | None = None) -> None:
        self.actors: list[Actor] = []
        self._tokens: dict[int, Actor] = {}
        doc = story.doc
        words = [t.text for t in doc]
        by_name: dict[str, Actor] = {}
        for name in sorted(CODES, key=lambda n: -len(n.split())):
            parts = name.split()
            for i in range(len(words) - len(parts) + 1):
                if words[i:i + len(parts)] == parts and all(j not in self._tokens for j in range(i, i + len(parts))):
                    span = doc[i:i + len(parts)]
                    actor = by_name.get(name)
                    if actor is None:
                        actor = Actor(id=f"A{len(self.actors) + 1}", name=name, kind="state",
                                      code=CODES[name], country=CODES[name], sector=None, role=None)
                        by_name[name] = actor
                        self.actors.append(actor)
                    actor.mentions.append(story.mention(span.start_char, span.end_char))
                    for j in range(i, i + len(parts)):
                        self._tokens[j] = actor
        for index, name in (pronouns or {}).items():
            self._tokens[index] = by_name[name]

    def actor_for_token(self, token: Any) -> Actor | None:
        return self._tokens.get(token.i)

    def actor_at(self, start: int, end: int) -> Actor | None:
        return None


def code(coder: Coder, text: str, *, pronouns: dict[int, str] | None = None,
         places: list[Place] | None = None, dates: list[TimeExpr] | None = None,
         quotes: list[Quote] | None = None, pub_date: str | None = "2024-05-06") -> list[Event]:
    document = Document(text=text, id="t", pub_date=pub_date)
    doc = coder.nlp(make_doc(coder.nlp, document))
    story = Story.from_doc(document, doc)
    return extract_events(story, StubTable(story, pronouns), places or [], dates or [], quotes or [])


def only(events: list[Event], type_: str | None = None) -> Event:
    chosen = [e for e in events if type_ is None or e.event_type == type_]
    assert len(chosen) == 1, [(e.event_type, e.trigger.text) for e in events]
    return chosen[0]


def codes(refs: list[Any]) -> list[str | None]:
    return sorted(r.code for r in refs)


def top(events: list[Event]) -> Event:
    assert events
    return max(events, key=lambda e: e.confidence)


@pytest.mark.parametrize(("text", "type_", "source", "target"), [
    ("Peru pledged to support Bolivia.", "AGREE", ["PER"], ["BOL"]),
    ("Peru met Bolivia on Monday.", "CONSULT", ["BOL", "PER"], []),
    ("Peru praised Bolivia for its help.", "SUPPORT", ["PER"], ["BOL"]),
    ("Peru apologized to Bolivia.", "CONCEDE", ["PER"], ["BOL"]),
    ("Peru extradited the suspect to Bolivia.", "COOPERATE", ["PER"], ["BOL"]),
    ("Peru donated medicine to Bolivia.", "AID", ["PER"], ["BOL"]),
    ("Peru withdrew its troops from Bolivia.", "RETREAT", ["PER"], ["BOL"]),
    ("Peru urged Bolivia to reopen the border.", "REQUEST", ["PER"], ["BOL"]),
    ("Peru accused Bolivia of espionage.", "ACCUSE", ["PER"], ["BOL"]),
    ("Peru rejected a proposal from Bolivia.", "REJECT", ["PER"], ["BOL"]),
    ("Peru threatened to cut ties with Bolivia.", "THREATEN", ["PER"], ["BOL"]),
    ("Peruvian farmers protested against Bolivia.", "PROTEST", ["PER"], ["BOL"]),
    ("Peru imposed sanctions on Bolivia.", "SANCTION", ["PER"], ["BOL"]),
    ("Peru deployed troops to Bolivia.", "MOBILIZE", ["PER"], ["BOL"]),
    ("Peru arrested Bolivian diplomats.", "COERCE", ["PER"], ["BOL"]),
    ("Peru shelled Bolivian villages.", "ASSAULT", ["PER"], ["BOL"]),
])
def test_each_type(coder: Coder, text: str, type_: str, source: list[str], target: list[str]) -> None:
    event = top(code(coder, text))
    assert event.event_type == type_
    assert codes(event.source) == source
    assert codes(event.target) == target
    assert 0 <= event.confidence <= 1


def test_compound_source_and_contract_fields(coder: Coder) -> None:
    text = "Jordan and Britain agreed to hold joint naval exercises."
    event = only(code(coder, text))
    assert event.event_type == "AGREE" and event.cameo == "03" and event.quad == "verbal cooperation"
    assert codes(event.source) == ["GBR", "JOR"] and event.target == []
    assert event.id == "t-E1"
    assert text[event.trigger.start:event.trigger.end] == event.trigger.text == "agreed"
    for ref in event.source:
        assert text[ref.start:ref.end] == ref.text
    assert event.date == "2024-05-06" and event.date_precision == "day" and event.date_text is None
    assert not event.negated and not event.hypothetical and event.reported_by is None


def test_passive_voice(coder: Coder) -> None:
    event = top(code(coder, "Kenyan villagers were attacked by Somali militants on Monday."))
    assert event.event_type == "ASSAULT"
    assert codes(event.source) == ["SOM"] and codes(event.target) == ["KEN"]


def test_reciprocal_talks_have_no_target(coder: Coder) -> None:
    event = only(code(coder, "Egypt held talks with Sudan in the capital."))
    assert event.event_type == "CONSULT" and event.trigger.text == "held talks"
    assert codes(event.source) == ["EGY", "SDN"] and event.target == []


def test_possessive_nominalisation(coder: Coder) -> None:
    event = only(code(coder, "Putin's visit to Astana drew large crowds."))
    assert (event.event_type, event.mode, event.cameo) == ("CONSULT", "visit", "04")
    assert codes(event.source) == ["RUS"] and codes(event.target) == ["KAZ"]


def test_pronoun_subject_through_the_actor_table(coder: Coder) -> None:
    text = "Kenya's economy grew. It later met Uganda."
    events = code(coder, text, pronouns={5: "Kenya"})
    event = only(events, "CONSULT")
    assert codes(event.source) == ["KEN", "UGA"]
    assert event.source[0].text in ("It", "Kenya")


def test_reported_speech_source_is_not_the_speaker(coder: Coder) -> None:
    event = only(code(coder, "Officials said Chinese troops attacked Indian positions."))
    assert event.event_type == "ASSAULT"
    assert codes(event.source) == ["CHN"] and codes(event.target) == ["IND"]


def test_must_in_reported_speech_is_a_request(coder: Coder) -> None:
    event = only(code(coder, "Germany said Poland must release the prisoners."))
    assert (event.event_type, event.mode) == ("REQUEST", "yield")
    assert codes(event.source) == ["DEU"] and codes(event.target) == ["POL"]
    assert event.trigger.text == "must"


def test_negation(coder: Coder) -> None:
    event = only(code(coder, "Ghana did not agree to the plan from Mali."))
    assert event.event_type == "AGREE" and event.negated
    assert codes(event.target) == ["MLI"]
    refused = only(code(coder, "Ghana said it will not accept the offer from Mali.", pronouns={2: "Ghana"}))
    assert refused.event_type == "REJECT" and not refused.negated


@pytest.mark.parametrize(("text", "type_", "hypothetical"), [
    ("Turkey may impose sanctions on Syria.", "SANCTION", True),
    ("Brazil plans to send aid to Haiti.", "AGREE", True),
    ("Japan will provide food aid to Nepal.", "AGREE", False),
    ("Turkey would impose sanctions on Syria if the shelling continued.", "THREATEN", False),
    ("Turkey is considering sanctions against Syria.", "THREATEN", False),
    ("Japan is expected to visit Nepal next week.", "AGREE", True),
])
def test_hypothetical_and_future(coder: Coder, text: str, type_: str, hypothetical: bool) -> None:
    event = top(code(coder, text))
    assert event.event_type == type_
    assert event.hypothetical is hypothetical


def test_conditional_conflict_is_a_threat(coder: Coder) -> None:
    event = top(code(coder, "Serbia will expel the diplomats unless Croatia apologizes."))
    assert event.event_type == "THREATEN" and codes(event.source) == ["SRB"]


def test_call_to_end_a_conflict_is_agree(coder: Coder) -> None:
    event = top(code(coder, "Qatar called for a ceasefire between Israel and Hamas."))
    assert event.event_type == "AGREE"
    assert codes(event.source) == ["QAT"] and codes(event.target) == ["ISR", "PSE"]


def test_no_plans_to_meet_is_negated(coder: Coder) -> None:
    event = only(code(coder, "Peru has no plans to meet Bolivia."))
    assert event.event_type == "CONSULT" and event.negated and event.hypothetical


def test_no_actor_no_event(coder: Coder) -> None:
    assert code(coder, "Talks were held on Monday amid heavy rain.") == []


def test_one_event_per_happening(coder: Coder) -> None:
    events = code(coder, "Iran threatened to attack American ships in an assault on the strait.")
    assert [e.event_type for e in events] == ["THREATEN"]
    assert codes(events[0].target) == ["USA"]


def test_location_date_and_quote(coder: Coder) -> None:
    text = "Armenia and Azerbaijan held talks in Baku on Friday, Russia said."
    baku = text.index("Baku")
    place = Place(name="Baku", country="AZE", admin1=None, lat=40.4, lon=49.9, geonames_id=587084,
                  feature="city", mentions=[Mention(baku, baku + 4, "Baku")])
    friday = text.index("on Friday")
    when = TimeExpr(text="on Friday", start=friday, end=friday + 9, in_title=False,
                    date="2024-05-03", precision="day")
    quote = Quote(id="Q1", direct=False, in_title=False,
                  speaker=Speaker(actor=None, text="Russia", start=text.index("Russia"), end=text.index("Russia") + 6),
                  cue=TextSpan("said", text.index("said"), text.index("said") + 4),
                  content=TextSpan(text[:text.index(",")], 0, text.index(",")))
    event = only(code(coder, text, places=[place], dates=[when], quotes=[quote]))
    assert event.location is not None and event.location.name == "Baku"
    assert text[event.location.start:event.location.end] == "Baku"
    assert (event.date, event.date_precision, event.date_text) == ("2024-05-03", "day", "on Friday")
    assert event.reported_by == "Q1"


def test_no_pub_date_gives_no_date(coder: Coder) -> None:
    event = only(code(coder, "Peru praised Bolivia.", pub_date=None))
    assert event.date is None and event.date_precision is None


def test_output_is_deterministic(coder: Coder) -> None:
    text = "Peru imposed sanctions on Bolivia. Chile condemned Peru. Egypt held talks with Sudan."
    first = [e.to_dict() for e in code(coder, text)]
    second = [e.to_dict() for e in code(coder, text)]
    assert first == second and [e["id"] for e in first] == ["t-E1", "t-E2", "t-E3"]


# --- golden tests on the example story (whole pipeline) -------------------------------------


def _find(record: CodedDocument, type_: set[str], sources: set[str], targets: set[str] = frozenset()) -> list[Event]:  # type: ignore[assignment]
    out = []
    for e in record.events:
        codes_ = {r.code for r in e.source} | {r.code for r in e.target}
        if e.event_type in type_ and sources <= {r.code for r in e.source} | (codes_ if not targets else set()) and targets <= {r.code for r in e.target}:
            out.append(e)
    return out


def test_example_talks_with_trump(example_record: CodedDocument) -> None:
    found = [e for e in _find(example_record, {"CONSULT"}, {"KAZ", "USA"}) if e.date == "2024-12"]
    assert found, [(e.event_type, e.trigger.text, e.date) for e in example_record.events]


def test_example_talks_with_putin(example_record: CodedDocument) -> None:
    found = [e for e in _find(example_record, {"CONSULT"}, {"KAZ", "RUS"}) if e.date == "2024-11"]
    assert found


def test_example_call_for_peace_negotiations(example_record: CodedDocument) -> None:
    found = [e for e in _find(example_record, {"AGREE", "REQUEST"}, {"KAZ"}, {"RUS", "UKR"})
             if e.date == "2022-02"]
    assert found and not found[0].in_title


def test_example_negotiations_with_chinese_company_are_reported(example_record: CodedDocument) -> None:
    quote_ids = {q.id for q in example_record.quotes}
    found = [e for e in example_record.events if "negotiations" in e.trigger.text and e.reported_by in quote_ids]
    assert any(e.event_type == "CONSULT" for e in found)


def test_example_rosatom_role_is_hypothetical(example_record: CodedDocument) -> None:
    rosatom = [e for e in example_record.events if any(r.text == "Rosatom" for r in e.source)]
    assert rosatom and all(e.hypothetical for e in rosatom)


def test_example_decision_to_send_black_boxes(example_record: CodedDocument) -> None:
    text = example_record.text
    decided = text.index("decided to send")
    found = [e for e in example_record.events if decided <= e.trigger.start <= decided + 15]
    assert found and all("KAZ" in {r.code for r in e.source} for e in found)
    # the commission decided, not "he" who recalled it
    assert any("commission" in r.text for e in found for r in e.source)


def test_example_spans_are_exact(example_record: CodedDocument) -> None:
    assert example_record.events
    for e in example_record.events:
        base = example_record.title if e.in_title else example_record.text
        assert base is not None
        assert base[e.trigger.start:e.trigger.end] == e.trigger.text
        for ref in e.source + e.target:
            assert example_record.text[ref.start:ref.end] == ref.text or (
                example_record.title or "")[ref.start:ref.end] == ref.text
        assert e.id.startswith(example_record.id + "-E")


def test_question_is_not_a_request(coder: Coder) -> None:
    events = code(coder, "Peru asked Bolivia whether the border was open.")
    assert [e.event_type for e in events if e.event_type == "REQUEST"] == []
    asked = only(code(coder, "Peru asked whether Bolivia would attend the talks."))
    assert asked.event_type == "CONSULT" and asked.hypothetical and codes(asked.source) == ["BOL"]


def test_came_under_attack_from(coder: Coder) -> None:
    event = top(code(coder, "Kenyan villagers came under attack from Somali militants."))
    assert event.event_type == "ASSAULT"
    assert codes(event.source) == ["SOM"] and codes(event.target) == ["KEN"]


def test_possessor_of_an_arrest_is_the_target(coder: Coder) -> None:
    event = top(code(coder, "Chile condemned Peru's arrest of Bolivian diplomats."))
    assert event.event_type == "ACCUSE" and codes(event.source) == ["CHL"]
    arrests = [e for e in code(coder, "Bolivia's arrest by Peru shocked Chile.") if e.event_type == "COERCE"]
    assert arrests and codes(arrests[0].source) == ["PER"] and codes(arrests[0].target) == ["BOL"]


def test_protest_demand_is_part_of_the_protest(coder: Coder) -> None:
    events = code(coder, "Peruvian farmers marched to demand land reform from Bolivia.")
    assert [e.event_type for e in events] == ["PROTEST"]
    assert codes(events[0].target) == ["BOL"]


def test_newsroom_request_for_comment_is_no_event(coder: Coder) -> None:
    assert code(coder, "Chile did not answer a request for comment from Peru.") == []


def test_push_for_clause_is_a_request(coder: Coder) -> None:
    event = top(code(coder, "Peru is pushing hard for Bolivia to support its plan."))
    assert event.event_type == "REQUEST"
    assert codes(event.source) == ["PER"] and codes(event.target) == ["BOL"]


def test_jailed_on_charges_is_also_an_accusation(coder: Coder) -> None:
    events = code(coder, "Peru jailed Bolivian diplomats on charges of spying.")
    assert {e.event_type for e in events} == {"COERCE", "ACCUSE"}
    assert all(codes(e.source) == ["PER"] for e in events)


@pytest.mark.parametrize("text", [
    "Peru released a report on Bolivia.",
    "Chile declined to comment on the report by Peru.",
    '"The danger is real," agreed Peru.',
    "Peru occupied a central position in the debate with Bolivia.",
])
def test_exceptions_are_no_events(coder: Coder, text: str) -> None:
    assert code(coder, text) == []


@pytest.mark.parametrize(("text", "type_", "mode"), [
    ("Peru withdrew from the treaty with Bolivia.", "SANCTION", "withdraw"),
    ("Peru warned Bolivia that it would attack the border posts.", "THREATEN", "violence"),
    ("Peruvian farmers took to the streets against Bolivia.", "PROTEST", "demo"),
    ("Peru established diplomatic relations with Bolivia.", "SUPPORT", None),
    ("Peru tested a missile near Bolivia.", "MOBILIZE", "weapons"),
    ("Peru closed its embassy in Bolivia.", "SANCTION", "discontinue"),
])
def test_argument_patterns(coder: Coder, text: str, type_: str, mode: str | None) -> None:
    event = top(code(coder, text))
    assert (event.event_type, event.mode) == (type_, mode)
    assert codes(event.source) == ["PER"]


def test_a_warning_about_something_is_no_threat(coder: Coder) -> None:
    assert [e for e in code(coder, "Peru warned of a slowdown in Bolivia.") if e.event_type == "THREATEN"] == []


def test_a_warning_against_a_conflict_act_is_a_threat(coder: Coder) -> None:
    """What is warned "against" is a warning's content, as what is warned "of" is: a threat when
    it is a conflict act, nothing when it is not; deciding "against" something is no threat."""
    threat = only(code(coder, "Peru warned Bolivia against new troop movements near the border."), "THREATEN")
    assert codes(threat.source) == ["PER"] and codes(threat.target) == ["BOL"]
    assert [e for e in code(coder, "Peru warned Bolivia against complacency.") if e.event_type == "THREATEN"] == []
    assert [e for e in code(coder, "Peru decided against military action in Bolivia.")
            if e.event_type == "THREATEN"] == []


def test_troop_movements_are_a_mobilization_a_movement_alone_is_not(coder: Coder) -> None:
    record = coder.code("Satellite images showed Peruvian troop movements near the border with Bolivia.",
                        pub_date="2024-05-06")
    assert codes(only(record.events, "MOBILIZE").source) == ["PER"]
    record = coder.code("The Peruvian student movement marched in Lima.", pub_date="2024-05-06")
    assert [e for e in record.events if e.event_type == "MOBILIZE"] == []


def test_located_and_nested_opponent_targets(coder: Coder) -> None:
    mobilized = top(code(coder, "Peru mobilized reservists for a possible war against Bolivia."))
    assert mobilized.event_type == "MOBILIZE" and codes(mobilized.target) == ["BOL"]
    protest = top(code(coder, "Peruvian farmers demonstrated in Bolivia on Tuesday."))
    assert protest.event_type == "PROTEST" and codes(protest.target) == ["BOL"]
    # a located target is only a last resort: a named recipient wins
    attack = top(code(coder, "Peru attacked Bolivian villages in Chile."))
    assert codes(attack.target) == ["BOL"]


def test_participle_and_nested_noun_roles(coder: Coder) -> None:
    attacked = [e for e in code(coder, "Bolivia, attacked by Peru last week, protested.") if e.event_type == "ASSAULT"]
    assert attacked and codes(attacked[0].source) == ["PER"] and codes(attacked[0].target) == ["BOL"]
    killed = only(code(coder, "Peru's attack on Bolivia killed ten people."))
    assert codes(killed.source) == ["PER"] and codes(killed.target) == ["BOL"]


def test_pattern_arguments_and_nested_content_targets(coder: Coder) -> None:
    attack = top(code(coder, "Peru launched a missile attack on Bolivia."))
    assert attack.event_type == "ASSAULT" and codes(attack.target) == ["BOL"]
    test = top(code(coder, "Peru launched a ballistic missile on Monday."))
    assert (test.event_type, test.mode) == ("MOBILIZE", "weapons")
    aid = top(code(coder, "Japan agreed to provide 5 million dollars in aid to Nepal."))
    assert aid.event_type == "AGREE" and codes(aid.target) == ["NPL"]


def test_headline_comma_coordination(coder: Coder) -> None:
    event = top(code(coder, "Peru, Bolivia hold talks in Lima"))
    assert event.event_type == "CONSULT" and codes(event.source) == ["BOL", "PER"]


def test_attacking_someone_for_something_is_criticism(coder: Coder) -> None:
    verbal = top(code(coder, "Peru attacked Bolivia for its handling of the crisis."))
    assert (verbal.event_type, verbal.mode) == ("ACCUSE", "disapprove")
    physical = top(code(coder, "Peru attacked Bolivian villages on Monday."))
    assert physical.event_type == "ASSAULT"


@pytest.mark.parametrize("text", [
    "Peru called Bolivia a liar.",
    "Peru's call drew criticism from Chile.",
    "A poll found Peru would beat out Bolivia.",
])
def test_non_event_uses_of_trigger_words(coder: Coder, text: str) -> None:
    assert [e.event_type for e in code(coder, text) if e.event_type in ("REQUEST", "ASSAULT")] == []


def test_stance_phrases_name_the_recipient(coder: Coder) -> None:
    strike = top(code(coder, "Peruvian farmers began a hunger strike in protest of Bolivia's new tariffs."))
    assert strike.event_type == "PROTEST" and codes(strike.target) == ["BOL"]
    march = top(code(coder, "Peruvian farmers marched on Monday in defiance of Bolivia."))
    assert march.event_type == "PROTEST" and codes(march.target) == ["BOL"]


def test_what_is_given_is_no_target_when_a_recipient_is_named(coder: Coder) -> None:
    """A transfer's target is its recipient, even when the thing given is coded as an actor
    (weapons and vehicles are MIL agents: "Chilean drones struck ...")."""
    aid = only(code(coder, "Chile supplied Chilean drones to Peru."), "AID")
    assert codes(aid.source) == ["CHL"] and codes(aid.target) == ["PER"]
    aid = only(code(coder, "Chile supplied Peru with Chilean drones."), "AID")
    assert codes(aid.target) == ["PER"]


def test_what_is_bought_is_no_target_the_seller_is(coder: Coder) -> None:
    """'buy X from Y' is an exchange with Y; X (tanks, jets: MIL agents in the tables) is goods."""
    deal = only(coder.code("Chile agreed to buy fighter jets from Peru.", pub_date="2024-05-06").events, "AGREE")
    assert codes(deal.source) == ["CHL"] and codes(deal.target) == ["PER"]
    plan = only(coder.code("Chile agreed to buy tanks.", pub_date="2024-05-06").events, "AGREE")
    assert plan.target == []


def test_forces_sent_by_their_own_state_are_no_target(coder: Coder) -> None:
    """Deploying or mobilising one's own forces: the forces are not the target; where they
    are sent ("to Peru") is."""
    record = coder.code("Chile deployed police officers to Peru on Monday.", pub_date="2024-05-06")
    move = only(record.events, "MOBILIZE")
    assert codes(move.source) == ["CHL"] and codes(move.target) == ["PER"]
    record = coder.code("Chilean forces mobilized reservists on Monday.", pub_date="2024-05-06")
    assert only(record.events, "MOBILIZE").target == []


def test_not_ruling_out_a_conflict_act_announces_it(coder: Coder) -> None:
    """A phrasal verb reads its own patterns ("rule out", not the "rule" of "oversee"), and
    not excluding sanctions or an attack is a threat of them, not a negated refusal."""
    threat = only(code(coder, "Chile did not rule out new sanctions on Peru."))
    assert (threat.event_type, threat.negated) == ("THREATEN", False) and codes(threat.target) == ["PER"]
    refusal = only(code(coder, "Chile ruled out new sanctions on Peru."))
    assert refusal.event_type == "REJECT"
    talks = only(code(coder, "Chile did not rule out talks with Peru."))
    assert (talks.event_type, talks.negated) == ("REJECT", True)


def test_his_counterpart_is_another_party_not_a_possession(coder: Coder) -> None:
    """'its troops' are the actor's own; 'his counterpart' is somebody else."""
    record = coder.code("The Chilean president spoke by phone with his Peruvian counterpart on Monday.",
                        pub_date="2024-05-06")
    talk = only(record.events, "CONSULT")
    assert codes(talk.source) == ["CHL"] and codes(talk.target) == ["PER"]


def test_a_nouns_owner_does_its_to_clause(coder: Coder) -> None:
    """"Peru's decision to expel", "Chile's plan to send": the owner of the decision or plan
    acts, not the subject of the verb governing the noun; "X's failure to V" did not happen."""
    events = code(coder, "Chile condemned Peru's decision to expel Bolivian diplomats.")
    expel = only(events, "SANCTION")
    assert codes(expel.source) == ["PER"] and codes(expel.target) == ["BOL"]
    sale = only(code(coder, "Chile regretted Peru's failure to sell weapons to Bolivia."), "COOPERATE")
    assert codes(sale.source) == ["PER"] and sale.negated


def test_fighting_a_fire_or_a_disease_is_no_event(coder: Coder) -> None:
    assert code(coder, "Chilean firefighters battled blazes near Peru.") == []
    assert code(coder, "Chile vowed to fight corruption.") == []  # was a THREATEN of violence


def test_a_pattern_reads_the_head_of_a_people_noun(coder: Coder) -> None:
    """CAMEO's "fight * government" is criticism; "fought government troops" is combat."""
    fight = only(code(coder, "Chile fought government troops in Peru."))
    assert fight.event_type == "ASSAULT"


def test_late_object_parsed_as_apposition_of_as(coder: Coder) -> None:
    event = top(code(coder, "Chile condemned as a grave mistake Peru's decision to close the border."))
    assert event.event_type == "ACCUSE" and codes(event.target) == ["PER"]


def test_own_possession_in_a_prepositional_phrase_is_no_target(coder: Coder) -> None:
    # "its" (token 6) is Peru: its market is Peru's own; the recipient is Bolivia
    text = "Peru plans to impose restrictions on its labour market for Bolivian diplomats for two years."
    event = top(code(coder, text, pronouns={6: "Peru"}))
    assert codes(event.source) == ["PER"] and codes(event.target) == ["BOL"]


def test_protest_without_recipient_targets_the_protesters_state(coder: Coder) -> None:
    event = top(code(coder, "Peruvian farmers blocked roads near the capital of Peru on Monday."))
    assert event.event_type == "PROTEST" and codes(event.target) == ["PER"]
    # a named recipient wins; no state in the sentence, no inferred target
    named = top(code(coder, "Peruvian farmers protested against Bolivia in Peru."))
    assert codes(named.target) == ["BOL"]
    bare = top(code(coder, "Peruvian farmers blocked roads on Monday."))
    assert bare.event_type == "PROTEST" and bare.target == []


def test_coordinated_modifiers_are_several_actors(coder: Coder) -> None:
    record = next(iter(coder.code_many([{"text": "Chilean and Peruvian warships held joint exercises on Monday."}])))
    event = top(record.events)
    assert event.event_type == "COOPERATE" and codes(event.source) == ["CHL", "PER"]


def test_parties_own_people_are_no_target_of_their_joint_act(coder: Coder) -> None:
    event = top(code(coder, "Peru and Bolivia failed to reach agreement on the land of Peruvian farmers."))
    assert codes(event.source) == ["BOL", "PER"] and event.target == []


def test_one_event_per_happening_in_a_sentence(coder: Coder) -> None:
    text = (
        "Commenting on his talks with US President Donald Trump in December last year, "
        "Kazakh President Kassym-Jomart Tokayev said he and Trump had a frank conversation."
    )
    record = coder.code(text, pub_date="2025-01-03")
    consult = [e for e in record.events if e.event_type == "CONSULT"]
    assert len(consult) == 1
    (event,) = consult
    assert {a.code for a in event.source} | {a.code for a in event.target} == {"KAZ", "USA"}
    assert event.date == "2024-12" and event.date_text == "in December last year"
    assert [e.id for e in record.events] == [f"{record.id}-E{i}" for i in range(1, len(record.events) + 1)]


@pytest.mark.parametrize(
    ("text", "type_", "source"),
    [
        ("Chile is willing to help Peru after the floods.", "AGREE", "CHL"),
        ("Iran remains ready to resume talks with the United States.", "AGREE", "IRN"),
    ],
)
def test_predicative_adjective_takes_the_copula_subject(coder: Coder, text: str, type_: str, source: str) -> None:
    record = coder.code(text, pub_date="2024-06-01")
    assert [(e.event_type, [a.code for a in e.source]) for e in record.events] == [(type_, [source])]


def test_a_crowd_of_people_protesting_in_a_city_is_that_countrys_civilians(coder: Coder) -> None:
    record = coder.code("Thousands of people marched in Nairobi against the new tax.", pub_date="2024-06-01")
    assert [(e.event_type, [(a.code, a.sector) for a in e.source]) for e in record.events] == [
        ("PROTEST", [("KEN", "CVL")])
    ]


def test_a_promise_to_nobody_is_no_agree_event(coder: Coder) -> None:
    record = coder.code("The governor pledged to cut property taxes next year.", pub_date="2024-06-01")
    assert [e.event_type for e in record.events if e.event_type == "AGREE"] == []
    record = coder.code("Japan pledged to help Vietnam build a new port.", pub_date="2024-06-01")
    assert [(e.event_type, [a.code for a in e.target]) for e in record.events][:1] == [("AGREE", ["VNM"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The senator attacked the governor over his budget.", [("ACCUSE", "disapprove")]),
        ("Gunmen attacked a police station near the border.", [("ASSAULT", None)]),
        ("The candidate captured 40 percent of the vote.", []),
        ("Rebels captured the town after a week of fighting.", [("COERCE", "seize")]),
    ],
)
def test_word_senses_decided_by_their_parties_and_objects(
    coder: Coder, text: str, expected: list[tuple[str, str | None]]
) -> None:
    record = coder.code(text, pub_date="2024-06-01")
    assert [(e.event_type, e.mode) for e in record.events][: len(expected) or None] == expected


def test_a_title_case_headline_is_read_in_sentence_case(coder: Coder) -> None:
    """spaCy's small model reads capitalised common words as names; the coder parses a Title
    Case headline with them in lower case, and every span keeps the story's own characters."""
    from dotterel.nlp import sentence_case

    words, known = coder.headline_words, coder.known_name
    assert sentence_case("Chile Slaps Sanctions on Peruvian Oil Firms", words, known) == \
        "Chile slaps sanctions on Peruvian oil firms"
    assert sentence_case("Talks Resume in March", words, known) == "Talks resume in March"  # months stay
    assert sentence_case("Chile slaps sanctions on Peru", words, known) == "Chile slaps sanctions on Peru"
    # a common word beside an unknown capitalised word may be part of a name: it stays
    assert sentence_case("Envoy Mark Ortuzar Meets Peruvian Leaders", words, known) == \
        "Envoy Mark Ortuzar meets Peruvian leaders"
    record = coder.code("Officials gave no details.", title="Chile Slaps Sanctions on Peruvian Oil Firms",
                        pub_date="2024-05-06")
    sanction = only(record.events, "SANCTION")
    assert sanction.in_title and sanction.trigger.text == "Slaps Sanctions"
    assert codes(sanction.source) == ["CHL"] and codes(sanction.target) == ["PER"]
