"""Finding a story's actors: named terms, spaCy entities, titles and agent nouns, merged.

The steps, each reading the whole story before deciding (the small spaCy model mislabels
single mentions, so labels are votes, not verdicts):

1. known terms (countries, capitals, demonyms, named actors) matched on tokens;
2. spaCy PERSON/ORG/NORP entities not covered by a term, stripped of titles in front;
3. the words in front of each name (``describe``) give title, country and organisation;
4. names are merged: same text, or a surname / shorter form of a fuller person name;
5. title nouns ("the Kazakh president") join the person with that role and country;
   agent nouns ("Iraqi police", "protesters") become organisation or group actors;
6. pronouns are resolved (``pronouns.py``), the story's dominant country is given to
   bare local agents ("the government", ``settle.py``), and actors are numbered by first
   mention (``assemble.py``). Term matching and name trimming live in ``terms.py``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..language import word_set
from ..nlp import entities
from .assemble import Cluster, make_table
from .describe import (
    LOCATIVE,
    STATE_SECTORS,
    Descriptor,
    Tokens,
    demonym_before,
    describe,
    of_complement,
    state_demonym,
    this_country_complement,
    where_complement,
    window_start,
)
from .knowledge import NONSTATE_CODES, ActorKnowledge, Agent, Term, Title, squash
from .pronouns import resolve_pronouns
from .settle import settle
from .table import ActorTable
from .terms import match_terms, strip_name, words_of

if TYPE_CHECKING:

    from ..nlp import Story

_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})
#: Agent sectors that do not take their country from where they are: "troops in Syria",
#: "refugees in Kenya" are often foreign.
WHERE_SKIP = frozenset({"MIL", "REF"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions after which a name is a place ("in Sahel"), unless a title says otherwise.
_IN_PLACE = word_set("actors.in_place")
_DEFINITE = word_set("actors.definite")
_INDEFINITE = word_set("actors.indefinite")
#: Titles that tell a person is a woman (for the pronouns that refer to her).
_FEMALE_TITLES = word_set("actors.female_titles")


class _Builder:
    """Assembles the clusters of one story."""

    def __init__(self, story: Story, kb: ActorKnowledge) -> None:
        self.story, self.doc, self.kb = story, story.doc, kb
        self.clusters: dict[tuple[str, ...], Cluster] = {}
        self.claimed: set[int] = set()  # tokens inside a mention or a descriptor
        self.toks = Tokens(story.doc)
        self.person_terms: dict[int, Term] = {}
        self.matches = match_terms(self.toks, kb)
        for start, (end, term) in list(self.matches.items()):
            if term.periods:  # a person with dated offices: the one valid on the story's date
                self.matches[start] = (end, term.on(story.pub_date))
        self.demonyms = frozenset(  # last token of each demonym match
            end - 1 for end, term in self.matches.values() if term.type == "demonym")

    def cluster(self, key: tuple[str, ...], kind: str) -> Cluster:
        found = self.clusters.get(key)
        if found is None:
            found = self.clusters[key] = Cluster(key=key, kind=kind)
        return found

    def add(self, cl: Cluster, first: int, last: int, kind: str) -> None:
        cl.mentions.append((first, last, kind))
        self.claimed.update(range(first, last))

    # -- named entities -----------------------------------------------------------------
    def names(self) -> list[tuple[int, int, str, Descriptor]]:
        """spaCy entities not covered by a known term: (start, end, label, descriptor)."""
        doc, kb, matches = self.doc, self.kb, self.matches
        out: list[tuple[int, int, str, Descriptor]] = []
        covered: dict[int, int] = {}
        for start, (end, _) in matches.items():
            for t in range(start, end):
                covered[t] = start
        cores: list[tuple[int, int, str]] = []
        for ent in entities(doc):
            if ent.label_ not in _NAME_LABELS and ent.label_ not in _PLACE_LABELS:
                continue
            if ent.label_ == "NORP" and (
                ent.root.pos_ == "ADJ"
                or ent.root.dep_ in ("amod", "compound")
                or ent.root.tag_ not in ("NNS", "NNPS")
            ):
                continue  # "Western allies": an adjective, not a people
            s = strip_name(self.toks, kb, ent.start, ent.end, matches)
            while s < ent.end and self.toks.pos[s] == "PUNCT":
                s += 1
            e = next(
                (t for t in range(s + 1, ent.end) if self.toks.lower[t] in ("in", "at")), ent.end
            )
            while e > s and self.toks.pos[e - 1] in ("ADP", "DET", "PUNCT", "CCONJ"):
                e -= 1
            while e > s and doc[e - 1].text in ("'s", "’s", "'", "’"):
                e -= 1
            if s >= e or squash(self.toks.span_text(s, e)) in kb.not_actors:
                continue
            if self.toks.text[s] in kb.not_actor_prefixes:
                continue  # "Cyclone Jude"
            if not any(self.toks.text[t][:1].isupper() for t in range(s, e)):
                continue  # "chapter": no capital, no name
            if (
                s >= 2
                and self.toks.lower[s - 1] == "of"
                and self.toks.phrase(s - 2, e) in kb.titles
            ):
                continue  # "State" in "Secretary of State"
            inner = sorted({covered[t] for t in range(s, e) if t in covered})
            if inner:
                if len(inner) == 1 and inner[0] == s and matches[s][0] == e:
                    term = matches[s][1]
                    if ent.label_ == "PERSON" and term.origin == "imported" and term.kind != "person":
                        # Phoenix files some people under organisations ("Jimmy Lai" as MED)
                        matches[s] = (e, replace(term, kind="person"))
                    continue  # exactly a known term
                if any(st < s or matches[st][0] > e for st in inner):
                    continue  # a known term reaches outside: trust the term
                # imported (Phoenix) names are weaker than the entity around them
                actor_terms = [
                    st for st in inner
                    if matches[st][1].type == "actor" and matches[st][1].origin != "imported"
                ]
                if ent.label_ in _PLACE_LABELS:
                    for st in actor_terms:  # "West Bank" is a place, not "the West"
                        del matches[st]
                    continue  # "Azerbaijan region": leave country terms alone
                if actor_terms:
                    continue  # "Islamist Hayat Tahrir al-Sham": the known actor wins
                for st in inner:  # "Michael Jordan", "Azerbaijan Airlines": the name wins
                    del matches[st]
            elif ent.label_ in _PLACE_LABELS:
                continue  # unknown places are the gazetteer's business
            cores.append((s, e, ent.label_))
        for start in sorted(matches):  # known persons (user files) join the name clustering
            end, term = matches[start]
            if term.kind == "person" and not any(s <= start < e for s, e, _ in cores):
                cores.append((start, end, "PERSON"))
                self.person_terms[start] = term
        for start in self.person_terms:
            del matches[start]
        cores.sort()
        stop = {t for s, e, _ in cores for t in range(s, e)}
        ends = {e: s for s, e, label in cores if label not in ("PERSON", "NORP")}
        for s, e, label in cores:
            lo = window_start(self.toks, s, stop)
            desc = describe(self.toks, kb, lo, s, matches)
            if desc.title is not None and desc.country is None and desc.org is None and lo in ends:
                # "Chinese Foreign Ministry spokesperson Mao Ning": the country of the body named
                # right before the title is the person's
                named = {kb.country_of(self.toks.text[t]) for t in range(ends[lo], lo)} - {None}
                if len(named) == 1:
                    desc.country = named.pop()
            out.append((s, e, label, desc))
        return out

    def build_names(self) -> None:
        """Cluster the named entities, linking surnames and shorter forms to fuller person names."""
        kb = self.kb
        entries = self.names()
        groups: dict[str, list[tuple[int, int, str, Descriptor]]] = {}
        for item in entries:
            term = self.person_terms.get(item[0])
            key = squash(term.name) if term else squash(self.toks.span_text(item[0], item[1]))
            groups.setdefault(key, []).append(item)
        votes: dict[str, Counter[str]] = {}
        for key in sorted(groups):
            c: Counter[str] = Counter()
            for _s, e, label, desc in groups[key]:
                c[
                    "person"
                    if label == "PERSON"
                    else "group"
                    if label == "NORP"
                    else "organization"
                ] += 1
                if desc.title is not None or desc.honorific is not None:
                    c["person"] += 3
                    c["evidence"] += 1
                if desc.agent is not None or self.toks.lower[e - 1] in kb.name_words:
                    c["evidence"] += 1
                last = self.doc[e - 1]
                if last.dep_ == "pobj" and last.head.lower_ in _IN_PLACE:
                    c["place"] += 1  # "in Sahel", "near Beledweyne": a place spaCy took for a name
                if desc.agent is not None:
                    c[desc.agent.kind if desc.agent.kind != "group" else "organization"] += 3
                if self.toks.lower[e - 1] in kb.name_words or (
                    e - _s > 2 and self.toks.lower[_s] in kb.name_words  # "University of X"
                ):
                    c["organization"] += 3
                    c["orgword"] += 1
            votes[key] = c
        # link shorter forms ("Tokayev", "Jomart Tokayev", "Central Command") to a fuller one
        words = {
            key: words_of(self.toks.span_text(groups[key][0][0], groups[key][0][1]))
            for key in groups
        }
        target: dict[str, str] = {}
        order = sorted(groups, key=lambda k: (-len(words[k]), groups[k][0][0]))
        for key in order:
            v = votes[key]
            n = len(words[key])
            # an organisation only with an organisation word, or a multi-word ORG majority:
            # a lone "Wang" tagged ORG three times is still Will Wang's surname
            is_org = bool(v["orgword"]) or (n > 1 and v["organization"] > v["person"] + 2)
            for longer in order:
                if len(words[longer]) <= n or longer in target:
                    continue
                extra = words[longer][:-n]
                if is_org:  # "U.S. Central Command" / "Central Command"
                    ok = words[longer][-n:] == words[key] and all(
                        kb.country_of(w.upper()) or kb.country_of(w.title()) for w in extra
                    )
                else:
                    person = votes[longer]["person"] + v["person"] > votes[longer]["organization"]
                    ok = person and words[longer][-n:] == words[key]
                if ok:
                    target[key] = longer
                    break
            if key not in target and n == 1 and not is_org:
                # a given name ("Albert") or a Chinese surname first ("Yao" of "Yao Ming"):
                # the one person whose name starts with it
                firsts = [
                    k
                    for k in order
                    if len(words[k]) > 1
                    and words[k][0] == words[key][0]
                    and k not in target
                    and votes[k]["person"] > votes[k]["organization"]
                ]
                if len(firsts) == 1:
                    target[key] = firsts[0]
        for key in sorted(groups):
            root = target.get(key, key)
            cl = self.cluster(("name", root), "person")
            if root == key:
                cl.votes.update(votes[key])
            else:  # a short form adds its evidence, not its (often wrong) ORG labels
                cl.votes.update({k: votes[key][k] for k in ("person", "evidence", "place")})
            for s, e, _label, desc in groups[key]:
                self.add(cl, s, e, "name")
                cl.names.append((s, e))
                self._apply_descriptor(cl, desc, s)
                term = self.person_terms.get(s)
                if term is not None:  # what the text says first, then the actor file
                    cl.votes["person"] += 10
                    cl.votes["evidence"] += 1
                    if cl.role is None and term.role is not None:
                        cl.table_role = True  # a title the text gives later still wins
                    cl.fill(
                        code=term.code, country=term.country, sector=term.sector, role=term.role
                    )
                if desc.honorific:
                    cl.gender = cl.gender or desc.honorific
                self._appositive(cl, e - 1)
        for ckey in sorted(self.clusters):
            cl = self.clusters[ckey]
            if ckey[0] == "name" and cl.votes["place"] and not cl.votes["evidence"]:
                del self.clusters[ckey]
        for cl in self.clusters.values():
            if cl.key[0] == "name":
                v = cl.votes
                cl.kind = max(
                    ("person", "organization", "group"), key=lambda k: (v[k], k == "person")
                )
                if cl.kind == "organization" and not cl.country:
                    inner = [
                        self.kb.country_of(self.toks.text[t])
                        for s, e in cl.names
                        for t in range(s, e)
                    ]
                    cl.country = next((c for c in inner if c), None)
                    cl.code = cl.code or cl.country
                if cl.kind == "organization" and not cl.sector:
                    s, e = cl.names[0]
                    low = self.toks.lower
                    cl.sector = self.kb.name_words.get(low[e - 1]) or (
                        self.kb.name_words.get(low[s]) if e - s > 2 else None
                    )

    def _apply_descriptor(self, cl: Cluster, desc: Descriptor, head: int) -> None:
        org = desc.org
        title = desc.title
        sector = title.sector if title else None
        if (
            org is not None
            and org.type == "actor"
            and (org.sector is not None or org.code in NONSTATE_CODES)
        ):
            # "IS emir" is REB, "Kremlin spokesman" GOV, "European Commission President" none
            sector = org.sector
        if sector is None and desc.agent is not None:
            sector = desc.agent.sector
        if sector is None and org is not None:
            sector = org.sector
        if sector is None and title is not None and desc.country and not desc.private:
            sector = "GOV"  # "Iranian leader", "Iraqi spokesman"
        if desc.private:
            desc.country = None  # "Japan chair at the Hudson Institute"
        code = org.code if org is not None and org.code else desc.country
        if title is not None and cl.table_role:  # "the deputy president, William Ruto,"
            cl.role, cl.table_role = None, False
            cl.sector = None if sector is not None else cl.sector
        cl.fill(
            code=code,
            country=desc.country or (org.country if org else None),
            sector=sector,
            role=title.role if title else None,
        )
        if title is not None and not cl.gender:
            low = title.role.lower()
            cl.gender = (
                "f" if low in _FEMALE_TITLES else ""
            )
        for t in range(desc.lo, head):
            cl.descriptors.append(t)
            self.claimed.add(t)

    def _appositive(self, cl: Cluster, head: int) -> None:
        """ "Vladimir Putin, Russia's president," — a title in apposition describes the name."""
        if head + 2 >= len(self.toks.text) or self.toks.text[head + 1] != ",":
            return
        for child in self.doc[head].rights:
            if child.dep_ != "appos" or child.i - head > 8:
                continue
            lo = child.left_edge.i
            while lo < child.i and self.doc[lo].dep_ in ("det", "punct"):
                lo += 1
            desc = describe(self.toks, self.kb, lo, child.i + 1, self.matches)
            self._org_title(desc, child.i)
            if desc.title is not None:
                self._apply_descriptor(cl, desc, child.i + 1)
                self.add(cl, lo, child.i + 1, "nominal")

    # -- known terms ------------------------------------------------------------------------
    def build_terms(self) -> None:
        """States, peoples and named actors found by the term matcher (modifiers excepted)."""
        doc = self.doc
        for start in sorted(self.matches):
            end, term = self.matches[start]
            if start in self.claimed:
                continue
            last = doc[end - 1]
            if term.type == "demonym":
                # an adjective: it colours the agent noun it modifies ("Iraqi police"); on a
                # thing or act ("Israeli airstrikes", "an Australian ultimatum") or coordinated
                # ("French and Egyptian warships") it names the state itself
                if state_demonym(last, self.demonyms, self._modifies_agent):
                    cl = self.cluster(("state", term.country or ""), "state")
                    cl.fill(code=term.code, country=term.country)
                    cl.display = cl.display or self.kb.countries.get(term.country or "", term.name)
                    self.add(cl, start, end, "demonym")
                continue
            if term.name.startswith("the ") and (
                start == 0
                or self.toks.lower[start - 1] != "the"
                or (end < len(self.toks.text) and self.toks.text[end][:1].isupper())
            ):
                continue  # "the West", but not "West Africa" or "West African"
            if (
                term.type in ("country", "capital")
                and last.dep_ in ("compound", "amod", "poss")
                and self._modifies_agent(last.head.i)
            ):
                continue
            if term.type == "capital":
                head = last.head
                if last.dep_ == "pobj" and head.lower_ in LOCATIVE:
                    continue
                if last.dep_ in ("compound", "amod") and last.head.pos_ in ("NOUN", "PROPN"):
                    continue
            if term.type in ("country", "capital"):
                cl = self.cluster(("state", term.country or ""), "state")
                cl.fill(code=term.code, country=term.country)
                if term.type == "capital":
                    cl.sector = "GOV"
                if term.type == "country" and (cl.display is None):
                    cl.display = self.kb.countries.get(term.country or "", term.name)
                self.add(cl, start, end, "state")
                cl.names.append((start, end))
            elif term.type == "people":
                home = of_complement(doc, end - 1, self.matches) or demonym_before(self.matches, start)
                where = home.country if home is not None and home.type in ("country", "demonym") else None
                if where is not None or (start > 0 and self.toks.lower[start - 1] == "ethnic"):
                    # "the Albanians of southern Serbia", "Iraqi Kurds": coded by where they live; "ethnic
                    # Albanians": a people, not the state of Albania (left to the context)
                    cl = self.cluster(("people", term.country or "", where or ""), "group")
                    cl.fill(code=where, country=where)
                else:
                    cl = self.cluster(("people", term.country or ""), "group")
                    cl.fill(code=term.code, country=term.country)
                self.add(cl, start, end, "name")
                cl.names.append((start, end))
            else:
                if (
                    term.kind == "organization"
                    and last.dep_ == "compound"
                    and last.head.i >= end
                    and self._modifies_agent(last.head.i)
                ):
                    continue  # "Hamas militants": the agent noun joins Hamas (build_nominals)
                lead = demonym_before(self.matches, start) if term.kind == "group" and term.code is None else None
                if lead is not None:  # "Iraqi Kurds": a people of no state, living in Iraq
                    cl = self.cluster(("term", term.name, lead.country or ""), term.kind)
                    cl.fill(code=lead.country, country=lead.country)
                else:  # a later bare "the Kurds" is the one qualified group named before
                    seen = [c for k, c in self.clusters.items() if len(k) == 3 and k[:2] == ("term", term.name)]
                    cl = seen[0] if len(seen) == 1 else self.cluster(("term", term.name), term.kind)
                cl.fill(code=term.code, country=term.country, sector=term.sector, role=term.role)
                if term.origin != "imported":  # imported names are in capitals: the text's form
                    cl.display = term.name
                self.add(cl, start, end, "name")
                cl.names.append((start, end))
                lo = window_start(self.toks, start, self.claimed)
                if lo < start:
                    desc = describe(self.toks, self.kb, lo, start, self.matches)
                    if desc.title is not None or desc.agent is not None:
                        if term.code in NONSTATE_CODES:  # "the U.N. Security Council": no sector
                            self.claimed.update(range(lo, start))
                        else:
                            self._apply_descriptor(cl, desc, start)

    def _country_possessor(self, lo: int, head: int) -> bool:
        """Whether a known term with a possessive 's sits in [lo, head) ("Georgia's opposition")."""
        return any(
            t in self.matches
            and self.matches[t][0] < len(self.toks.text)
            and self.toks.text[self.matches[t][0]] in ("'s", "’s")
            for t in range(lo, head)
        )

    def _org_title(self, desc: Descriptor, head: int) -> None:
        """ "president of the Committee for Freedom": the title's sector is the organisation's
        (unknown), not the state office it names elsewhere."""
        if desc.title is None or desc.org is not None:
            return
        for child in self.doc[head].rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "at"):
                for obj in child.children:
                    if (
                        obj.dep_ == "pobj"
                        and obj.ent_type_ == "ORG"
                        and obj.i not in self.matches
                        and self.kb.name_words.get(self.toks.lower[obj.i]) not in STATE_SECTORS
                    ):
                        desc.title = Title(desc.title.role, None)
                        desc.private = True
                        return

    def _modifies_agent(self, head: int) -> bool:
        tok = self.doc[head]
        if head in self.claimed:
            return True
        low, lemma = tok.lower_, tok.lemma_.lower()
        kb = self.kb
        return low in kb.agents or lemma in kb.agents or low in kb.titles or lemma in kb.titles

    # -- titles and agent nouns -------------------------------------------------------------
    def build_nominals(self) -> list[tuple[Cluster, bool, bool]]:
        """Title nouns join persons; agent nouns become clusters. Returns agents for the country pass."""
        doc, kb, toks = self.doc, self.kb, self.toks
        agents: list[tuple[Cluster, bool, bool]] = []
        for i, pos in enumerate(toks.pos):
            if pos not in ("NOUN", "PROPN") or i in self.claimed:
                continue
            if toks.lower[i] not in kb.heads and toks.lemma(i) not in kb.heads:
                continue
            tok = doc[i]
            if tok.dep_ == "compound" and tok.head.i > tok.i:
                continue  # "police chief", "government commission": the head decides
            if tok.ent_type_ in _PLACE_LABELS:
                continue  # "West Bank" is a place, not a bank
            lo = max(window_start(toks, tok.i, self.claimed), tok.left_edge.i)
            while lo < tok.i and toks.text[lo] in ("'s", "’s", "'", "’", "-"):
                lo += 1
            desc = describe(toks, kb, lo, tok.i + 1, self.matches)
            of = of_complement(doc, tok.i, self.matches)
            if of is not None:
                if of.type == "actor":
                    desc.org = desc.org or of
                desc.country = desc.country or of.country
            if desc.country is None and (
                (desc.title is None and desc.agent is not None and desc.agent.sector not in WHERE_SKIP)
                or (desc.title is not None and desc.title.sector not in WHERE_SKIP)
            ):
                # "rebels in the Ivory Coast", "militants in Kandahar"
                desc.country = where_complement(doc, tok.i, self.matches, kb)
            if desc.country is None and desc.agent is not None:  # "a company from this country"
                desc.country = this_country_complement(doc, tok.i, self.matches, toks.sent_start)
            self._org_title(desc, tok.i)
            det = next((c.lower_ for c in tok.lefts if c.dep_ in ("det", "poss")), "")
            plural = tok.tag_ in ("NNS", "NNPS")
            if desc.title is not None and not plural:
                self._title_nominal(tok.i, desc, det)
            elif desc.agent is not None or desc.title is not None:
                self._agent_nominal(tok.i, lo, desc, det, plural, agents)
        return agents

    def _agent_nominal(
        self,
        head: int,
        lo: int,
        desc: Descriptor,
        det: str,
        plural: bool,
        agents: list[tuple[Cluster, bool, bool]],
    ) -> None:
        """An agent noun ("Iraqi police") or a plural title ("government ministers"): a new cluster."""
        if desc.agent is not None:
            agent, phrase = desc.agent, desc.agent_phrase or self.doc[head].lower_
        else:
            assert desc.title is not None
            if desc.title.sector is None:
                return  # "leaders of the foundation": no sector, no actor
            agent = Agent(desc.title.sector, "group", True)
            phrase = desc.title.role.lower()
        org = desc.org
        if org is not None and org.type == "actor" and org.kind == "organization":
            home = self.cluster(("term", org.name), org.kind)  # "Hamas militants" are Hamas
            home.fill(code=org.code, country=org.country, sector=org.sector, role=org.role)
            home.display = org.name
            self.add(home, lo, head + 1, "nominal")
            return
        if agent.needs_modifier and desc.country is None and org is None:
            return  # "both sides", "world leaders": no actor without a country
        if agent.needs_definite and det != "the" and not self._country_possessor(lo, head):
            return  # "growing opposition", "UK opposition" (to something), not "the opposition"
        if agent.needs_bare and any(c.dep_ == "prep" and c.lower_ == "of" for c in self.doc[head].children):
            return  # "thousands of workers": the workers are the actor, "thousands of homes" none
        cl = Cluster(key=("agent",), kind=agent.kind, agent_key=phrase)
        cl.fill(
            code=org.code if org and org.code else desc.country or agent.code,
            country=desc.country or (org.country if org else None),
            sector=agent.sector,
        )
        cl.mentions.append((lo, head + 1, "nominal"))
        self.claimed.update(range(lo, head + 1))
        cl.possessor = next(
            (c.i for c in self.doc[head].lefts if c.dep_ == "poss" and c.pos_ == "PRON"), None
        )
        definite = det in _DEFINITE or (det == "" and (plural or agent.kind == "organization"))
        local_ok = agent.local and definite and not desc.foreign and det not in _INDEFINITE
        if agent.kind == "state":
            if plural:
                return  # "the two countries"
            local_ok = det == "the" and not desc.foreign
        agents.append((cl, local_ok or (desc.local and not desc.foreign), desc.foreign))

    def _title_nominal(self, head: int, desc: Descriptor, det: str) -> None:
        title = desc.title
        assert title is not None
        first = desc.lo
        for child in self.doc[head].rights:  # "the deputy president, William Ruto,"
            if child.dep_ == "appos" and child.i - head <= 3:
                named = next(
                    (
                        c
                        for c in self.clusters.values()
                        if c.kind == "person" and any(f <= child.i < la for f, la, _ in c.mentions)
                    ),
                    None,
                )
                if named is not None:
                    self._apply_descriptor(named, desc, head)
                    self.add(named, first, head + 1, "nominal")
                    return
        persons = [
            c
            for c in self.clusters.values()
            if c.kind == "person"
            and c.role
            and c.role.lower() == title.role.lower()
            and (desc.country is None or c.country in (None, desc.country))
        ]
        if persons and det not in _INDEFINITE:
            before = [c for c in persons if c.first < head]
            cl = (
                max(before, key=lambda c: c.first)
                if before
                else min(persons, key=lambda c: c.first)
            )
            self.add(cl, first, head + 1, "nominal")
            return
        if title.sector is None and desc.country is None and desc.org is None:
            return  # "the spokesman": too vague to be an actor of its own
        key = ("title", title.role, desc.country or "", desc.org.name if desc.org else "")
        cl = self.cluster(key, "person")
        self._apply_descriptor(cl, desc, desc.title_lo)
        self.add(cl, first, head + 1, "nominal")


def extract_actors(story: Story, kb: ActorKnowledge) -> ActorTable:
    """Find every person, organisation, state and group of ``story`` and merge their mentions.

    Returns the :class:`ActorTable`: actors numbered "A1", "A2", ... in order of first
    mention, each with all its mentions (names, title nouns, resolved pronouns) as
    contract offsets, and lookups by combined-string offset or token.
    """
    b = _Builder(story, kb)
    b.build_names()
    b.build_terms()
    agents = b.build_nominals()
    named = list(b.clusters.values())
    resolve_pronouns(b.toks, named + [cl for cl, _, _ in agents], b.claimed)
    merged = settle(story, b.toks, kb, named, agents, b.cluster)
    everything = named + list(merged.values())
    return make_table(story, b.toks, everything)


__all__ = ["extract_actors"]
