"""Nesting possibly overlapping spans into marks: the rules the viewer's HTML relies on."""

from __future__ import annotations

import itertools
import random

import pytest

from service.ui.marks import Mark, MarkSpan, Node, Text, nest


def span(start: int, end: int, key: str, rank: int = 0) -> MarkSpan:
    return MarkSpan(start=start, end=end, key=key, rank=rank)


def shape(nodes: list[Node]) -> list[object]:
    """A compact picture: text runs as strings, marks as (key[/part], [children])."""
    out: list[object] = []
    for n in nodes:
        if isinstance(n, Text):
            out.append(n.text)
        else:
            name = n.span.key if n.parts == 1 else f"{n.span.key}/{n.part}"
            out.append((name, shape(n.children)))
    return out


def marks_of(nodes: list[Node]) -> list[Mark]:
    out: list[Mark] = []
    for n in nodes:
        if isinstance(n, Mark):
            out.append(n)
            out += marks_of(n.children)
    return out


def flatten(nodes: list[Node]) -> str:
    return "".join(n.text if isinstance(n, Text) else flatten(n.children) for n in nodes)


def covering(nodes: list[Node], text_length: int) -> list[set[str]]:
    """For every character, the keys of the marks it sits inside."""
    out: list[set[str]] = []

    def walk(ns: list[Node], keys: set[str]) -> None:
        for n in ns:
            if isinstance(n, Text):
                out.extend(set(keys) for _ in n.text)
            else:
                walk(n.children, keys | {n.span.key})

    walk(nodes, set())
    assert len(out) == text_length
    return out


def crosses(a: MarkSpan, b: MarkSpan) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def check_invariants(text: str, spans: list[MarkSpan]) -> list[Node]:
    nodes = nest(text, spans)
    assert flatten(nodes) == text
    # Every character is inside exactly the marks of the spans that contain it.
    for i, keys in enumerate(covering(nodes, len(text))):
        assert keys == {s.key for s in spans if s.start <= i < s.end}, (i, text, spans)
    pieces: dict[str, list[Mark]] = {}
    for m in marks_of(nodes):
        assert m.start < m.end, "an empty mark"
        assert flatten(m.children) == text[m.start : m.end]
        pieces.setdefault(m.span.key, []).append(m)
    assert set(pieces) == {s.key for s in spans}
    for s in spans:
        ps = pieces[s.key]
        # The pieces tile the span left to right and are numbered so.
        assert [p.part for p in ps] == list(range(1, len(ps) + 1))
        assert all(p.parts == len(ps) for p in ps)
        assert ps[0].start == s.start and ps[-1].end == s.end
        assert all(a.end == b.start for a, b in itertools.pairwise(ps))
        # Cut only where another span crosses it, and only at such a span's boundary.
        if len(ps) > 1:
            others = [o for o in spans if o is not s and crosses(o, s)]
            assert others, f"{s} was cut though nothing crosses it"
            bounds = {o.start for o in others} | {o.end for o in others}
            assert all(p.end in bounds for p in ps[:-1])
        elif not any(crosses(o, s) for o in spans if o is not s):
            assert len(ps) == 1
    return nodes


def test_no_spans_give_the_text_as_one_run() -> None:
    assert shape(nest("Путин и Алиев", [])) == ["Путин и Алиев"]
    assert nest("", []) == []


def test_disjoint_spans_are_marks_between_text_runs() -> None:
    text = "Путин и Алиев"
    assert shape(nest(text, [span(8, 13, "b"), span(0, 5, "a")])) == [
        ("a", ["Путин"]),
        " и ",
        ("b", ["Алиев"]),
    ]


def test_adjacent_spans_stay_side_by_side() -> None:
    assert shape(nest("abcd", [span(0, 2, "a"), span(2, 4, "b")])) == [
        ("a", ["ab"]),
        ("b", ["cd"]),
    ]


def test_a_span_inside_another_nests_in_it() -> None:
    text = "«Мы надеемся», — сказал Песков"
    quote, mention = span(1, 12, "q"), span(1, 3, "m")
    assert shape(nest(text, [mention, quote])) == [
        "«",
        ("q", [("m", ["Мы"]), " надеемся"]),
        "», — сказал Песков",
    ]


def test_equal_spans_nest_by_rank_lower_outside() -> None:
    outer, inner = span(0, 3, "x", rank=0), span(0, 3, "y", rank=1)
    assert shape(nest("abc", [inner, outer])) == [("x", [("y", ["abc"])])]
    assert shape(nest("abc", [span(0, 3, "x", 5), span(0, 3, "y", 1)])) == [("y", [("x", ["abc"])])]


def test_same_start_the_longer_span_is_outside() -> None:
    assert shape(nest("abcdef", [span(0, 2, "short"), span(0, 6, "long")])) == [
        ("long", [("short", ["ab"]), "cdef"])
    ]


def test_same_end_the_earlier_span_is_outside() -> None:
    assert shape(nest("abcdef", [span(4, 6, "late"), span(0, 6, "early")])) == [
        ("early", ["abcd", ("late", ["ef"])])
    ]


def test_a_crossing_span_is_cut_at_the_end_of_the_mark_it_starts_in() -> None:
    #            0123456789
    text = "aaaabbbbcc"
    nodes = nest(text, [span(0, 8, "q"), span(4, 10, "m")])
    assert shape(nodes) == [("q", ["aaaa", ("m/1", ["bbbb"])]), ("m/2", ["cc"])]
    first, second = (m for m in marks_of(nodes) if m.span.key == "m")
    assert (first.start, first.end, second.start, second.end) == (4, 8, 8, 10)


def test_the_span_starting_first_stays_whole_the_later_one_is_cut() -> None:
    nodes = nest("0123456789", [span(5, 10, "late"), span(0, 7, "early")])
    assert [(m.span.key, m.part, m.parts) for m in marks_of(nodes)] == [
        ("early", 1, 1),
        ("late", 1, 2),
        ("late", 2, 2),
    ]


def test_a_span_crossing_several_marks_is_cut_at_each_boundary() -> None:
    # a [0,4) and b [4,8) side by side; c [2,6) crosses both ends of a, the start of b.
    nodes = check_invariants("abcdefgh", [span(0, 4, "a"), span(4, 8, "b"), span(2, 6, "c")])
    assert shape(nodes) == [
        ("a", ["ab", ("c/1", ["cd"])]),
        ("b", [("c/2", ["ef"]), "gh"]),
    ]
    cuts = [(m.start, m.end) for m in marks_of(nodes) if m.span.key == "c"]
    assert cuts == [(2, 4), (4, 6)]


def test_a_staircase_of_crossings_keeps_every_character_in_its_marks() -> None:
    spans = [span(i, i + 4, f"s{i}") for i in range(0, 12, 2)]
    check_invariants("x" * 16, spans)


def test_a_span_covering_the_whole_text_contains_everything() -> None:
    spans = [span(0, 9, "all"), span(2, 4, "a"), span(3, 7, "b")]
    nodes = check_invariants("012345678", spans)
    assert len(nodes) == 1 and isinstance(nodes[0], Mark) and nodes[0].span.key == "all"


def test_astral_characters_are_one_position_each() -> None:
    text = "😀 Путин 😀"
    assert shape(nest(text, [span(2, 7, "p")])) == ["😀 ", ("p", ["Путин"]), " 😀"]


def test_the_input_order_does_not_matter() -> None:
    spans = [span(0, 8, "q"), span(4, 10, "m"), span(2, 3, "e", rank=2), span(4, 10, "n", 1)]
    expected = shape(nest("abcdefghij", spans))
    for seed in range(20):
        shuffled = spans[:]
        random.Random(seed).shuffle(shuffled)
        assert shape(nest("abcdefghij", shuffled)) == expected


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2), (0, 11), (10, 12)], ids=str)
def test_an_empty_or_outside_span_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="empty or outside"):
        nest("0123456789", [span(start, end, "bad")])


def test_a_key_used_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="used twice"):
        nest("0123456789", [span(0, 2, "k"), span(4, 6, "k")])


def test_random_spans_always_nest_properly() -> None:
    rng = random.Random(20251130)
    for _ in range(3000):
        length = rng.randint(1, 40)
        spans = []
        for k in range(rng.randint(0, 10)):
            start = rng.randrange(length)
            end = rng.randint(start + 1, length)
            spans.append(span(start, end, f"k{k}", rank=rng.randint(0, 2)))
        check_invariants("".join(rng.choice("абв ") for _ in range(length)), spans)


def test_many_identical_and_nested_spans_nest_deeply_without_cuts() -> None:
    spans = [span(i, 100 - i, f"n{i}") for i in range(50)]
    nodes = check_invariants("x" * 100, spans)
    assert all(m.parts == 1 for m in marks_of(nodes))
