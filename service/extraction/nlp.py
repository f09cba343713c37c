"""natasha/slovnet models, loaded once per process (the weights ship inside the wheels)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import numpy as np
from natasha import (
    Doc,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)
from natasha.doc import DocSent, DocSpan
from slovnet.conll import parse_conll_tag
from slovnet.exec.model import SyntaxPred
from slovnet.markup import BIOMarkup

from service.extraction.morph import MorphVocab, analyzer
from service.extraction.nnfast import CachedEncoder, fast_model


@dataclass(frozen=True)
class Models:
    segmenter: Segmenter
    morph_vocab: MorphVocab
    morph: NewsMorphTagger
    syntax: NewsSyntaxParser
    ner: NewsNERTagger
    # The engine's copies of the three, with nnfast's cheaper layers over the same weights;
    # the fields above stay natasha's own (raw natasha in bench/extract_speed.py uses them).
    fast_morph: NewsMorphTagger
    fast_syntax: NewsSyntaxParser
    fast_ner: NewsNERTagger


_lock = threading.Lock()
_Tagger = TypeVar("_Tagger", NewsMorphTagger, NewsSyntaxParser, NewsNERTagger)


@cache
def _load() -> Models:
    embedding = NewsEmbedding()
    morph = NewsMorphTagger(embedding)
    syntax = NewsSyntaxParser(embedding)
    ner = NewsNERTagger(embedding)
    # the three models share navec's vocabulary and slovnet's shapes: one cache of word ids
    shared = _vocabs(morph) == _vocabs(syntax) == _vocabs(ner)
    ids: dict[str, tuple[int, int]] = {}
    return Models(
        segmenter=Segmenter(),
        morph_vocab=MorphVocab(analyzer()),  # the dictionary roles.py uses too
        morph=morph,
        syntax=syntax,
        ner=ner,
        fast_morph=_fast_copy(morph, ids if shared else {}),
        fast_syntax=_fast_copy(syntax, ids if shared else {}),
        fast_ner=_fast_copy(ner, ids if shared else {}),
    )


def _fast_copy(tagger: _Tagger, ids: dict[str, tuple[int, int]]) -> _Tagger:
    encoder = tagger.infer.encoder
    fast = copy.copy(tagger)
    fast.infer = copy.copy(tagger.infer)
    fast.infer.model = fast_model(tagger.infer.model)
    fast.infer.encoder = CachedEncoder(encoder, ids)
    return fast


def _vocabs(tagger: _Tagger) -> tuple[list[str], list[str]]:
    encoder = tagger.infer.encoder
    return encoder.words_vocab.items, encoder.shapes_vocab.items


def models() -> Models:
    with _lock:  # the first call loads; others wait instead of loading twice
        return _load()


def analyze(text: str) -> Doc:
    """Segment, tag morphology, parse syntax and tag NER; offsets are into ``text``."""
    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    _split_long_sentences(doc)
    _tag_morph(doc, m.fast_morph)
    _parse_syntax(doc, m.fast_syntax)
    _tag_ner(doc, m.fast_ner)
    return doc


def _batches(doc: Doc, tagger: NewsMorphTagger | NewsSyntaxParser) -> Iterator[tuple[DocSent, Any]]:
    """(sentence, its row of the batch's predictions), for natasha's batches: ``map`` cuts
    the sentences into chunks of ``batch_size`` and the encoder each chunk into its own, so
    with equal sizes the encoder alone cuts the same batches of the same sentences."""
    infer = tagger.infer
    assert tagger.batch_size == infer.encoder.batch_size
    sents = iter(doc.sents)
    for batch in infer.encoder([[t.text for t in s.tokens] for s in doc.sents]):
        for pred, sent in zip(_predict(infer, batch), sents, strict=False):  # pred first:
            yield sent, pred  # zip stops at the batch's end without taking a sentence more


def _tag_morph(doc: Doc, tagger: NewsMorphTagger) -> None:
    """``doc.tag_morph`` without natasha's and slovnet's intermediate markup records: the
    same tags set on the same tokens (a test compares them with ``doc.tag_morph``)."""
    decode = tagger.infer.decoder.tags_vocab.decode
    for sent, tag_ids in _batches(doc, tagger):
        for token, tag_id in zip(sent.tokens, tag_ids, strict=True):
            token.pos, feats = _conll_tag(decode(tag_id))
            token.feats = dict(feats)


def _parse_syntax(doc: Doc, parser: NewsSyntaxParser) -> None:
    """``doc.parse_syntax`` likewise: ids "sentence_word", heads and relations."""
    decode = parser.infer.decoder.rels_vocab.decode
    for number, (sent, (heads, rels)) in enumerate(_batches(doc, parser), 1):
        for index, (token, head, rel) in enumerate(zip(sent.tokens, heads, rels, strict=True)):
            token.id = f"{number}_{index + 1}"
            token.head_id = f"{number}_{head}"
            token.rel = decode(rel)


def _predict(infer: Any, batch: Any) -> list[Any]:
    """Each sentence's unpadded predictions, as slovnet's ``process`` decodes them."""
    model = infer.model
    sizes = (~batch.pad_mask).sum(-1).tolist()
    pred = model(batch.word_id, batch.shape_id, batch.pad_mask)
    if isinstance(pred, SyntaxPred):
        mask = ~batch.pad_mask
        heads = model.head.decode(pred.head_id, mask).tolist()
        rels = model.rel.decode(pred.rel_id, mask).tolist()
        return [(h[:n], r[:n]) for h, r, n in zip(heads, rels, sizes, strict=True)]
    tags = model.head.decode(pred).tolist()
    return [row[:n] for row, n in zip(tags, sizes, strict=True)]


@cache
def _conll_tag(tag: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    pos, feats = parse_conll_tag(tag)
    return pos, tuple(feats.items())


def _tag_ner(doc: Doc, ner: NewsNERTagger) -> None:
    """``doc.tag_ner`` without its second tokenisation (slovnet's NER tokenises the whole text
    with razdel again, which is what ``doc.tokens`` already are) and with a leaner Viterbi.
    Same model input, same spans (a test compares them with ``doc.tag_ner``)."""
    if not doc.text.strip():
        doc.spans = []
        return
    infer = ner.infer
    words = [t.text for t in doc.tokens]
    batch = next(infer.encoder([words]))  # one text: one sequence, no padding
    emissions = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)[0]
    best = viterbi(emissions, infer.model.head.crf.transitions.array)
    tags = [infer.decoder.tags_vocab.decode(i) for i in best]
    markup = BIOMarkup.from_tuples(zip(words, tags, strict=True)).to_span(doc.text)
    doc.spans = [DocSpan(s, e, type_, doc.text[s:e]) for s, e, type_ in markup.spans]
    doc.envelop_span_tokens()
    doc.envelop_sent_spans()


def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """slovnet's ``CRF.decode`` for one unpadded sequence (tokens x tags): the same sums in the
    same order and the same argmax (first of equal maxima), with the previous tag on the
    second axis so that a step is four numpy calls into one buffer, not fancy indexing
    through ``np.indices`` (a tenth of NER's time went there)."""
    score = emissions[0]
    before = np.ascontiguousarray(transitions.T)  # next x previous tag
    step = np.empty_like(before)
    history = []
    for row in emissions[1:, :, None]:  # the next token's scores, as a column
        np.add(score, before, out=step)  # (score + transition) + emission, as slovnet
        step += row
        history.append(step.argmax(1))
        score = step.max(1)
    best = int(score.argmax())
    path = [best]
    for back in reversed(np.array(history).tolist() if history else []):
        best = back[best]
        path.append(best)
    path.reverse()
    return path


# The syntax parser scores every pair of tokens in a sentence: a "sentence" of 100,000 tokens
# (a long text without punctuation) would need tens of gigabytes. Longer runs are parsed as
# consecutive pieces of at most this many tokens.
MAX_SENTENCE_TOKENS = 300


def _split_long_sentences(doc: Doc) -> None:
    sents: list[DocSent] = []
    for sent in doc.sents:
        tokens = sent.tokens
        if len(tokens) <= MAX_SENTENCE_TOKENS:
            sents.append(sent)
            continue
        for i in range(0, len(tokens), MAX_SENTENCE_TOKENS):
            piece = tokens[i : i + MAX_SENTENCE_TOKENS]
            start, stop = piece[0].start, piece[-1].stop
            sents.append(DocSent(start, stop, doc.text[start:stop], tokens=piece))
    doc.sents = sents
