"""Cheaper copies of slovnet's numpy layers for the engine's own natasha calls.

Every function does the same float operations on the same values as slovnet's module (the
same matrix products with the same operands, the same element-wise steps), so the results
are bit-identical (tests/extraction/test_nlp_cost.py compares them with slovnet's on real
text); what goes is copying: the convolution's windows are gathered without padding the
input first, the word embedding is one ``take``, padding is zeroed by slices, not boolean
masks, the element-wise steps run in place, and a word's ids are looked up once for the
three models. The stock models stay untouched (raw natasha in ``bench/extract_speed.py`` uses them).
"""

from __future__ import annotations

import copy

import numpy as np
from slovnet.exec.encoders import WordShapeEncoder
from slovnet.exec.model import CNNEncoder, NavecEmbedding, Tag
from slovnet.shape import word_shape

# Words whose ids are kept (a news vocabulary is far smaller); past it the cache restarts.
MAX_CACHED_WORDS = 300_000


def conv1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray, padding: int) -> np.ndarray:
    """slovnet's ``Conv1d`` (batch x in x seq), but returning batch x windows x filters
    (slovnet returns that array's swapped view). slovnet pads the input, then copies a
    strided view of its windows element by element; here the same windows matrix, in the
    same C order, is filled one kernel cell at a time from the unpadded input. The matrix
    must be laid out as slovnet's: OpenBLAS's small-matrix kernels (AVX-512 machines) sum
    in another order for a transposed operand, and the bits would differ."""
    batch, in_dim, seq = input.shape
    filters, _, kernel = weight.shape
    assert kernel == 2 * padding + 1  # as in natasha's models: as many windows as words
    cols = np.empty((batch, seq, in_dim, kernel), dtype=input.dtype)
    words = input.transpose(0, 2, 1)  # batch x seq x in
    for k in range(kernel):
        shift = k - padding  # the k-th cell of window w is word w + shift, or zero padding
        if shift < 0:
            cols[:, -shift:, :, k] = words[:, :shift]
            cols[:, :-shift, :, k] = 0
        elif shift > 0:
            cols[:, :-shift, :, k] = words[:, shift:]
            cols[:, -shift:, :, k] = 0
        else:
            cols[:, :, :, k] = words
    flat = cols.reshape(batch * seq, in_dim * kernel)  # windows x (in, kernel), C order
    output = np.matmul(flat, weight.reshape(filters, in_dim * kernel).T)
    output += bias
    return output.reshape(batch, seq, filters)


class FastNavecEmbedding(NavecEmbedding):
    """``codes[qdims, indexes[ids]]`` as one ``take`` from the flattened code book."""

    def __init__(self, id: str, indexes: object, codes: object) -> None:
        super().__init__(id, indexes, codes)
        qdim, centroids, chunk = self.codes.array.shape
        self.flat = self.codes.array.reshape(qdim * centroids, chunk)
        self.offsets = np.arange(qdim, dtype=np.intp) * centroids

    def __call__(self, input: np.ndarray) -> np.ndarray:
        rows = self.indexes.array[input.ravel()] + self.offsets  # uint8 -> intp
        return self.flat.take(rows, axis=0).reshape(*input.shape, self.dim)


class FastCNNEncoder(CNNEncoder):
    """slovnet's conv, ReLU and batch norm per layer, in place on the conv's output, and
    each sequence's padded tail zeroed by a slice instead of a repeated boolean mask."""

    def __call__(self, input: np.ndarray, mask: np.ndarray) -> np.ndarray:
        sizes = (~mask).sum(-1)  # padding is a tail: mask is True after the words
        tail = bool((mask == (np.arange(mask.shape[1]) >= sizes[:, None])).all())
        x = np.swapaxes(input, 2, 1)
        for layer in self.layers:
            conv, norm = layer.conv, layer.norm
            out = conv1d(x, conv.weight.array, conv.bias.array, conv.padding)
            out.clip(0, out=out)
            out -= norm.mean.array  # ((x - mean) / std) * weight + bias, as slovnet
            out /= norm.std.array
            out *= norm.weight.array
            out += norm.bias.array
            if not tail:  # a word whose id is the pad id: slovnet's mask, as it is
                out[mask] = 0
            for row, size in enumerate(sizes.tolist() if tail else []):
                out[row, size:] = 0
            x = out.swapaxes(2, 1)
        return out


class CachedEncoder(WordShapeEncoder):
    """slovnet's encoder with each word's (word id, shape id) computed once per process."""

    def __init__(self, encoder: WordShapeEncoder, cache: dict[str, tuple[int, int]]) -> None:
        super().__init__(encoder.words_vocab, encoder.shapes_vocab, encoder.batch_size)
        self.cache = cache

    def item(self, words: list[str]) -> tuple[list[int], list[int]]:
        word_ids, shape_ids = [], []
        for word in words:
            ids = self.cache.get(word)
            if ids is None:
                if len(self.cache) >= MAX_CACHED_WORDS:
                    self.cache.clear()
                word_id = self.words_vocab.encode(word.lower())
                ids = self.cache[word] = (word_id, self.shapes_vocab.encode(word_shape(word)))
            word_ids.append(ids[0])
            shape_ids.append(ids[1])
        return word_ids, shape_ids


def fast_model(model: Tag) -> Tag:
    """A shallow copy of a slovnet tagger/parser model with the layers above (same arrays)."""
    word = model.emb.word
    emb = copy.copy(model.emb)
    emb.word = FastNavecEmbedding(word.id, word.indexes, word.codes)
    fast = copy.copy(model)
    fast.emb = emb
    fast.encoder = FastCNNEncoder(model.encoder.layers)
    return fast
