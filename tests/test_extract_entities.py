"""People, organisations and their aliases: acronyms both ways, surnames, honorifics, nesting."""
import pytest

from kg.extract import extract
from kg.model import Kind

HEAD = "A headline about finance\n\nBy Test Writer\n\n"


def run(nlp, body):
    x = extract(HEAD + body, "t.txt", nlp)
    return x, {e.name: e for e in x.entities}


def organizations(x):
    return {e.name for e in x.entities if e.kind is Kind.ORGANIZATION}


def test_acronym_after_full_name_is_an_alias(nlp):
    x, ents = run(nlp, "The Northern Institute of Applied Finance (NIAF) published a study. "
                       "Researchers at NIAF said the study took two years.")
    org = ents["Northern Institute of Applied Finance"]
    assert org.kind is Kind.ORGANIZATION and "NIAF" in org.aliases
    assert "NIAF" not in ents


def test_acronym_before_full_name_is_an_alias(nlp):
    x, ents = run(nlp, "A report of NIAF (the Northern Institute of Applied Finance) was released on Monday.")
    assert "NIAF" in ents["Northern Institute of Applied Finance"].aliases


def test_surname_refers_back_to_the_full_person(nlp):
    x, ents = run(nlp, "Gao Wenbo, director of the Eastern Venture Association, spoke first. "
                       "Gao said the market was recovering.")
    people = [e.name for e in x.entities if e.kind is Kind.PERSON]
    assert "Gao" not in people and "Gao Wenbo" in people
    assert len(ents["Gao Wenbo"].mentions) >= 2


def test_honorific_surname_with_typo_refers_back(nlp):
    x, ents = run(nlp, "Anna Keller, vice-president of the Alpine Biotech Society, opened the talks. "
                       "Ms Kellr also thanked the sponsors.")
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert people == {"Test Writer", "Anna Keller"}


def test_nested_organisation_gives_both(nlp):
    x, ents = run(nlp, "Wu Haoran, director of the Office of Planning of the Ministry of Transport, spoke.")
    assert "Office of Planning of the Ministry of Transport" in ents
    assert "Ministry of Transport" in ents


def test_company_suffix_and_list_split(nlp):
    x, ents = run(nlp, "The deal links the Western Credit Alliance and Jade River Capital Group and "
                       "Lanting Robotics Co., Ltd. in a new partnership.")
    assert {"Western Credit Alliance", "Jade River Capital Group", "Lanting Robotics Co., Ltd."} <= set(ents)


def test_lowercase_government_head_and_no_leading_the(nlp):
    x, ents = run(nlp, "Pan Yue, an official with the Haidong District government, attended.")
    assert "Haidong District government" in ents


def test_a_name_with_an_acronym_is_an_organisation_not_a_person(nlp):
    x, ents = run(nlp, "The week was organised by Grow Nanjing (GrowN), which counted 9,000 visitors.")
    assert ents["Grow Nanjing"].kind is Kind.ORGANIZATION and "GrowN" in ents["Grow Nanjing"].aliases
    x, ents = run(nlp, "The week was organised by Invest Kunming (InvestK), which counted 9,000 visitors.")
    assert ents["Invest Kunming"].kind is Kind.ORGANIZATION and "InvestK" in ents["Invest Kunming"].aliases


def test_venue_with_and_stays_one_place(nlp):
    x, ents = run(nlp, "The Harbor Fintech Week opened at the Xiamen Convention and Exhibition Centre on Monday.")
    assert ents["Xiamen Convention and Exhibition Centre"].kind is Kind.PLACE
    assert "Xiamen Convention" not in ents


def test_title_cased_headline_gives_no_names(nlp):
    x = extract("Harbor Bank Of Lakeside Signs Deal With Maple University\n\nBy Test Writer\n\n"
                "The Harbor Bank of Lakeside and Maple University signed a deal on Monday.", "t.txt", nlp)
    orgs = organizations(x)
    assert orgs == {"Harbor Bank of Lakeside", "Maple University"}


def test_list_split_between_bank_of_place_and_a_university(nlp):
    x, ents = run(nlp, "Executives from the Bank of Lakeside and Maple Valley University shared their practices.")
    assert {"Bank of Lakeside", "Maple Valley University"} <= set(ents)


def test_shorter_form_of_a_name_is_the_same_person(nlp):
    x, ents = run(nlp, "Guests included Ada Wong Siu-ling, director of the Harbor Arts Society. "
                       "Ada Wong said the society would expand.")
    people = [e.name for e in x.entities if e.kind is Kind.PERSON]
    assert "Ada Wong Siu-ling" in people and "Ada Wong" not in people


def test_single_word_short_name_of_an_organisation(nlp):
    x, ents = run(nlp, "Lakeside University opened a lab on Monday. Officials said Lakeside would hire 20 staff.")
    orgs = [e for e in x.entities if e.kind is Kind.ORGANIZATION]
    assert len(orgs) <= 1


def test_two_companies_the_ner_joins_are_two(nlp):
    x, ents = run(nlp, "Meanwhile, Alibaba and Tencent invested in the Harbor Valley Fund.")
    assert "Alibaba and Tencent" not in ents
    assert {"Alibaba", "Tencent"} <= set(ents)


def test_lab_of_an_academy_with_acronym_then_of_university(nlp):
    x, ents = run(nlp, "It was launched by the Delta Lab of the Academy of Green Finance (AGF) of Lakeside University.")
    assert {"Delta Lab", "Academy of Green Finance", "Lakeside University"} <= set(ents)
    assert "AGF" in ents["Academy of Green Finance"].aliases
    assert "Delta Lab of the Academy of Green Finance" not in ents


def test_a_name_after_a_venue_and_a_preposition_is_read_on_its_own(nlp):
    x, ents = run(nlp, "Bankers met on Friday at the Harbor Coin Museum in Lakeside Tech Zone for the "
                       "Lakeside Harbor Finance Conference, where the talk turned to lending.")
    assert ents["Lakeside Harbor Finance Conference"].kind is Kind.EVENT
    assert "Harbor Coin Museum" in ents and ents["Harbor Coin Museum"].kind is Kind.PLACE
    orgs = organizations(x)
    assert not any("Conference" in o for o in orgs)


def test_a_labelled_byline_is_a_person_whatever_the_tagger_thinks(nlp):
    x = extract("A headline about finance\n\nBy Tunji Okafor, Accra correspondent, Coastal Business Wire\n\n"
                "The bank opened a lab in Accra on Monday, its officials said.", "t.txt", nlp)
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert "Tunji Okafor" in people and "Coastal Business Wire" not in people


def test_a_name_the_tagger_calls_an_organisation_is_a_person_where_the_sentence_says_so(nlp):
    x, ents = run(nlp, "Breno Santos Lobato of the Central Bank of Lakeland and Gianni Del Vecchio of "
                       "Multiverse Quantum Bank presented work on fast payments.")
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert {"Breno Santos Lobato", "Gianni Del Vecchio"} <= people
    orgs = organizations(x)
    assert "Central Bank of Lakeland" in orgs and not orgs & people


def test_a_name_with_an_institution_head_is_no_person(nlp):
    x, ents = run(nlp, "Quanta Labs of Lakeland and the Harbor Growth Fund (HGF) signed an agreement.")
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert not people & {"Quanta Labs", "Harbor Growth Fund"}


def test_products_plans_and_places_the_tagger_calls_organisations_are_none(nlp):
    x, ents = run(nlp, "Users can add their cards inside Harbor Wallet application, the bank said. The plan is one "
                       "of the pillars of Lakeland Vision 2040. The line runs across Cameroon, Chad and Gabon, "
                       "the Lakeland Savings Bank said.")
    orgs = organizations(x)
    assert not orgs & {"Harbor Wallet", "Lakeland Vision 2040", "Cameroon"}
    assert "Lakeland Savings Bank" in orgs
    works = {e.name for e in x.entities if e.kind is Kind.WORK}
    assert {"Harbor Wallet", "Lakeland Vision 2040"} <= works  # still subjects a figure may have


def test_a_place_in_capitals_or_before_its_place_word_is_no_organisation(nlp):
    x, ents = run(nlp, "HARBORVILLE -- Officials of Harborville met on Thursday. Luohai District of Harborville "
                       "pitched Luohai's offer of space to investors.")
    orgs = organizations(x)
    assert not orgs & {"HARBORVILLE", "Luohai"}


# ---- the shapes of people's names
def people(x):
    return {e.name for e in x.entities if e.kind is Kind.PERSON} - {"Test Writer"}


def test_a_name_with_an_initial_and_a_suffix(nlp):
    x, _ = run(nlp, "Central Bank Governor Eli M. Quiroz, Jr. said the awardees had grown.")
    assert "Eli M. Quiroz, Jr" in people(x)


def test_a_prefixed_surname_without_its_post_nominal_letters(nlp):
    x, _ = run(nlp, "Also speaking was John McAllister OBE, who chairs the Harbor Institute of Directors.")
    assert "John McAllister" in people(x)


def test_a_name_the_tagger_calls_a_place_before_a_title(nlp):
    x, _ = run(nlp, "Speakers were Liu Qiang, vice governor of Harbor Province; Hong Lei, Party secretary and "
                    "chairman of the Asset Management Association of Lakeland; and Que Bo, manager of the Harbor "
                    "Stock Exchange.")
    assert {"Liu Qiang", "Hong Lei", "Que Bo"} <= people(x)


def test_a_place_before_a_title_stays_a_place_where_the_article_uses_it_as_one(nlp):
    x, _ = run(nlp, "Investors flocked to Harbor City last year. In Harbor City, the mayor spoke.")
    assert "Harbor City" not in people(x)


def test_a_name_that_runs_into_an_institutions_name_is_no_person(nlp):
    x, ents = run(nlp, "Bian Jidong, director of the Tan Kah Kee Science Award Foundation, spoke.")
    assert people(x) == {"Bian Jidong"}
    assert "Tan Kah Kee Science Award Foundation" in ents


def test_a_name_before_an_institution_and_a_title(nlp):
    x, _ = run(nlp, "Kris Raman, an Infosys Ltd. co-founder who chairs Harbor Ventures, said capital was scarce.")
    assert "Kris Raman" in people(x)


def test_a_leading_word_the_acronym_spells_is_part_of_the_name(nlp):
    x, ents = run(nlp, "The award was created by Our Harbor Foundation (OHF). At the Foundation's invitation, "
                       "guests came.")
    orgs = {e.name: e for e in x.entities if e.kind is Kind.ORGANIZATION}
    assert "Our Harbor Foundation" in orgs and "OHF" in orgs["Our Harbor Foundation"].aliases
    assert "Foundation" not in orgs


def test_a_name_found_once_is_the_person_everywhere(nlp):
    x = extract("A headline about the prize\n\nBy Test Writer\n\nThe winners are:\n\n"
                "• Alex Kwan – Founder, Paytech Group\n\nPhoto: Alex Kwan and Mira Osei with the prize. "
                "Alex Kwan said he was honoured.", "t.txt", nlp)
    kwan = next(e for e in x.entities if e.name == "Alex Kwan")
    assert kwan.kind is Kind.PERSON and len(kwan.mentions) >= 3


def test_a_lone_first_word_is_the_company_named_before(nlp):
    x, ents = run(nlp, "Shares of Quillon Robotics rose on Monday. Quillon, which is backed by Tarvex, sold "
                       "two million shares.")
    assert ents["Quillon Robotics"].kind is Kind.ORGANIZATION and "Quillon" in ents["Quillon Robotics"].aliases
    assert "Quillon" not in ents


def test_a_first_word_two_organisations_share_or_a_place_stays_alone(nlp):
    x, ents = run(nlp, "Quillon Robotics and Quillon Motors signed a deal. Quillon said it would grow. "
                       "China Merchant Fund said China would lead.")
    assert "Quillon" not in ents["Quillon Robotics"].aliases + ents["Quillon Motors"].aliases
    assert "China" not in ents["China Merchant Fund"].aliases


def test_an_industry_word_ends_a_company_name(nlp):
    x, ents = run(nlp, "Velmora Robotics and Castrel Aerospace will list their shares in Ostvik.")
    assert ents["Velmora Robotics"].kind is Kind.ORGANIZATION and ents["Castrel Aerospace"].kind is Kind.ORGANIZATION


def test_a_wire_dateline_is_a_place_of_its_own_not_part_of_the_first_sentence(nlp):
    x = extract("Markets news\n\nBy Test Writer\n\nOSTVIK HARBOUR, Oct 24 (Wirecast) - Shares of Quillon Robotics "
                "opened 28 percent higher on their first day of trading.", "t.txt", nlp)
    ents = {e.name: e for e in x.entities}
    assert ents["Ostvik Harbour"].kind is Kind.PLACE and "OSTVIK HARBOUR" not in ents
    subjects = {ents_id.name for o in x.observations for ents_id in x.entities if ents_id.id == o.subject}
    assert subjects == {"Quillon Robotics"}


def test_two_names_the_tagger_sees_in_a_list_are_two(nlp):
    x, ents = run(nlp, "Eight start-ups pitched, including Solvane Grid Technology Co., Ltd., BlueKelp Analytics "
                       "and Tarrow Hydrogen Energy.")
    assert {"BlueKelp Analytics", "Tarrow Hydrogen Energy"} <= set(ents)


def test_a_name_its_acronym_spells_whole_stays_one(nlp):
    x, ents = run(nlp, "The partners are Mavren Capital and Incubator Group (MCIG) and Harbor Bank.")
    assert "Mavren Capital and Incubator Group" in ents and "Incubator Group" not in ents


def test_an_acronym_in_another_order_or_language_is_still_the_name_before_it(nlp):
    x, ents = run(nlp, "Ostvia and the Ostvian National Research Fund (FNR) signed. The Centre for Security and "
                       "Trust (SnT) hosts the chair. The FNR Board met.")
    assert "FNR" in ents["Ostvian National Research Fund"].aliases
    assert "SnT" in ents["Centre for Security and Trust"].aliases
    x, ents = run(nlp, "The Supervisory Board of Tarvex (Europe) met on Monday.")
    assert not any("Europe" in e.aliases for e in x.entities)


def test_a_named_day_is_an_event_and_where_it_is_held_is_no_event(nlp):
    x, ents = run(nlp, "The director spoke at the Harbor Partnership Day, held at the Casino 2000 in Ostvik.")
    assert ents["Harbor Partnership Day"].kind is Kind.EVENT
    assert "Casino 2000" not in ents or ents["Casino 2000"].kind is not Kind.EVENT


def test_and_between_two_describing_words_of_one_name_does_not_split_it(nlp):
    x, ents = run(nlp, "Qiu Lan, president of the Ostvik Branch of Industrial and Commercial Bank of Norvale, spoke. "
                       "Bai Tao, director of the Department of Innovation and High-tech Development, spoke.")
    assert "Ostvik Branch of Industrial and Commercial Bank of Norvale" in ents
    assert "Department of Innovation and High-tech Development" in ents and "Department of Innovation" not in ents


def test_a_short_name_defined_with_hereinafter_is_an_alias(nlp):
    x = extract("Headline\n\nThe signing of Vantor Aerospace Co., Ltd. (hereinafter \"the Rocket Company\") "
                "took place in Lakeport. The Rocket Company makes launchers.", "t.txt", nlp)
    orgs = [e for e in x.entities if e.kind is Kind.ORGANIZATION]
    assert [(e.name, e.aliases) for e in orgs] == [("Vantor Aerospace Co., Ltd.", ["Rocket Company"])]


def test_hereinafter_without_a_name_defines_nothing(nlp):
    x = extract("Headline\n\nVantor Aerospace Co., Ltd. (hereinafter referred to as described) makes launchers.",
                "t.txt", nlp)
    assert all(not e.aliases for e in x.entities)


def test_a_figure_after_a_name_is_not_part_of_it(nlp):
    x = extract("Headline\n\nHarbor Bank reported 6 trillion yuan and Delta Bank 4.7 trillion yuan. "
                "The Delta Growth Fund 2 closed.", "t.txt", nlp)
    names = {e.name for e in x.entities if e.kind is Kind.ORGANIZATION}
    assert {"Harbor Bank", "Delta Bank", "Delta Growth Fund 2"} <= names
    assert not any("4.7" in n for n in names)


def test_a_name_after_a_lower_case_post_is_a_person_though_the_tagger_says_institution(nlp):
    from spacy.tokens import Span as SpacySpan

    from kg.extract.mentions import tag

    with nlp.select_pipes(disable=["kg_mentions"]):
        doc = nlp("A panel on hiring, chaired by fintech founder and angel investor Kola Soyemi, heard the same "
                  "worry. The deal was led by investor Sequoia Capital and lender Harbor Bank.")
    starts = {t.text: t.i for t in doc}
    doc.ents = [SpacySpan(doc, starts[w], starts[w] + 2, "ORG") for w in ("Kola", "Sequoia", "Harbor")]  # the tagger's call
    tag(doc)
    people = {sp.text for sp in doc.spans["kg_person"]}
    assert "Kola Soyemi" in people
    assert not {"Sequoia Capital", "Harbor Bank"} & people


def test_a_name_after_a_capitalised_post_that_the_tagger_calls_a_place_once_is_a_person(nlp):
    from spacy.tokens import Span as SpacySpan

    from kg.extract.mentions import tag

    with nlp.select_pipes(disable=["kg_mentions"]):
        doc = nlp("The bank opened in Port Maren. Harbor Management University President Ana Velde signed "
                  "the agreement in Port Maren.")
    places = [t.i for t in doc if t.text in ("Port", "Ana")]
    doc.ents = [SpacySpan(doc, k, k + 2, "GPE") for k in places]  # the tagger's call, "Ana Velde" a place once
    tag(doc)
    assert "Ana Velde" in {sp.text for sp in doc.spans["kg_person"]}
    assert "Port Maren" not in {sp.text for sp in doc.spans["kg_person"]}


def test_the_first_word_of_an_institution_before_a_post_is_the_institution(nlp):
    x = extract("Headline\n\nLeaders of Quorvin University and Harbor Management University met on Friday. "
                "Quorvin President Jin Lu said the two schools would work together.", "t.txt", nlp)
    names = {e.id: e.name for e in x.entities}
    assert ("Jin Lu", "Quorvin University") in {(names[a.person], names[a.org]) for a in x.affiliations}


def test_a_place_inside_a_hyphenated_name_is_no_place_of_its_own(nlp):
    from spacy.tokens import Span as SpacySpan

    from kg.extract.mentions import tag

    with nlp.select_pipes(disable=["kg_mentions"]):
        doc = nlp("The funds cover the Lakeport-Port Maren-Norvale Bay Area and the west.")
    port = next(t.i for t in doc if t.text == "Port")
    doc.ents = [SpacySpan(doc, port, port + 3, "GPE")]  # the tagger's cut: "Port Maren-"
    tag(doc)
    assert not [sp.text for sp in doc.spans["kg_place"] if sp.text.endswith("-") or sp.text.startswith("-")]


def test_a_name_ending_in_ampersand_and_a_legal_tail_is_one_name(nlp):
    _, ents = run(nlp, "Set that beside a recent Harlow & Co. estimate that fintechs will earn more. "
                       "The fund is run with the Lakeside Microfinance Council, Inc. since 2019.")
    orgs = {n for n, e in ents.items() if e.kind is Kind.ORGANIZATION}
    assert "Harlow & Co." in orgs
    assert not orgs & {"Co.", "Inc.", "Inc"}


def test_two_companies_joined_by_ampersand_stay_two(nlp):
    _, ents = run(nlp, "Velmora Robotics & Castrel Aerospace signed the deal on Monday.")
    orgs = {n for n, e in ents.items() if e.kind is Kind.ORGANIZATION}
    assert {"Velmora Robotics", "Castrel Aerospace"} <= orgs


def test_an_acronym_of_lower_case_words_is_a_term_not_an_institution(nlp):
    _, ents = run(nlp, "Banks ran electronic know-your-customer (KYC) checks. KYC rules were discussed. "
                       "The Harbor Finance Authority (HFA) said so. HFA staff agreed.")
    assert "KYC" not in ents
    assert ents["Harbor Finance Authority"].kind is Kind.ORGANIZATION and "HFA" in ents["Harbor Finance Authority"].aliases


def test_a_later_acronym_of_an_event_is_that_event_not_an_institution(nlp):
    x, ents = run(nlp, "The 2nd Lakeside Digital Inclusion Awards (LDIA) opened on Tuesday. The LDIA winners spoke.")
    assert "LDIA" not in {e.name for e in x.entities if e.kind is Kind.ORGANIZATION}
    assert "LDIA" in ents["2nd Lakeside Digital Inclusion Awards"].aliases


def test_capitalised_words_spelled_by_the_acronym_after_them_are_an_institution(nlp):
    x = extract(HEAD + "The city now has 4,694 start-ups, according to Invest Harbour Bay (InvestHB). "
                       "InvestHB, which runs 34 offices around the world, will open a new one.", "t.txt", nlp)
    found = [(e.kind, e.aliases) for e in x.entities if e.name == "Invest Harbour Bay"]
    assert found == [(Kind.ORGANIZATION, ["InvestHB"])]
    subjects = {e.id: e.name for e in x.entities}
    assert [subjects[o.subject] for o in x.observations if o.values[0].number == 34] == ["Invest Harbour Bay"]


def test_a_report_or_event_spelled_by_its_acronym_is_no_institution(nlp):
    x, _ = run(nlp, "Researchers released the Global Harbour Finance Index (GHFI) and opened the Harbour Fintech "
                    "Week (HFW) on Monday.")
    orgs = organizations(x)
    assert not orgs & {"Global Harbour Finance Index", "Harbour Fintech Week", "GHFI", "HFW"}


@pytest.mark.parametrize("sentence", [
    "Three lenders - Tarnby Bank, Inc., Corvell Savings, Inc. and the Orlen Group - were given prizes.",
    "Prizes went to Tarnby Bank, Ltd., Corvell Savings, Ltd. and Orlen Capital.",
])
def test_a_legal_tail_in_a_list_of_organisations_is_nobody_s_own_name(nlp, sentence):
    _, ents = run(nlp, sentence)
    orgs = {n for n, e in ents.items() if e.kind is Kind.ORGANIZATION}
    assert "Tarnby Bank" in orgs or "Tarnby Bank, Inc." in orgs or "Tarnby Bank, Ltd." in orgs
    assert not orgs & {"Inc.", "Inc", "Ltd.", "Ltd"}


@pytest.mark.parametrize("body,person", [
    ("Kwabe Tenreh, country manager at Tarnby Bank, said lending would grow.", "Kwabe Tenreh"),
    ("Aries Velbo, founder of Corvell Microfinance, and members of the panel also attended.", "Aries Velbo"),
])
def test_a_given_name_that_starts_the_sentence_before_a_titled_name_is_kept(nlp, body, person):
    _, ents = run(nlp, body)
    assert person in {n for n, e in ents.items() if e.kind is Kind.PERSON}


def test_a_sentence_adverb_is_no_given_name(nlp):
    _, ents = run(nlp, "However Tenreh, country manager at Tarnby Bank, said lending would grow.")
    assert not any(n.startswith("However") for n, e in ents.items() if e.kind is Kind.PERSON)


@pytest.mark.parametrize("body,person", [
    ("Prince Maarten van Oordel-Vinck of the Netherlands offered founders advice on expanding abroad.",
     "Maarten van Oordel-Vinck"),
    ("Lena van der Holt, chief executive of Tarnby Bank, said lending would grow.", "Lena van der Holt"),
])
def test_a_name_particle_stays_inside_the_name(nlp, body, person):
    _, ents = run(nlp, body)
    people = {n for n, e in ents.items() if e.kind is Kind.PERSON}
    assert person in people
    assert not any(n.split()[0] in ("van", "der") for n in people)  # never a name that starts with its particle


@pytest.mark.parametrize("body,not_person", [
    ("Fang Lio, winner of the 2024 Tan Wei Mathematical and Physical Sciences Award, spoke.", "Tan Wei"),
    ("The Lin Hao Science and Technology Award went to Wu Pei.", "Lin Hao"),
])
def test_a_name_inside_an_award_s_name_is_no_person(nlp, body, not_person):
    _, ents = run(nlp, body)
    people = {n for n, e in ents.items() if e.kind is Kind.PERSON}
    assert not any(n.startswith(not_person) for n in people)


def test_a_person_before_and_an_institution_is_still_a_person(nlp):
    _, ents = run(nlp, "The deal was signed by Wu Pei and Lakeside Bank on Monday.")
    assert "Wu Pei" in {n for n, e in ents.items() if e.kind is Kind.PERSON}


def test_a_plan_named_before_its_for_phrase_is_no_organisation(nlp):
    x, ents = run(nlp, "The minister tied the grants to the agency's Rural Lending Reform Roadmap "
                       "and the National Strategy for Rural Credit.")
    orgs = organizations(x)
    assert not orgs & {"National Strategy for Rural Credit", "Rural Lending Reform Roadmap"}
    x, ents = run(nlp, "The minister tied the grants to the work of the National Council for Rural "
                       "Credit.")
    orgs = organizations(x)
    assert "National Council for Rural Credit" in orgs


def test_a_name_before_a_legal_tail_is_a_company_with_its_lower_case_words(nlp):
    x, ents = run(nlp, "Four lenders - Walong Sa Liwayway, Inc., Pagbuo Bank, Inc., Samahan para sa Bagong "
                       "Ani, Inc. and Lakeside Mutual Institutions - were each given 100,000 pesos.")
    orgs = organizations(x)
    assert {"Walong Sa Liwayway", "Pagbuo Bank", "Samahan para sa Bagong Ani"} <= orgs
    assert not orgs & {"Samahan", "Bagong", "Bagong Ani"}


def test_lower_case_words_join_no_name_without_a_legal_tail(nlp):
    x, ents = run(nlp, "Farmers in Walong Sa Liwayway said the Samahan para sa Bagong Ani scheme "
                       "had helped them, and Pagbuo Bank agreed.")
    orgs = organizations(x)
    assert not orgs & {"Walong Sa Liwayway", "Samahan para sa Bagong Ani"}
    assert "Pagbuo Bank" in orgs


def test_partners_names_joined_by_an_ampersand_are_one_firm(nlp):
    x, ents = run(nlp, "The fair is hosted by the association, with Marlow, Quint & Oyelaran, Pagbuo Bank "
                       "and Lakeside Mutual as partners.")
    orgs = organizations(x)
    assert "Marlow, Quint & Oyelaran" in orgs and "Quint" not in orgs


def test_names_listed_with_and_are_no_firm(nlp):
    x, ents = run(nlp, "The fair is hosted by the association, with Marlow, Quint and Oyelaran as partners.")
    assert not any("," in e.name for e in x.entities if e.kind is Kind.ORGANIZATION)


def test_an_event_centre_is_a_venue(nlp):
    x, ents = run(nlp, "The summit opened on Tuesday at the Harbourside Event Centre in Lakeport.")
    orgs = organizations(x)
    assert "Harbourside Event Centre" not in orgs
    x, ents = run(nlp, "The summit was organised by the Harbourside Research Centre in Lakeport.")
    orgs = organizations(x)
    assert "Harbourside Research Centre" in orgs


def test_a_venue_of_an_institution_names_the_institution(nlp):
    x, ents = run(nlp, "The seminar met in the east wing of the Music and Art Center of Marwick "
                       "University (MU). Some 80 teachers from MU came.")
    orgs = {e.name: e for e in x.entities if e.kind is Kind.ORGANIZATION}
    assert "Music and Art Center of Marwick University" not in orgs
    assert "MU" in orgs["Marwick University"].aliases
    x, ents = run(nlp, "The forum was hosted by the Finance Research Center of Marwick University.")
    orgs = organizations(x)
    assert "Finance Research Center of Marwick University" in orgs


def test_the_start_of_an_index_s_name_is_no_organisation(nlp):
    x, ents = run(nlp, "In the 34th edition of the Global Maritime Centres Index (GMCI34), Lakeport came 18th "
                       "in the world for fintech.")
    orgs = organizations(x)
    assert not any("Global Maritime" in o for o in orgs)
    x, ents = run(nlp, "Analysts at Norvale Capital said the index of harbour centres rose.")
    orgs = organizations(x)
    assert "Norvale Capital" in orgs


def test_a_name_with_its_acronym_before_programme_names_the_programme(nlp):
    x, ents = run(nlp, "They include $170 million for Norvale's Investment in Digital and Harbour Enterprises "
                       "(I-DHE) programme, part of which will set up a fund.")
    assert ents["Investment in Digital and Harbour Enterprises"].kind is Kind.WORK
    x, ents = run(nlp, "They include $170 million for the Lakeport Development Bank (LDB) programme, "
                       "part of which will set up a fund.")
    assert ents["Lakeport Development Bank"].kind is Kind.ORGANIZATION


def test_a_long_list_ending_in_an_ampersand_is_no_firm(nlp):
    x, ents = run(nlp, "Partners include Marlow, Quint, Oyelaran, Brisk, Tarn, Velde, Harrow, Pell & Dorne.")
    assert not any(e.name.count(",") > 6 for e in x.entities if e.kind is Kind.ORGANIZATION)


def test_an_acronym_of_the_syllables_of_a_romanised_name_is_its_alias(nlp):
    x, ents = run(nlp, "The forum met in the Lotus Hall of Haoyang University (HYU) on Monday. "
                       "HYU President Qin Lanfeng welcomed the guests.")
    assert "HYU" in ents["Haoyang University"].aliases
    assert "HYU" not in organizations(x)
    affs = {(a.person, a.org) for a in x.affiliations}
    assert (ents["Qin Lanfeng"].id, ents["Haoyang University"].id) in affs
    x, ents = run(nlp, "The forum met at Haoyang University (QRT) on Monday.")
    assert "QRT" not in ents["Haoyang University"].aliases
