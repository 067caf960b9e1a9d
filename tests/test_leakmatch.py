"""The guard's comparing (leakmatch.py): the fast fold is the fold, and the matcher misses
no whole-word occurrence, whichever engine runs it.

Each shortcut has a test that fails if it lets a planted leak through: the fold done on the
bytes (against the reference fold on decoded text, on every character that matters), long
fragments looked for by their head (the rest must be compared), fragments holding a NUL
(which Hyperscan cannot take), and the Aho-Corasick engine used where Hyperscan is missing.
"""

from __future__ import annotations

import pickle
import random
import sys

import pytest

from committee_papers import leakmatch
from committee_papers.leakmatch import Matcher, encode, fold, fold_bytes, fold_text

#: Every kind of character the fold treats specially, and a few it must leave alone.
PIECES = [
    *(c.encode() for c in "aZQ7 \n\t\x0b\x0c\r\x1c\x1f-*_#|>`[]()~\\'\".&;<"),
    b"--",
    b"&amp;",
    b"&#8217;",
    b"&lt;",
    b"&rsquo;",
    b"&#x41;",
    b"&not",  # entities without their `;`, beside markup: `&not*in;`
    b"&lt",
    b"amp",
    b"in",
    *(c.encode() for c in "\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u202f\u2026\u00ab\u00bb"),
    *(c.encode() for c in "éÉßﬁİ\u212a\u2028\u3000\x85"),
    b"\xe2",  # a lead byte with nothing after it
    b"\xf0\x9f",  # a sequence cut short
    b"\x80",  # a stray continuation byte
    b"\x00",
]


def reference(data: bytes) -> bytes:
    """The fold as the guard defines it: decode, then `fold` the text."""
    text = data.translate(leakmatch._BYTES_FOLD).decode("utf-8", errors="replace")
    return encode(fold(text))


def test_fold_on_bytes_is_the_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small pieces, so the piecewise fold of text that is not ASCII is tried at every cut.
    monkeypatch.setattr(leakmatch, "_PIECE", 5)
    rng = random.Random(12)
    for _ in range(30_000):
        data = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        assert fold_bytes(data) == reference(data), data


def test_fold_of_a_text_is_the_fold() -> None:
    """Fragments are folded with `fold`, names and public text with `fold_text`: the same."""
    rng = random.Random(7)
    texts = [p.decode("utf-8", errors="replace") for p in PIECES]
    for _ in range(20_000):
        text = "".join(rng.choice(texts) for _ in range(rng.randint(0, 30)))
        assert fold_text(text) == encode(fold(text)), text


def test_fold_of_a_long_mostly_ascii_text_is_the_fold() -> None:
    """One rare character in a big file: the file is folded in pieces, and the same."""
    rng = random.Random(3)
    words = [b"Price", b"land", b"\xe2\x80\x94", b"\xef\xb9\x8d", b"x" * 9, b"  ", b"\n", b"&amp;"]
    data = b" ".join(rng.choice(words) for _ in range(200_000))
    assert len(data) > 4 * leakmatch._PIECE
    assert fold_bytes(data) == reference(data)


SENTENCE = fold("The negotiated price for the land is four million pounds.")
NAME = fold("Zqxwithheld")
LONG = fold(" ".join(f"Clause {n} of the withheld lease says nothing new." for n in range(600)))
WITH_NUL = "withheld\x00value here"
STARTS_WITH_NUL = "\x00withheld value"
FRAGMENTS = [SENTENCE, NAME, LONG, WITH_NUL, STARTS_WITH_NUL, "land is four", "four million"]


@pytest.fixture(params=["hyperscan", "aho-corasick"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "aho-corasick":
        monkeypatch.setitem(sys.modules, "hyperscan", None)  # as where it has no wheel
    return request.param


def test_long_fragments_are_longer_than_one_engine_literal() -> None:
    assert len(LONG.encode()) > 16_000 > leakmatch._HEAD


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"x {SENTENCE} y", {SENTENCE, "land is four", "four million"}),
        # Overlapping fragments both count.
        ("the land is four million", {"land is four", "four million"}),
        # Whole words only, on both sides, ASCII or not.
        (f"{NAME}s and pre{NAME} and é{NAME} and {NAME}é", set()),
        (f"{NAME}é {NAME}", {NAME}),
        (f"«{NAME}» — {NAME}—", {NAME}),
        # A long fragment whole, and its head alone (which is not it).
        (f"a {LONG} b", {LONG}),
        (LONG[: len(LONG) // 2], set()),
        (LONG + "x", set()),
        # Fragments holding a NUL, whole or cut short.
        (f"a {WITH_NUL} b {STARTS_WITH_NUL} c", {WITH_NUL, STARTS_WITH_NUL}),
        ("a withheld\x00value", set()),
        ("withheld value", set()),
    ],
)
def test_matcher_finds_every_whole_word_occurrence(engine: str, text: str, found: set) -> None:
    assert Matcher(FRAGMENTS).find(encode(text)) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"x {SENTENCE} y", {SENTENCE, "land is four", "four million"}),
        (f"a {LONG} b", {LONG}),
        (LONG + "x", set()),
        (f"a {WITH_NUL} b {STARTS_WITH_NUL} c", {WITH_NUL, STARTS_WITH_NUL}),
    ],
)
def test_a_matcher_sent_to_another_process_finds_the_same(
    engine: str, text: str, found: set
) -> None:
    """As the build process takes the fork's secrets (pickled, the automaton compiled): a
    fragment's bytes are made only when a match needs them, and match as before."""
    sent = pickle.loads(pickle.dumps(Matcher(FRAGMENTS)))
    assert not sent._made
    assert sent.find(encode(text)) == found
    # Only fragments whose head is in the text, and those looked for whole (headless).
    hit = {i for i, f in enumerate(FRAGMENTS) if f.split("\x00")[0][:20] in text}
    assert set(sent._made) <= hit | set(sent._headless)
    assert len(sent._made) < len(FRAGMENTS)


def test_a_near_miss_does_not_hide_a_real_match(engine: str) -> None:
    """The same fragment inside a longer word first, then as words: found."""
    text = f"pre{NAME} {NAME}"
    assert Matcher([NAME]).find(text.encode()) == {NAME}


def test_both_engines_agree_on_random_text(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    words = ["land", "is", "four", "million", NAME, "é", "x", "withheld\x00value", "here", "\x00"]
    texts = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(300)]
    hyperscan = Matcher(FRAGMENTS)
    monkeypatch.setitem(sys.modules, "hyperscan", None)
    automaton = Matcher(FRAGMENTS)
    fast = [hyperscan.find(encode(t)) for t in texts]
    assert [automaton.find(encode(t)) for t in texts] == fast
    assert any(fast)
