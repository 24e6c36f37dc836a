"""Events: named and unnamed, parents, dates, places; participation roles and organisers."""
from kg.extract import extract
from kg.model import Kind, Role

HEAD = "A headline about finance\n\nBy Test Writer\n2021-05-10\n\n"


def run(nlp, body):
    x = extract(HEAD + body, "t.txt", nlp)
    ents = {e.id: e for e in x.entities}
    events = {e.name: e for e in x.entities if e.kind is Kind.EVENT}
    parts = {(ents[p.event].name, ents[p.participant].name, p.role) for p in x.participations}
    return x, ents, events, parts


def test_named_event_date_and_place(nlp):
    x, ents, events, _ = run(nlp, "The 2021 Xiamen Green Finance Forum opened yesterday in Xiamen.")
    ev = events["2021 Xiamen Green Finance Forum"]
    assert ev.date == "2021-05-09"
    assert ents[ev.location].name == "Xiamen"


def test_sub_forum_phrase_keeps_the_printed_name_and_parent(nlp):
    x, ents, events, _ = run(nlp, "Bankers told a green credit sub-forum of the Kunming Lake Forum yesterday that loans grew.")
    sub = events["green credit sub-forum of the Kunming Lake Forum"]
    assert ents[sub.parent].name == "Kunming Lake Forum"


def test_its_sub_event_gets_parent(nlp):
    x, ents, events, _ = run(nlp, "The Global Summit on Carbon Markets opened yesterday at the Xiamen Convention Center, "
                                  "together with its sub-event the Carbon Match Expo.")
    assert ents[events["Carbon Match Expo"].parent].name == "Global Summit on Carbon Markets"
    assert ents[events["Global Summit on Carbon Markets"].location].name == "Xiamen Convention Center"


def test_x_of_the_y_event_splits_with_parent(nlp):
    x, ents, events, _ = run(nlp, "The Payments Conference of the 2031 Harbor Finance Forum is under way in Xiamen.")
    assert ents[events["Payments Conference"].parent].name == "2031 Harbor Finance Forum"


def test_unnamed_signing_event_belongs_to_the_forum(nlp):
    x, ents, events, parts = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen. A number of signing activities "
                                      "were held at the forum, including the signing of contracts between the Jade River "
                                      "Alliance and the Pine Valley Capital Group.")
    unnamed = [e for e in events.values() if not e.named]
    assert unnamed and unnamed[0].event_kind.value == "Signing"
    assert ents[unnamed[0].parent].name == "2030 Lakeside Capital Forum"
    assert (unnamed[0].name, "Jade River Alliance", Role.SIGNATORY) in parts
    assert (unnamed[0].name, "Pine Valley Capital Group", Role.SIGNATORY) in parts


def test_speaker_of_the_article_event(nlp):
    _, _, _, parts = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen on Sunday. "
                              "Markets are calm, said Yu Hanlin, president of the Jade River Bank.")
    assert ("2030 Lakeside Capital Forum", "Yu Hanlin", Role.SPEAKER) in parts


def test_keynote_and_panel_roles(nlp):
    _, _, _, parts = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen. Bo Lin, Professor of Maple College, "
                              "delivered a keynote speech, and Rui Feng, Chairman of Blue Bay Capital, "
                              "conducted a high-end dialogue.")
    x, ents, events, _ = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen. Bo Lin, Professor of Maple "
                                  "College, delivered a keynote speech, and Rui Feng, Chairman of Blue Bay Capital, "
                                  "conducted a high-end dialogue.")

    def rolled(event_id):  # the named root of an event
        while ents[event_id].parent:
            event_id = ents[event_id].parent
        return ents[event_id].name
    got = {(rolled(p.event), ents[p.participant].name, p.role) for p in x.participations}
    assert ("2030 Lakeside Capital Forum", "Bo Lin", Role.KEYNOTE_SPEAKER) in got
    assert ("2030 Lakeside Capital Forum", "Rui Feng", Role.PANELIST) in got


def test_moderator_and_attendees(nlp):
    _, _, _, parts = run(nlp, "The Maple Fintech Summit opened in Xiamen. Guo Ping, director of the Xiamen Finance "
                              "Bureau, attended the opening ceremony. The ceremony was presided over by Fan Li.")
    assert any(p[1] == "Guo Ping" and p[2] is Role.ATTENDEE for p in parts)
    assert any(p[1] == "Fan Li" and p[2] is Role.MODERATOR for p in parts)


def test_roadshow_presenters(nlp):
    x, ents, events, parts = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen. The forum also carried out a "
                                      "project roadshow, and three projects of Lanting Robotics Co., Ltd., Qiyun Medical "
                                      "Technology, and Haiyan Battery Co., Ltd. were displayed.")
    presenters = {p[1] for p in parts if p[2] is Role.PRESENTER}
    assert {"Lanting Robotics Co., Ltd.", "Qiyun Medical Technology", "Haiyan Battery Co., Ltd."} <= presenters


def test_organiser_roles(nlp):
    _, _, _, parts = run(nlp, "The 2030 Lakeside Capital Forum was held in Xiamen. The forum was hosted by the Xiamen "
                              "Finance Bureau, organized by the Jade River Alliance, co-organized by the Lakeside "
                              "University, and sponsored by Harbor Bank.")
    got = {(p[1], p[2]) for p in parts}
    assert ("Xiamen Finance Bureau", Role.HOST) in got
    assert ("Jade River Alliance", Role.ORGANIZER) in got
    assert ("Lakeside University", Role.CO_ORGANIZER) in got
    assert ("Harbor Bank", Role.SPONSOR) in got


def test_article_without_an_event_has_no_quote_participants(nlp):
    x, _, _, parts = run(nlp, "Lakeside City topped a ranking of fintech hubs for a second year. "
                              "Yu Hanlin, dean of the Maple Business School, said the lead would hold.")
    assert parts == set()


def test_named_sub_forums_listed_by_the_conference_are_its_parts(nlp):
    x, ents, events, _ = run(nlp, "The 2030 Harbor Digital Finance Conference opened in Xiamen on Thursday. The conference "
                                  "featured six parallel sessions, including the Ledger Sub-forum and the Credit Sub-forum.")
    for name in ("Ledger Sub-forum", "Credit Sub-forum"):
        assert events[name].event_kind.value == "SubForum"
        assert ents[events[name].parent].name == "2030 Harbor Digital Finance Conference"


def test_definite_phrase_anaphor_prefers_the_whole_phrase(nlp):
    x, ents, events, parts = run(nlp, "The 2030 Harbor Digital Finance Conference opened in Xiamen. It held a main forum "
                                      "and the Ledger Sub-forum. Markets need rules, said Han Qiu, president of Jade "
                                      "River Bank, in a keynote speech at the main forum.")
    assert ("main forum", "Han Qiu", Role.KEYNOTE_SPEAKER) in parts


def test_quoted_theme_is_not_an_organisation(nlp):
    x, ents, _, _ = run(nlp, 'Themed "Digital Harbor for All", the 2030 Harbor Finance Forum opened in Xiamen.')
    assert not any(e.kind is Kind.ORGANIZATION for e in x.entities)


def test_members_named_after_including_take_the_role_of_the_group(nlp):
    _, _, _, parts = run(nlp, "The 2030 Harbor Capital Conference was held in Xiamen. At the meeting, 12 banks including "
                              "Jade River Bank and Pine Valley Bank signed cooperation agreements with the Harbor "
                              "Investment Group. During the roadshow session, 10 firms such as Lanting Robotics Co., "
                              "Ltd. and Haiyan Battery Co., Ltd. made project presentations.")
    got = {(p[1], p[2]) for p in parts}
    assert ("Jade River Bank", Role.SIGNATORY) in got and ("Pine Valley Bank", Role.SIGNATORY) in got
    assert ("Harbor Investment Group", Role.SIGNATORY) in got
    assert ("Lanting Robotics Co., Ltd.", Role.PRESENTER) in got


def test_quoted_platform_is_not_an_organisation(nlp):
    x, ents, _, _ = run(nlp, 'At the forum, the "Harbor Credit Service Platform" and the "Harbor Data Network" were launched.')
    assert "Harbor Credit Service Platform" not in ents and "Harbor Data Network" not in ents


def test_generic_meeting_of_an_agency_is_no_named_event(nlp):
    x, ents, events, _ = run(nlp, "Officials discussed the plan at a meeting of the Harbor Finance Bureau on Monday.")
    assert not [e for e in events.values() if e.named]


def test_event_named_only_in_the_headline_is_the_forum_the_body_means(nlp):
    x = extract("2030 Harbor Finance Forum opens in Xiamen\n\nBy Test Writer\n\nThe forum opened on Monday. "
                "Han Qiu, president of Jade River Bank, said markets were calm.", "t.txt", nlp)
    ents = {e.id: e.name for e in x.entities}
    assert ("2030 Harbor Finance Forum", "Han Qiu") in {(ents[p.event], ents[p.participant]) for p in x.participations}


def test_event_held_during_another_is_its_part(nlp):
    x, ents, events, _ = run(nlp, "The index was released on September 8 at a press conference on Xiamen's fintech "
                                  "achievements, held in Xiamen during the Harbor Trade Fair.")
    conf = events["press conference on Xiamen's fintech achievements"]
    assert ents[conf.parent].name == "Harbor Trade Fair"
    assert conf.date == "2021-09-08"


def test_city_plus_common_noun_is_no_event_name(nlp):
    x, ents, events, _ = run(nlp, "Deals were inked at the Xiamen conference on Monday.")
    assert not [e for e in events.values() if e.named]


def test_unnamed_contest_and_signing_belong_to_the_article_event(nlp):
    x, ents, events, parts = run(nlp, "The 2030 Harbor Fintech Conference opened yesterday at the Xiamen Expo Center, with "
                                      "a startup pitch contest. During the signing ceremony, the Harbor Fintech Alliance "
                                      "inked agreements with Jade River Bank. The conference, co-hosted by the Harbor "
                                      "Finance Bureau, runs through Tuesday.")
    for e in events.values():
        if not e.named:
            assert ents[e.parent].name == "2030 Harbor Fintech Conference"
    assert ("2030 Harbor Fintech Conference", "Harbor Finance Bureau", Role.CO_ORGANIZER) in parts


def test_opening_ceremony_of_a_named_forum_is_its_unnamed_part(nlp):
    x, ents, events, _ = run(nlp, "Zhao Mei attended the opening ceremony of the 2030 Harbor Finance Forum in Xiamen.")
    named = {e.name for e in events.values() if e.named}
    assert named == {"2030 Harbor Finance Forum"}
    part = [e for e in events.values() if not e.named][0]
    assert part.name == "opening ceremony" and ents[part.parent].name == "2030 Harbor Finance Forum"


def test_event_name_without_its_year_is_the_same_event(nlp):
    x, ents, events, _ = run(nlp, "The Harbor FinTech Week 2031 opened on Monday. The Harbor FinTech Week has grown "
                                  "every year, and the 2031 Lakeside Forum and the Lakeside Forum are one too.")
    named = {e.name for e in events.values() if e.named}
    assert named == {"Harbor FinTech Week 2031", "2031 Lakeside Forum"}


def test_award_winners(nlp):
    _, _, _, parts = run(nlp, "The 2030 Harbor Innovation Contest ended in Xiamen on Friday. Lanting Robotics Co., Ltd. "
                              "won the first prize, and Qi Yue received the best mentor award.")
    got = {(p[1], p[2]) for p in parts}
    assert ("Lanting Robotics Co., Ltd.", Role.AWARDEE) in got and ("Qi Yue", Role.AWARDEE) in got


def test_the_forum_is_the_article_forum_that_ceremony_the_latest(nlp):
    x, ents, events, parts = run(nlp, "The 2031 Harbor Green Finance Forum opened on Tuesday in Xiamen. At a sub-forum on "
                                      "carbon markets, Qi Yue presented a report. The forum was organized by the Harbor "
                                      "Finance Bureau.")
    assert ("2031 Harbor Green Finance Forum", "Harbor Finance Bureau", Role.ORGANIZER) in parts
    x, ents, events, parts = run(nlp, "The inauguration ceremony of the Harbor Lab drew Qi Yue. Last year a signing "
                                      "ceremony was presided over by Mo Tian. At that ceremony Mo Tian spoke.")
    assert not any(p[1] == "Mo Tian" and p[0].startswith("inauguration") for p in parts)


def test_signing_told_by_a_verb_is_part_of_the_named_event_with_its_date(nlp):
    x, ents, events, parts = run(nlp, "The 2030 Harbor Capital Conference opened yesterday in Xiamen. Zhao Mei attended "
                                      "the opening ceremony. At the event, the Jade River Bank signed an agreement with "
                                      "the Harbor Finance Bureau.")
    signing = events["signing"]
    assert ents[signing.parent].name == "2030 Harbor Capital Conference"
    assert signing.date == "2021-05-09"
    assert ("signing", "Jade River Bank", Role.SIGNATORY) in parts


def test_people_quoted_in_an_article_about_an_event_speak_at_it(nlp):
    body = ("LAKESIDE -- Ola Brandt has a simple tip for visitors. Go to the harbour, the economist says, "
            "and you will see the old city.\n\nBrandt offered that view on Monday at the 2031 Harbor Forum on "
            "Innovation. The forum drew 300 guests.\n\nLater, Kai Moreno, chairman of Lakeside Holdings, "
            "said the region needed more venture capital.")
    x, ents, events, parts = run(nlp, body)
    assert ("2031 Harbor Forum on Innovation", "Kai Moreno", Role.SPEAKER) in parts


def test_the_headline_names_the_event_the_article_is_about(nlp):
    text = ("Disponible en Español\n\nThe Third Lakeside Fintech Meeting: central banks weigh quantum computing\n\n"
            "Activities | Market Infrastructure\n\nDay one looked at new technologies in payments.\n\n"
            "Dr. Ola Brandt, CEO of Harbor Pay, gave the keynote speech.")
    x = extract(text, "t.txt", nlp)
    ents = {e.id: e for e in x.entities}
    parts = {(ents[p.event].name, ents[p.participant].name, p.role) for p in x.participations}
    assert ("Third Lakeside Fintech Meeting", "Ola Brandt", Role.KEYNOTE_SPEAKER) in parts


def test_people_quoted_about_a_report_released_at_an_event_do_not_speak_at_it(nlp):
    body = ("Lakeside came first in the Harbor Fintech Index 2031 for the second year running.\n\n"
            "The report was released on September 8 at a press conference on Lakeside's fintech record, held in "
            "Lakeside during the Harbor Trade Fair.\n\n"
            "Ola Brandt, dean of the Harbor Business School, whose team compiled the index, said fintech was now "
            "an irreversible trend.")
    x, ents, events, parts = run(nlp, body)
    assert not any(who == "Ola Brandt" for _, who, _ in parts)


def test_an_event_named_only_in_passing_is_not_what_the_article_is_about(nlp):
    body = ("Lakeside has moved up to eighth in the latest comparison of fintech hubs, the report finds.\n\n"
            "The release was timed for the first day of the Harbor Finance Summit in London.\n\n"
            "Ola Brandt, chief executive of Harbor Finance, said the table showed how far the city had come.")
    x, ents, events, parts = run(nlp, body)
    assert not any(who == "Ola Brandt" for _, who, _ in parts)


# ---- event names without a head word, read from their context (invented names)
def test_a_name_before_a_lower_case_event_noun_is_an_event(nlp):
    x, ents, events, parts = run(nlp, "The deal was signed during the activities of PayNext Arabia conference and "
                                      "exhibition, which is held in Doha.")
    assert "PayNext Arabia" in events or "PayNext Arabia conference" in events


def test_a_name_with_a_year_where_something_happens_is_an_event(nlp):
    x, ents, events, parts = run(nlp, "The former minister told a packed hall at Paystream Europa 2031 in Lisbon "
                                      "on Wednesday that start-ups needed capital.")
    assert "Paystream Europa 2031" in events
    x, ents, events, parts = run(nlp, "If the Harbor Fintech Fest 2031 had a theme song, it would be about queues.")
    assert "Harbor Fintech Fest 2031" in events


def test_a_name_with_a_year_that_is_a_plan_or_an_institution_is_no_event(nlp):
    x, ents, events, parts = run(nlp, "The programme is one of the pillars of Harbor Vision 2040, officials said. "
                                      "The Bank of Lakeland conference opened on Monday.")
    assert "Harbor Vision 2040" not in events and "Bank of Lakeland" not in events


def test_a_day_named_as_an_event(nlp):
    x, ents, events, parts = run(nlp, "Eastport District brought its Venture Capital Day of Harbor City event to "
                                      "the capital last Wednesday.")
    assert "Venture Capital Day of Harbor City" in events


# ---- lists of participants (invented names)
LEAD = "The 2031 Harbor Fintech Forum opened on Monday in Lakeside.\n\n"


def roles_of(parts, event="2031 Harbor Fintech Forum"):
    return {who: role for ev, who, role in parts if ev == event}


def test_speakers_included_a_list(nlp):
    *_, parts = run(nlp, LEAD + "Speakers included Ilse Varga, chief economist of Harbor Bank, Tomas Ruiz of "
                                "Lakeside Capital and Mei Tanaka.")
    assert roles_of(parts) == {"Ilse Varga": Role.SPEAKER, "Tomas Ruiz": Role.SPEAKER, "Mei Tanaka": Role.SPEAKER}


def test_among_the_guests_were(nlp):
    *_, parts = run(nlp, LEAD + "Among the guests were Ilse Varga, Tomas Ruiz and Mei Tanaka.")
    assert set(roles_of(parts).values()) == {Role.ATTENDEE} and len(roles_of(parts)) == 3


def test_a_role_noun_before_a_colon(nlp):
    *_, parts = run(nlp, LEAD + "Panelists: Ilse Varga (Harbor Bank), Tomas Ruiz (Lakeside Capital) and Mei Tanaka "
                                "(Nordbank).")
    assert roles_of(parts) == {"Ilse Varga": Role.PANELIST, "Tomas Ruiz": Role.PANELIST, "Mei Tanaka": Role.PANELIST}


def test_a_panel_featured_and_a_moderator_of_its_own(nlp):
    *_, parts = run(nlp, LEAD + "The opening panel featured Ilse Varga and Tomas Ruiz, and was moderated by Mei Tanaka.")
    got = {who: role for _, who, role in parts}
    assert got == {"Ilse Varga": Role.PANELIST, "Tomas Ruiz": Role.PANELIST, "Mei Tanaka": Role.MODERATOR}


def test_bulleted_lines_under_a_heading(nlp):
    *_, parts = run(nlp, LEAD + "Speakers at the forum:\n- Ilse Varga, chief economist, Harbor Bank\n"
                                "- Tomas Ruiz, partner, Lakeside Capital\n\nThe forum ends on Friday with a gala.")
    assert roles_of(parts) == {"Ilse Varga": Role.SPEAKER, "Tomas Ruiz": Role.SPEAKER}


def test_names_in_a_list_after_a_cue_that_is_no_role_are_no_list(nlp):
    *_, parts = run(nlp, LEAD + "Investors in the fund include Ilse Varga and Tomas Ruiz, the filing shows.")
    assert not any(role is Role.SPEAKER for _, _, role in parts)


def test_untagged_names_that_deliver_a_keynote_or_chair_are_people(nlp):
    *_, parts = run(nlp, LEAD + "Ilse Varga delivered a keynote on payments, while Tomas Ruiz chaired a roundtable.")
    got = {who: role for _, who, role in parts}
    assert got == {"Ilse Varga": Role.KEYNOTE_SPEAKER, "Tomas Ruiz": Role.MODERATOR}


def test_bulleted_winners_under_a_long_heading_are_awardees(nlp):
    *_, parts = run(nlp, "The Harbor Prize 2031 presentation ceremony was officiated by the mayor yesterday. The six "
                         "winners, listed in alphabetical order, are:\n\n• Alex Kwan – Founder, Paytech Group\n"
                         "• Mira Osei – Professor of Finance, Harbor University\n\nThe prize was created in 2030.")
    got = {(ev, who): role for ev, who, role in parts}
    assert got.get(("Harbor Prize 2031 presentation ceremony", "Alex Kwan")) is Role.AWARDEE
    assert got.get(("Harbor Prize 2031 presentation ceremony", "Mira Osei")) is Role.AWARDEE


def test_a_quoted_title_that_was_held_is_an_event(nlp):
    x = extract(HEAD + 'The college on Thursday held "A Dialogue Across Forty Springs", an exchange meeting at which '
                       'alumni met students.\n\nNine alumni came back for the occasion:\n\n'
                       '- Wang Shuilin (class of 1975), chairman of Harbor Leasing Co., Ltd.;\n'
                       '- Li Hongmei (class of 1976), former director of the Lakeside Banking Bureau.\n', "t.txt", nlp)
    ents = {e.id: e for e in x.entities}
    events = {e.name for e in x.entities if e.kind is Kind.EVENT and e.named}
    assert "A Dialogue Across Forty Springs" in events
    parts = {(ents[p.event].name, ents[p.participant].name) for p in x.participations}
    assert {("A Dialogue Across Forty Springs", "Wang Shuilin"), ("A Dialogue Across Forty Springs", "Li Hongmei")} <= parts


def test_a_quoted_product_that_was_launched_is_no_event(nlp):
    x, ents, events, parts = run(nlp, 'The central bank launched "Harbor Pay" through the national payment system.')
    assert "Harbor Pay" not in events


def test_one_of_the_main_activities_of_a_forum_is_its_sub_event(nlp):
    x, ents, events, parts = run(nlp, "The online release conference of the 2031 Harbor Finance Index was held on "
                                      "Thursday. The release conference is one of the main activities of the 2031 "
                                      "Harbor Finance Forum.")
    rc = next(e for n, e in events.items() if n.startswith("online release conference"))
    assert rc.parent and ents[rc.parent].name == "2031 Harbor Finance Forum"


def test_a_ceremony_a_phrase_names_belongs_to_the_forum_in_focus(nlp):
    x, ents, events, parts = run(nlp, "The business school used the stage of the third Harbor Crypto Forum on Tuesday to "
                                      "open a research centre.\n\nThe inauguration ceremony for the Harbor Web3 Hub took "
                                      "place at the convention centre. Prof. Ola Brandt, dean of the school, officiated.")
    cer = next(e for n, e in events.items() if n.startswith("inauguration ceremony"))
    assert cer.parent and ents[cer.parent].name.endswith("Harbor Crypto Forum")


def test_the_agent_of_a_passive_verb_takes_part(nlp):
    *_, parts = run(nlp, "Kai Moreno spent part of his Harbor Tech Week visit at Lakeside College this week.\n\n"
                         "He was greeted by Nick Jenner, the college's vice-provost.")
    assert ("Harbor Tech Week", "Nick Jenner") in {(ev, who) for ev, who, _ in parts}


def test_a_named_ceremony_of_an_institution_is_named_without_it(nlp):
    x, ents, events, parts = run(nlp, "On May 3, the Series-C equity financing signing ceremony of Vantor Aerospace "
                                      "Co., Ltd. took place in Lakeport. The sum raised in the round is 2.1 billion yuan.")
    assert "Series-C equity financing signing ceremony" in events
    assert all("Vantor" not in name for name in events)


def test_a_named_part_of_an_event_is_named_without_the_event_and_has_it_as_parent(nlp):
    x, ents, events, parts = run(nlp, "The Green Credit sub-forum of the Harbor Finance Forum was held on Monday.")
    assert ents[events["Green Credit sub-forum"].parent].name == "Harbor Finance Forum"


def test_figures_in_the_subject_of_an_institutions_event_are_the_institutions(nlp):
    x = extract(HEAD + "The Series-C signing ceremony of Vantor Aerospace Co., Ltd. raised 2.1 billion yuan.", "t.txt", nlp)
    ents = {e.id: e.name for e in x.entities}
    assert [ents[o.subject] for o in x.observations] == ["Vantor Aerospace Co., Ltd."]


def test_someone_another_stood_in_for_is_not_at_the_event(nlp):
    x, ents, events, parts = run(nlp, "The Lagos Fintech Week 2023 opened on Monday. Demola Brant, managing director of "
                                      "Quillbank, who stood in for Quillbank founder John Okafor, said AI offered openings. "
                                      "On behalf of the minister Ada Obi, Tunde Lale opened the session.")
    people = {who for _, who, _ in parts}
    assert {"Demola Brant", "Tunde Lale"} <= people
    assert not {"John Okafor", "Ada Obi"} & people


def test_a_year_before_an_event_noun_names_the_event(nlp):
    x, ents, events, parts = run(nlp, "Harbor Bank took analysts through its figures at its 2024 half-year earnings "
                                      "briefing in Lakeport. At the briefing, chairman Zhang Yu said the bank grew.")
    assert "2024 half-year earnings briefing" in events
    assert ("2024 half-year earnings briefing", "Zhang Yu", Role.SPEAKER) in parts


def test_a_lone_year_before_a_common_noun_names_no_event(nlp):
    x, ents, events, parts = run(nlp, "Harbor Bank held its 2025 briefing in Beijing.")
    assert "2025 briefing" not in events


def test_a_named_awards_ceremony_is_part_of_the_award(nlp):
    x, ents, events, parts = run(nlp, "The Starlight Award 2021 presentation ceremony was opened by Chief Executive "
                                      "Mrs Ada Lam, together with Chairman Mr Tom Ho.")
    ceremony = events["Starlight Award 2021 presentation ceremony"]
    assert ents[ceremony.parent].name == "Starlight Award"


def test_a_prize_without_a_ceremony_is_no_event(nlp):
    x, ents, events, parts = run(nlp, "The Lakeport Science Award was given to Ann Lee, who also holds the Nobel Prize.")
    assert not any("Award" in name or "Prize" in name for name in events)


def test_the_presentation_of_a_named_thing_is_an_event(nlp):
    x, ents, events, parts = run(nlp, "Photo: Presentation of the Harbor-Lakeport STAR Chair, Lakeport: Norbert Quill, "
                                      "Chair of the Audit Board of Harbor Bank; Claude Vinn, Minister of Finance.")
    assert "Presentation of the Harbor-Lakeport STAR Chair" in events
    assert {("Presentation of the Harbor-Lakeport STAR Chair", p, Role.ATTENDEE) for p in ("Norbert Quill", "Claude Vinn")} <= parts


def test_a_presentation_without_a_name_is_no_event(nlp):
    x, ents, events, parts = run(nlp, "Ann Lee gave a presentation on payments. The presentation of results was dull.")
    assert not events


def test_an_edition_year_after_a_venue_and_for_starts_the_event_name(nlp):
    x, ents, events, parts = run(nlp, "More than 600 bankers gathered on Thursday at the Lakeport International Conference "
                                      "Center for the 2024 Heron Bay Science and Technology Finance Forum.")
    assert "2024 Heron Bay Science and Technology Finance Forum" in events
    assert "Technology Finance Forum" not in events


def test_a_plural_possessive_inside_an_event_name_keeps_the_name_whole(nlp):
    x, ents, events, parts = run(nlp, "The 2024 Quillpay Founders' Roadshow drew 1,140 applicants. "
                                      "The investors' money came from Delta Fund.")
    assert "2024 Quillpay Founders' Roadshow" in events
    assert not any("investors'" in e.name for e in ents.values())


def test_a_quoted_slogan_inside_an_event_name_keeps_the_name_whole(nlp):
    x, ents, events, parts = run(nlp, 'On October 16, the 2024 Lakeport "Finance Helps Sci-Tech" Matchmaking Conference '
                                      'was held. Zhao Ming said "Finance Helps" was the theme. The "Green Loans" campaign began.')
    assert '2024 Lakeport "Finance Helps Sci-Tech" Matchmaking Conference' in events
    assert not any(name.startswith("Finance") or name.startswith("Green") for name in events)


def test_a_bare_event_noun_after_a_named_event_of_that_head_is_that_event(nlp):
    x, ents, events, _ = run(nlp, "Kestrel Pay is halfway through the 2024 Kestrel Founders' Roadshow, a six-city tour. "
                                  "Why does a payments company run a roadshow for start-ups? "
                                  "This year the roadshow drew 1,140 applications from 94 cities.")
    assert set(events) == {"2024 Kestrel Founders' Roadshow"}
    names = {ents[o.subject].name for o in x.observations}
    assert names == {"2024 Kestrel Founders' Roadshow"}


def test_a_bare_event_noun_of_another_head_is_an_event_of_its_own(nlp):
    _, _, events, _ = run(nlp, "The 2024 Harbor Fintech Forum opened on Monday. On its first day, the forum held a "
                               "ceremony for new members.")
    assert "2024 Harbor Fintech Forum" in events and len(events) == 2


def test_a_named_month_of_events_is_an_event(nlp):
    _, ents, events, _ = run(nlp, "The signing is one of the key activities of the 2024 Lakeside Science and Technology "
                                  "Innovation Month, which the university opened on May 8. Loans rose this month.")
    assert "2024 Lakeside Science and Technology Innovation Month" in events
    assert not [name for name in events if name.lower().endswith("this month")]


def test_an_editing_credit_is_no_participation(nlp):
    x, ents, events, parts = run(nlp, "The 2021 Lakeport Fintech Week opened on Monday in Lakeport. Wen Hala, "
                                      "president of the Lakeport Fintech Society, opened the week.\n\n"
                                      "(Editing by Marta Okonjo)\n")
    people = {who for _, who, _ in parts}
    assert "Wen Hala" in people and "Marta Okonjo" not in people


def test_a_talk_given_by_someone_is_a_participation(nlp):
    x, ents, events, parts = run(nlp, "The 2021 Lakeport Fintech Week opened on Monday in Lakeport. The first "
                                      "session was led by Marta Okonjo.\n")
    assert any(who == "Marta Okonjo" for _, who, _ in parts)


WEEK = ("The 2021 Lakeport Fintech Week opened on Monday in Lakeport. Wen Hala, president of the Lakeport "
        "Savings Society, delivered the keynote address. ")


def test_a_recalled_signing_is_a_past_event_of_its_own(nlp):
    x, ents, events, parts = run(nlp, WEEK + "Hala also recalled the signing of the Marlow Harbour Hub grant "
                                             "agreement in Marlow in April, when she and Tomas Reyvik, president of "
                                             "the Marlow Savings Network, put their names to a $500,000 grant. "
                                             "Anna Keller, chief executive of Pagbuo Bank, said lenders were busy.")
    signing = events["signing of the Marlow Harbour Hub grant agreement"]
    assert signing.parent is None and not signing.named
    assert ("signing of the Marlow Harbour Hub grant agreement", "Wen Hala") in {(e, p) for e, p, _ in parts}
    week = {p for e, p, _ in parts if e == "2021 Lakeport Fintech Week"}
    assert "Wen Hala" in week and "Tomas Reyvik" not in week
    assert "Anna Keller" in week  # the next sentence is back at the week


def test_a_recall_with_no_named_occasion_makes_no_event(nlp):
    x, ents, events, parts = run(nlp, WEEK + "Hala also recalled that lenders had grown, and Tomas Reyvik "
                                             "recalled the opening of the week.")
    assert all(e.parent or e.named for e in events.values() if e.name != "2021 Lakeport Fintech Week")
    assert not any(name.startswith("opening of") for name in events)


def test_an_event_named_again_in_parentheses_is_one_event(nlp):
    x, ents, events, parts = run(nlp, "The Fourth Lakeport Forum (K9 Forum) opened on May 14 in Lakeport. "
                                      "The K9 Forum drew 100 guests.")
    assert "K9 Forum" not in events and "K9 Forum" in events["Fourth Lakeport Forum"].aliases


def test_an_event_of_another_head_in_parentheses_is_no_alias(nlp):
    x, ents, events, parts = run(nlp, "The Fourth Lakeport Forum (K9 Summit) opened on May 14 "
                                      "in Lakeport.")
    assert "K9 Summit" not in events["Fourth Lakeport Forum"].aliases


def test_a_number_before_a_plural_name_counts_things_no_event(nlp):
    x, ents, events, parts = run(nlp, "The mayor counted the district's prizes: 23 Provincial Design and Harbour "
                                      "Awards won by its firms last year.")
    assert not any("Awards" in name for name in events)


def test_a_year_before_a_plural_name_is_an_edition(nlp):
    x, ents, events, parts = run(nlp, "The 2021 Lakeport Science and Harbour Awards were presented on Monday "
                                      "in Lakeport.")
    assert "2021 Lakeport Science and Harbour Awards" in events
