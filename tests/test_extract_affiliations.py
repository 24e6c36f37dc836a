"""Affiliations in the forms news uses; each test one form, with sentences of its own."""
from kg.extract import extract
from kg.model import Kind

HEAD = "A headline about finance\n\nBy Test Writer\n\n"


def pairs(nlp, body):
    x = extract(HEAD + body, "t.txt", nlp)
    ents = {e.id: e.name for e in x.entities}
    return {(ents[a.person], ents[a.org], a.title) for a in x.affiliations}


def test_apposition_title_of_org(nlp):
    assert ("Zhou Lanfang", "Southern Credit Institute", "deputy director") in pairs(
        nlp, "Zhou Lanfang, deputy director of the Southern Credit Institute, said rates would fall.")


def test_an_official_with(nlp):
    assert ("Ma Jinsong", "Delta Technology Gazette", "official") in pairs(
        nlp, "Ideas are assets, said Ma Jinsong, an official with Delta Technology Gazette.")


def test_org_title_person(nlp):
    assert ("Huo Dekang", "Riverside University", "president") in pairs(
        nlp, "Riverside University President Huo Dekang welcomed the guests.")


def test_title_person_of_org(nlp):
    assert ("Tang Meili", "Innovation Bureau of Xiamen", "director") in pairs(
        nlp, "Director Tang Meili of the Innovation Bureau of Xiamen delivered the opening speech.")


def test_possessive_org_title_person(nlp):
    got = pairs(nlp, "The Harbor Bank's chief economist Qiao Ming said growth would pick up.")
    assert ("Qiao Ming", "Harbor Bank", "chief economist") in got


def test_who_chairs(nlp):
    got = pairs(nlp, "The meeting drew Ren Xiaobo, who chairs the Coastal Securities Group, and many others.")
    assert ("Ren Xiaobo", "Coastal Securities Group", "chairman") in got


def test_two_posts_two_orgs(nlp):
    got = pairs(nlp, "Song Yuhang, president of Lakeside University and an academician of the National "
                     "Academy of Materials, gave a talk.")
    assert ("Song Yuhang", "Lakeside University", "president") in got
    assert ("Song Yuhang", "National Academy of Materials", "academician") in got


def test_two_titles_one_org(nlp):
    got = pairs(nlp, "They met Kong Wei, CPC secretary and general manager of Pine Valley Trust Company, on Monday.")
    assert ("Kong Wei", "Pine Valley Trust Company", "cpc secretary") in got
    assert ("Kong Wei", "Pine Valley Trust Company", "general manager") in got


def test_list_of_people_with_titles(nlp):
    got = pairs(nlp, "Lu Fang Chair Professor of Hilltop University, Qin Hao, Professor of Maple College, "
                     "and Dai Ning, Managing Partner of Bright Peak Capital Management, delivered keynote speeches.")
    assert {("Lu Fang", "Hilltop University"), ("Qin Hao", "Maple College"),
            ("Dai Ning", "Bright Peak Capital Management")} <= {(p, o) for p, o, _ in got}


def test_title_person_of_acronym(nlp):
    got = pairs(nlp, "The Eastern Genomics Society (EGS) met in Xiamen. Vice Chairperson Leo Marks of EGS argued for more funding.")
    assert ("Leo Marks", "Eastern Genomics Society", "vice chairperson") in got


def test_possessive_government_title_after_comma(nlp):
    got = pairs(nlp, "Nora Blake, the Harbor City Government's Under Secretary for Trade, Energy and Industry, spoke.")
    assert any(p == "Nora Blake" and o == "Harbor City Government" for p, o, _ in got)
    assert any(p == "Nora Blake" and "trade, energy and industry" in t for p, _, t in got)  # the domain, whole


def test_acronym_council_chairman(nlp):
    got = pairs(nlp, "Lakeside University (LU) hosted the event. Guests included Omar Reid, LU's Council Chairman.")
    assert ("Omar Reid", "Lakeside University", "council chairman") in got


def test_title_person_from_org(nlp):
    got = pairs(nlp, "Guests included Professor Fei Yunhe from the Institute of Ocean Economy.")
    assert ("Fei Yunhe", "Institute of Ocean Economy", "professor") in got


def test_title_first_finds_a_person_the_ner_splits(nlp):
    got = pairs(nlp, "At the session, Professor Tan Min of Lakeside University discussed tokenized assets.")
    assert ("Tan Min", "Lakeside University", "professor") in got


def test_pipe_separated_byline_gives_outlet(nlp):
    x = extract("Headline\n\nBy Qu Wanting | Harbor Evening Post | Updated: 2024-11-16 08:12\n\n"
                "The Harbor Green Bond Summit opened in Xiamen on Friday with 300 guests.", "t.txt", nlp)
    ents = {e.id: e.name for e in x.entities}
    assert ("Qu Wanting", "Harbor Evening Post") in {(ents[a.person], ents[a.org]) for a in x.affiliations}
    assert x.published == "2024-11-16"


def test_possessive_title_then_name_in_commas(nlp):
    assert ("Qiao Ming", "Harbor Bank", "president") in pairs(
        nlp, "The Harbor Bank's president, Qiao Ming, said rates would rise.")


def test_title_with_a_lower_case_domain(nlp):
    assert ("Wang Lei", "Jade River Securities", "head of research") in pairs(
        nlp, "Growth is strong, said Wang Lei, head of research at Jade River Securities.")


def test_age_between_name_and_title(nlp):
    assert ("Li Fang", "Lanting Robotics", "founder") in pairs(nlp, "Li Fang, 45, founder of Lanting Robotics, spoke.")


def test_possessive_title_in_a_list_stays_with_its_own_person(nlp):
    got = pairs(nlp, "It was attended by Hu Lan, LU's executive deputy Party secretary, Mo Ke, dean of Maple College, "
                     "and others. Lakeside University (LU) hosted it.")
    assert ("Mo Ke", "Lakeside University") not in {(p, o) for p, o, _ in got}
    assert ("Mo Ke", "Maple College", "dean") in got


def test_post_at_a_place_is_held_in_the_place_which_stays_a_place(nlp):
    x = extract(HEAD + "The forum drew Xiamen's executive vice mayor Lu Hanqing and many others.", "t.txt", nlp)
    ents = {e.id: e for e in x.entities}
    got = [(ents[a.person].name, ents[a.org].name, ents[a.org].kind) for a in x.affiliations]
    assert ("Lu Hanqing", "Xiamen", Kind.PLACE) in got
    assert not any(e.kind is Kind.ORGANIZATION and e.name == "Xiamen" for e in x.entities)


def test_a_place_after_a_name_without_a_post_is_no_affiliation(nlp):
    assert not pairs(nlp, "Tomasz Kowalczyk of Lakeside presented work on fast payments.")


def test_posts_read_from_the_parse(nlp):
    assert ("Li Xiaohong", "Pine Valley Capital Group", "president") in pairs(
        nlp, "Li Xiaohong was named president of Pine Valley Capital Group last year.")
    assert ("Wang Jianguo", "Jade River Alliance", "chairman") in pairs(
        nlp, "Now Wang Jianguo serves as chairman of the Jade River Alliance.")
    assert ("Chen Meiling", "Maple Business School", "dean") in pairs(
        nlp, "Chen Meiling, appointed dean of the Maple Business School in 2021, spoke.")
    assert ("Anna Keller", "Lakeside University", "president") in pairs(
        nlp, "Anna Keller, who was appointed president of Lakeside University last year, spoke.")


def test_same_title_again_is_another_person(nlp):
    got = pairs(nlp, "Qi Yue, a reporter from Harbor Evening Post and a reporter from the Lakeside News Client, wrote it.")
    assert {(p, o) for p, o, _ in got} == {("Qi Yue", "Harbor Evening Post")}


def test_title_of_org_then_name_in_commas(nlp):
    assert ("Li Ming", "Jade River Capital Group", "chairman") in pairs(
        nlp, "The chairman of the Jade River Capital Group, Li Ming, said the fund would grow.")


def test_party_body_title_then_post(nlp):
    got = pairs(nlp, "Qin Lu, member of the Party Working Committee and deputy director of the Management Committee "
                     "of Harbor New Area, spoke.")
    orgs = {o for p, o, _ in got if p == "Qin Lu"}
    assert orgs == {"Management Committee of Harbor New Area"}


def test_photo_note_between_name_and_title(nlp):
    assert ("Li Xiaohong", "Pine Valley Capital Group", "chairman") in pairs(
        nlp, "Li Xiaohong (second from left), chairman of Pine Valley Capital Group, cut the ribbon.")


# ---- the institution without a post (title "")
def test_person_of_an_institution_names_no_post(nlp):
    got = pairs(nlp, "On the second day Tomasz Kowalczyk of the Central Bank of Lakeland and Ilse Varga of the "
                     "Harbor Settlements Bank presented work on fast payments.")
    assert ("Tomasz Kowalczyk", "Central Bank of Lakeland", "") in got
    assert ("Ilse Varga", "Harbor Settlements Bank", "") in got


def test_person_with_the_institution_in_brackets(nlp):
    got = pairs(nlp, "A session on machine learning followed with Oskar Vellinga (Nordhavn Bank) and "
                     "Marta Quell (Lakeside Capital Group).")
    assert ("Oskar Vellinga", "Nordhavn Bank", "") in got
    assert ("Marta Quell", "Lakeside Capital Group", "") in got


def test_a_post_named_elsewhere_wins_over_none(nlp):
    got = pairs(nlp, "Ilse Varga of the Harbor Settlements Bank spoke first. Ilse Varga, chief economist of the "
                     "Harbor Settlements Bank, said prices would rise.")
    assert ("Ilse Varga", "Harbor Settlements Bank", "chief economist") in got
    assert ("Ilse Varga", "Harbor Settlements Bank", "") not in got


def test_an_acronym_in_brackets_after_an_organisation_is_no_post(nlp):
    got = pairs(nlp, "The Harbor Growth Fund (HGF) of the Lakeside Bank invested in ten firms.")
    assert not got


# ---- more orders of name, title and institution (invented names)
def test_an_institution_named_before_by_its_head_word(nlp):
    got = pairs(nlp, "Liang Qiao, director of the Lakeside Municipal Financial Regulation Bureau, spoke first. "
                     "Later Wu Fen, deputy director of the regulation bureau, said loans grew.")
    assert ("Wu Fen", "Lakeside Municipal Financial Regulation Bureau", "deputy director") in got


def test_a_possessive_head_word_is_no_reference_back(nlp):
    got = pairs(nlp, "Chen Bo, dean of Lakeside University, spoke. Guan Li, an official with the university's "
                     "Network and Information Center, was also present.")
    assert not any(p == "Guan Li" and o == "Lakeside University" for p, o, _ in got)


def test_two_titles_before_the_name_after_the_institution(nlp):
    got = pairs(nlp, "Demola Okafor stood in for Harborspecs founder and chief executive John Abara, who was away.")
    assert {("John Abara", "Harborspecs", "founder"), ("John Abara", "Harborspecs", "chief executive")} <= got


def test_a_title_for_an_institution(nlp):
    assert ("Henry Kamau", "National Treasury", "cabinet secretary") in pairs(
        nlp, "Henry Kamau, Cabinet Secretary for the National Treasury, said the partnership would help.")


def test_for_the_institution_then_title_and_name(nlp):
    assert ("Mark Bolton", "Harbor Bankers Association", "policy chairman") in pairs(
        nlp, "For the Harbor Bankers Association, Policy Chairman Mark Bolton welcomed the fact.")


def test_a_hyphenated_first_word_of_an_institution(nlp):
    assert ("Wan Lijun", "All-Lakeland Federation of Returned Overseas Traders", "chairman") in pairs(
        nlp, "Wan Lijun, chairman of the All-Lakeland Federation of Returned Overseas Traders, spoke.")


def test_a_description_before_the_institution(nlp):
    got = pairs(nlp, "Alex Scand, a Fintech Lakeland board member and chief executive of start-up hub Stone & Chalk, "
                     "said it was pleasing.")
    assert ("Alex Scand", "Stone & Chalk", "chief executive") in got


def test_a_domain_after_the_title_and_two_institutions(nlp):
    got = pairs(nlp, "Vander Reydt, who is Global Head of Securities Markets at Innoharbor and The Harbor Institute, "
                     "said banks needed start-ups.")
    assert {o for p, o, _ in got if p == "Vander Reydt"} == {"Innoharbor", "Harbor Institute"}


def test_a_place_as_the_domain_of_a_post_at_an_institution(nlp):
    got = pairs(nlp, "Ebere Moh, country manager and area business head for West Africa at Paycard, said firms "
                     "must hire.")
    assert {o for p, o, _ in got if p == "Ebere Moh"} == {"Paycard"}


def test_a_members_body_of_an_institution_is_part_of_the_title(nlp):
    got = pairs(nlp, "Wang Qian, member of the Standing Committee of the CPC Harbor Provincial Committee and "
                     "secretary of the CPC Lakeside Municipal Committee, spoke.")
    assert ("Wang Qian", "CPC Harbor Provincial Committee", "member of the standing committee") in got
    assert ("Wang Qian", "CPC Lakeside Municipal Committee", "secretary") in got


def test_a_chairman_of_a_named_body_holds_the_post_at_the_body(nlp):
    got = pairs(nlp, "Yan Lin, vice chairman of the Standing Committee of the Harbor People's Congress, attended.")
    assert ("Yan Lin", "Standing Committee of the Harbor People's Congress", "vice chairman") in got


def test_post_nominal_letters_then_who_chairs(nlp):
    x = extract(HEAD + "The Harbor Institute of Directors (HID) met. Also speaking was John McAllister OBE, "
                       "who chairs the HID.", "t.txt", nlp)
    ents = {e.id: e.name for e in x.entities}
    assert ("John McAllister", "Harbor Institute of Directors") in {(ents[a.person], ents[a.org]) for a in x.affiliations}


def test_a_portfolio_after_a_title_is_no_institution(nlp):
    got = pairs(nlp, "Claude Meyer, Minister of Higher Education and Research, attended. Zhu Lan, professor of "
                     "Information Systems at Harbor University, spoke.")
    orgs = {o for _, o, _ in got}
    assert not orgs & {"Higher Education and Research", "Information Systems"}
    assert ("Zhu Lan", "Harbor University") in {(p, o) for p, o, _ in got}


def test_an_institution_without_a_head_word_after_a_title_is_one(nlp):
    assert ("Alpha Lau", "Invest Harbor City") in {(p, o) for p, o, _ in pairs(
        nlp, "Alpha Lau, director-general of Invest Harbor City, welcomed the delegation.")}


def test_honorific_between_title_and_name(nlp):
    got = pairs(nlp, "The ceremony was officiated by OHF Chairman Mr Tung Chee-wai and OHF Vice Chairman Dr Victor "
                     "Fang. The Our Harbor Foundation (OHF) was founded in 2014.")
    assert {("Tung Chee-wai", "Our Harbor Foundation"), ("Victor Fang", "Our Harbor Foundation")} <= {
        (p, o) for p, o, _ in got}


def test_title_of_a_place_then_name_in_commas(nlp):
    got = pairs(nlp, "It was officiated by the Chief Executive of the Harbor Special Administrative Region, Mrs Lara "
                     "Lam, on Monday.")
    assert ("Lara Lam", "Harbor Special Administrative Region", "chief executive") in got


def test_bulleted_lines_of_names_dashes_titles_and_institutions(nlp):
    got = pairs(nlp, "The six winners are:\n\n• Alex Kwan – Founder and Chairman, TNG Paytech Group\n"
                     "• Steven Lum – Co-founder and CEO, GOVANGO\n")
    assert {("Alex Kwan", "TNG Paytech Group", "founder"), ("Alex Kwan", "TNG Paytech Group", "chairman"),
            ("Steven Lum", "GOVANGO", "co-founder"), ("Steven Lum", "GOVANGO", "ceo")} <= got


def test_a_chair_named_after_a_person_is_part_of_the_title(nlp):
    x = extract(HEAD + "Siau Keng Leng, the Lee Kong Chian Professor of Information Systems at Harbor University, "
                       "spoke.", "t.txt", nlp)
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert "Lee Kong Chian" not in people and "Siau Keng Leng" in people


def test_the_same_title_at_two_institutions(nlp):
    got = pairs(nlp, "Jake Dorley, chief executive and founder of Chirp Media Group and chief executive and "
                     "co-founder of Squareline Holdings, spent part of his visit at Lakeside College.")
    assert {("Jake Dorley", "Chirp Media Group"), ("Jake Dorley", "Squareline Holdings")} <= {(p, o) for p, o, _ in got}


def test_a_place_based_description_is_no_part_of_the_name(nlp):
    got = pairs(nlp, "Mohit Mirani, a fund manager at Harbor-based SGMX Capital, blamed the late fade on profit-taking.")
    assert ("Mohit Mirani", "SGMX Capital") in {(p, o) for p, o, _ in got}


def test_a_unit_of_an_institution_in_the_possessive(nlp):
    got = pairs(nlp, "Huo Fuping, director of the NDRC's Innovation-Driven Development Center, told reporters that "
                     "investment grew.")
    assert {(p, o) for p, o, _ in got} == {("Huo Fuping", "Innovation-Driven Development Center")}


def test_the_companys_chairman_is_the_company_just_named(nlp):
    got = pairs(nlp, "Shares of Harbor Robotics Group rose on Friday. Yu Kang, the company's chairman and chief "
                     "executive, banged the gong.")
    assert {("Yu Kang", "Harbor Robotics Group", "chairman"), ("Yu Kang", "Harbor Robotics Group", "chief executive")} <= got


def test_an_unknown_name_whose_post_it_is_is_an_institution(nlp):
    got = pairs(nlp, "The talk was given by Maria Olsen, Brightwave's chief executive.")
    assert ("Maria Olsen", "Brightwave", "chief executive") in got


def test_a_possessive_before_no_title_makes_no_institution(nlp):
    x = extract(HEAD + "It was Monday's main news, said Ann Lee.", "t.txt", nlp)
    assert not x.affiliations
    assert not [e for e in x.entities if e.kind is Kind.ORGANIZATION and e.name == "Monday"]


def test_a_plural_title_after_people_named_together_is_each_ones_post(nlp):
    got = pairs(nlp, "She met two students, Annika Brell and Olav Tind, co-founders of the ticketing start-up Ticketlane.")
    assert {("Annika Brell", "Ticketlane", "co-founder"), ("Olav Tind", "Ticketlane", "co-founder")} <= got
    got = pairs(nlp, "She met Ann Rook, Cy Dole and Bo Lind, the managing directors of the payments firm Quillbank.")
    assert {(p, "Quillbank", "managing director") for p in ("Ann Rook", "Cy Dole", "Bo Lind")} <= got


def test_a_plural_noun_that_is_no_title_gives_no_post(nlp):
    got = pairs(nlp, "She met Ann Rook and Bo Lind, speakers at the Ocean Fintech Summit.")
    assert not got


def test_a_post_in_a_relative_clause_of_an_apposition_is_the_persons(nlp):
    got = pairs(nlp, "The forum was led by Gao Ruiming, a former student who was then deputy governor of the "
                     "Harbor Bank Lakeport Sub-branch.")
    assert ("Gao Ruiming", "Harbor Bank Lakeport Sub-branch", "deputy governor") in got


def test_a_surname_the_tagger_calls_a_place_is_the_person(nlp):
    got = pairs(nlp, "The college named payments researcher Gilbert Kerrington to the new professorship.\n\n"
                     "Kerrington, now a lecturer at the University of Lakeport, starts in March.")
    assert ("Gilbert Kerrington", "University of Lakeport", "lecturer") in got  # the tagger says GPE


def test_a_chair_named_after_a_person_with_a_hyphenated_name_is_a_title(nlp):
    got = pairs(nlp, "Remarks came from Gao Ruiming, Lam Ka-wing Chair Professor and a research fellow at the "
                     "Law School of Lakeport University.")
    assert {p for p, _, _ in got} == {"Gao Ruiming"}


def test_a_place_after_of_is_the_posts_domain_when_an_institution_follows(nlp):
    got = pairs(nlp, "Lukas Brenner, head of Asia at Zurich-based Quellbank Clearing AG, said volumes grew.")
    assert ("Lukas Brenner", "Quellbank Clearing AG", "head") in got
    assert not any(org == "Asia" for _, org, _ in got)
    assert ("Maria Lind", "Lakeport", "mayor") in pairs(nlp, "Maria Lind, mayor of Lakeport, said so.")


HOME = ("Harbor Construction Bank reported higher tech lending at its interim results briefing. "
        "Harbor Construction Bank said loans grew. Opening the briefing, president Zhou Minghai said the bank "
        "had met its goals. Vice-president Tang Lirong told the briefing that Harbor Construction Bank had an edge.")


def test_a_bare_post_before_a_name_is_a_post_of_the_article_s_institution(nlp):
    got = pairs(nlp, HOME)
    assert ("Zhou Minghai", "Harbor Construction Bank", "president") in got
    assert ("Tang Lirong", "Harbor Construction Bank", "Vice-president") in got or \
        ("Tang Lirong", "Harbor Construction Bank", "vice-president") in got


def test_a_bare_post_gets_no_institution_where_no_one_institution_leads(nlp):
    got = pairs(nlp, "Harbor Bank and Lakeside University signed a pact. Harbor Bank and Lakeside University will "
                     "share data. Harbor Bank and Lakeside University agreed. President Zhou Minghai spoke first.")
    assert not [p for p in got if p[0] == "Zhou Minghai"]


def test_a_bare_government_post_is_no_post_of_the_article_s_institution(nlp):
    got = pairs(nlp, HOME + " Minister Wu Haotian welcomed the results.")
    assert not [p for p in got if p[0] == "Wu Haotian"]


def test_whose_post_belongs_to_the_institution_before_it(nlp):
    got = pairs(nlp, "The award was presented with the Lakeside Microfinance Council, whose chairperson, "
                     "Gilbert Varona, was among the guests.")
    assert ("Gilbert Varona", "Lakeside Microfinance Council", "chairperson") in got


def test_a_title_s_domain_ends_where_a_named_person_begins(nlp):
    got = pairs(nlp, "On the sidelines, the Corvell Central Bank's Deputy Governor for Payments, Mr. Tobin Varga, "
                     "described the payments.")
    assert ("Tobin Varga", "Corvell Central Bank", "deputy governor for payments") in got


def test_a_place_named_elsewhere_before_a_title_is_the_posts_jurisdiction(nlp):
    body = ("The Eastvale Capital Summit opened in Marrowby on Monday. Also speaking was Zhao Ming, deputy "
            "general manager of the Marrowby Stock Exchange. Marrowby Mayor Harriet Quell chaired the "
            "opening ceremony.")
    got = pairs(nlp, body)
    assert ("Harriet Quell", "Marrowby", "mayor") in got
    assert not any(person == "Harriet Quell" and org == "Marrowby Stock Exchange" for person, org, _ in got)
    got = pairs(nlp, "The Marrowby Stock Exchange reopened. Marrowby Chairman Ivo Brandt rang the bell.")
    assert not any(person == "Ivo Brandt" and org == "Marrowby" for person, org, _ in got)


def test_a_relative_clause_after_a_post_gives_another_post(nlp):
    got = pairs(nlp, "Ola Brun, president of the Quillon Institute, who is also chairman of the Eastvale "
                     "Trade Council, spoke.")
    assert {("Ola Brun", "Quillon Institute", "president"), ("Ola Brun", "Eastvale Trade Council", "chairman")} <= got
    got = pairs(nlp, "Ola Brun, president of the Quillon Institute, who said rates would fall, met the Eastvale "
                     "Trade Council.")
    assert not any(org == "Eastvale Trade Council" for _, org, _ in got)


def test_as_well_as_joins_posts_and_institutions(nlp):
    got = pairs(nlp, "Ola Brun, chairman of the Quillon Institute as well as president of the Eastvale Trade "
                     "Council, spoke.")
    assert ("Ola Brun", "Eastvale Trade Council", "president") in got
    got = pairs(nlp, "The Quillon Institute (QI) opened an office. Speakers included Ola Brun, who chairs the QI "
                     "for Norway as well as the Eastvale Trade Council.")
    assert {("Ola Brun", "Quillon Institute", "chairman"), ("Ola Brun", "Eastvale Trade Council", "chairman")} <= got
