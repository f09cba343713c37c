"""What the NLP step saves must not change what it gives: the shortcuts of ``nlp.py`` and
``morph.py`` against natasha's and pymorphy's own calls (docs/performance.md, engine speed)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pymorphy3.analyzer import Parse
from slovnet.exec.encoders import WordShapeInput
from slovnet.exec.model import CRF, Weight

from service.extraction.nlp import (
    MAX_SENTENCE_TOKENS,
    Doc,
    _split_long_sentences,
    analyze,
    models,
    viterbi,
)

TEXTS = [
    "",
    "Мэр Тулы Иван Петров встретился в среду с послом Франции.",
    "«Мы не согласны», — заявил представитель ООО «Ромашка» Пётр Сидоров.\n\n"
    "Компания Gazprom Neft и банк ВТБ подписали соглашение в Казани.",
    "Жители Новосибирска, Омска и Томска " + "ждали автобус и " * 200 + "уехали в Барнаул.",
]


def _spans(doc: Doc) -> list[tuple[int, int, str, str, list[str]]]:
    return [(s.start, s.stop, s.type, s.text, [t.text for t in s.tokens]) for s in doc.spans]


@pytest.mark.parametrize("text", TEXTS)
def test_ner_on_the_segmenters_tokens_equals_natashas_own_tagging(text: str) -> None:
    ours = analyze(text)
    theirs = Doc(text)
    theirs.segment(models().segmenter)
    theirs.tag_ner(models().ner)  # tokenises the text a second time
    assert _spans(ours) == _spans(theirs)
    for sent in ours.sents:  # every span is also on the sentence (piece) it falls in
        assert all(sent.start <= s.start and s.stop <= sent.stop for s in sent.spans)


def test_long_sentences_still_come_in_pieces() -> None:
    doc = analyze(TEXTS[-1])
    assert len(doc.sents) > 1
    assert all(len(s.tokens) <= MAX_SENTENCE_TOKENS for s in doc.sents)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_numpy_blas_runs_on_one_thread() -> None:
    # A fresh interpreter (the test process may have loaded numpy before the setting).
    code = (
        "import os\n"
        "from service.extraction.nlp import analyze\n"
        "analyze('Мэр Тулы Иван Петров встретился в среду с послом Франции. ' * 50)\n"
        "print(len(os.listdir('/proc/self/task')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


@pytest.mark.parametrize(
    ("word", "grammemes"), [("Москвы", {"Nom"}), ("Пашиняном", {"Nom"}), ("стали", {"Plur"})]
)
def test_cached_inflection_equals_pymorphys(word: str, grammemes: set[str]) -> None:
    vocab = models().morph_vocab
    for form in vocab(word):
        oc = {"Nom": "nomn", "Plur": "plur"}
        expected = Parse.inflect(form, {oc[g] for g in grammemes})
        assert form.inflect(grammemes) == expected
        assert form.inflect(grammemes) == expected  # from the cache


@pytest.mark.parametrize("seed", range(6))
def test_viterbi_equals_slovnets_crf_decode(seed: int) -> None:
    real = models().ner.infer.model.head.crf.transitions.array
    rng = np.random.default_rng(seed)
    length = int(rng.integers(1, 60))
    emissions = rng.normal(size=(length, real.shape[0])).astype(np.float32)
    transitions = real
    if seed % 2:  # ties everywhere: the first best previous tag must win in both
        emissions, transitions = emissions.round(0), np.zeros_like(real)
    crf = CRF(Weight(transitions.shape, str(transitions.dtype), transitions))
    expected = crf.decode(emissions[None], np.ones((1, length), dtype=bool))[0].tolist()
    assert viterbi(emissions, transitions) == expected


def _batches(name: str, text: str, tagger: str = "") -> Iterator[WordShapeInput]:
    doc = Doc(text)
    doc.segment(models().segmenter)
    items = [[t.text for t in s.tokens] for s in doc.sents]
    return getattr(models(), tagger or name).infer.encoder(items)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", ["morph", "syntax", "ner"])
@pytest.mark.parametrize("text", TEXTS[1:])
def test_the_engines_layers_give_slovnets_bits(name: str, text: str) -> None:
    stock = getattr(models(), name).infer.model
    fast = getattr(models(), f"fast_{name}").infer.model
    for batch in _batches(name, text):  # batches of 8 sentences, padded: tails are zeroed
        args = (batch.word_id, batch.shape_id, batch.pad_mask)
        ours, theirs = fast(*args), stock(*args)
        if name == "syntax":
            assert ours.head_id.tobytes() == theirs.head_id.tobytes()
            assert ours.rel_id.tobytes() == theirs.rel_id.tobytes()
        else:
            assert ours.tobytes() == theirs.tobytes()
        assert fast.emb(*args[:2]).tobytes() == stock.emb(*args[:2]).tobytes()


@pytest.mark.parametrize("name", ["morph", "syntax", "ner"])
def test_cached_word_ids_equal_slovnets_encoding(name: str) -> None:
    text = TEXTS[2] + " " + TEXTS[2].upper()  # the second pass comes from the cache
    ours = list(_batches(name, text, f"fast_{name}"))
    theirs = list(_batches(name, text))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert a.word_id.tobytes() == b.word_id.tobytes()
        assert a.shape_id.tobytes() == b.shape_id.tobytes()
        assert a.pad_mask.tobytes() == b.pad_mask.tobytes()


def _token_tags(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.start, t.text, t.pos, t.feats, t.id, t.head_id, t.rel) for t in doc.tokens]


@pytest.mark.parametrize("text", TEXTS[1:])
def test_morph_and_syntax_set_natashas_own_tags(text: str) -> None:
    text = " ".join([text] * 5)  # over 8 sentences: more than one batch
    ours = analyze(text)
    theirs = Doc(text)
    theirs.segment(models().segmenter)
    _split_long_sentences(theirs)  # as analyze does, so that the same pieces are parsed
    theirs.tag_morph(models().morph)
    theirs.parse_syntax(models().syntax)
    assert _token_tags(ours) == _token_tags(theirs)


def test_a_pad_id_inside_a_sentence_is_masked_as_slovnet_masks_it() -> None:
    stock, fast = models().morph.infer, models().fast_morph.infer
    batch = next(stock.encoder([["Мэр", "Тулы", "уехал"], ["Иван", "Петров", "встретился", "в"]]))
    batch.pad_mask[0, 1] = True  # as if the word's id were the pad id
    args = (batch.word_id, batch.shape_id, batch.pad_mask)
    assert fast.model(*args).tobytes() == stock.model(*args).tobytes()
