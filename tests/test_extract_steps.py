"""The extraction steps themselves: their order and contract, and the sentence boundaries the
parser is given."""
from kg.extract import steps
from kg.model import Kind


def test_steps_are_named_documented_and_ordered():
    names = [s.name for s in steps.STEPS]
    assert names == ["header", "entities", "affiliations", "events", "participation", "metrics", "sub-organisations",
                     "posts at events"]
    for step in steps.STEPS:
        assert step.doc, f"step {step.name} has no docstring"
        assert step.writes, f"step {step.name} says nothing of what it adds"


def test_every_step_reads_only_what_an_earlier_step_wrote():
    written = {"doc", "doc.text", "doc.spans"}
    for step in steps.STEPS:
        for need in step.reads:
            assert need in written, f"{step.name} reads {need} before any step writes it"
        written.update(step.writes)


def test_a_step_list_runs_in_order_over_one_article(nlp):
    seen = []

    def first(a):
        """Records itself."""
        seen.append(("first", a.header))

    def second(a):
        """Records itself."""
        seen.append(("second", a.header is not None))

    doc = nlp("A headline\n\nBy Ana Lima\n\nThe bank opened a lab.")
    article = steps.run(steps.Article(doc, "t.txt"),
                        (steps.STEPS[0], steps.Step("first", first, ("header",), ("x",)),
                         steps.Step("second", second, ("x",), ("y",))))
    assert article.header is not None and [s for s, _ in seen] == ["first", "second"]


def test_no_sentence_starts_inside_a_name(nlp):
    doc = nlp("Keeping the water flowing\n\nOyelaran Tobechukwu, chairman of the Harbor Group, explained why.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert "Tobechukwu" not in starts and "Oyelaran" in starts


def test_a_full_stop_still_ends_a_sentence(nlp):
    doc = nlp("The forum opened on Monday. Ilse Varga spoke first.")
    assert [s.text for s in doc.sents] == ["The forum opened on Monday.", "Ilse Varga spoke first."]


def test_institution_words_make_no_person(nlp):
    from kg.extract import extract

    x = extract("A headline\n\nBy Ana Lima\n\nGuests included Wang Lifen, director of the Department of "
                "Educational, Scientific and Technological Affairs of the Harbor Office.", "t.txt", nlp)
    people = {e.name for e in x.entities if e.kind is Kind.PERSON}
    assert "Technological Affairs" not in people and "Wang Lifen" in people
