"""Cheaper copies of slovnet's numpy layers for the engine's own natasha calls.

Every function does the same float operations on the same values as slovnet's module (the
same matrix products with the same operands, the same element-wise steps), so the results
are bit-identical (tests/extraction/test_nlp_cost.py compares them with slovnet's on real
text); what goes is copying: the convolution's windows are gathered in contiguous runs,
the word embedding is one ``take``, and padding is zeroed by slices, not boolean masks.
The stock models stay untouched (raw natasha in ``bench/extract_speed.py`` uses them).
"""

from __future__ import annotations

import copy

import numpy as np
from slovnet.exec.model import CNNEncoder, CNNEncoderLayer, Conv1d, NavecEmbedding, Tag


def conv1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray, padding: int) -> np.ndarray:
    """slovnet's ``Conv1d`` (batch x in x seq -> batch x filters x windows). Its windows are
    a strided view copied element by element (the kernel is 3 wide); here the same matrix is
    built column by column, each a contiguous run, and handed to the product transposed."""
    batch, in_dim, seq = input.shape
    filters, _, kernel = weight.shape
    windows = seq + 2 * padding - kernel + 1
    cols = np.zeros((in_dim, kernel, batch, windows), dtype=input.dtype)
    source = input.transpose(1, 0, 2)  # in x batch x seq
    for k in range(kernel):
        lo = max(0, padding - k)  # first window whose k-th cell is inside the sequence
        hi = min(windows, seq + padding - k)
        cols[:, k, :, lo:hi] = source[:, :, lo + k - padding : hi + k - padding]
    flat = cols.reshape(in_dim * kernel, batch * windows).T  # windows x (in, kernel)
    output = np.matmul(flat, weight.reshape(filters, in_dim * kernel).T) + bias
    return output.reshape(batch, windows, filters).swapaxes(2, 1)


class FastConv1d(Conv1d):
    def __call__(self, input: np.ndarray) -> np.ndarray:
        return conv1d(input, self.weight.array, self.bias.array, self.padding)


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
    """Zeroes each sequence's padded tail by a slice instead of a repeated boolean mask."""

    def __call__(self, input: np.ndarray, mask: np.ndarray) -> np.ndarray:
        sizes = (~mask).sum(-1).tolist()  # padding is a tail: mask is True after the words
        input = np.swapaxes(input, 2, 1)
        for layer in self.layers:
            input = layer(input)
            for row, size in enumerate(sizes):
                input[row, :, size:] = 0
        return np.swapaxes(input, 2, 1)


def fast_model(model: Tag) -> Tag:
    """A shallow copy of a slovnet tagger/parser model with the layers above (same arrays)."""
    word = model.emb.word
    emb = copy.copy(model.emb)
    emb.word = FastNavecEmbedding(word.id, word.indexes, word.codes)
    layers = [
        CNNEncoderLayer(FastConv1d(c.conv.weight, c.conv.bias, c.conv.padding), c.relu, c.norm)
        for c in model.encoder.layers
    ]
    fast = copy.copy(model)
    fast.emb = emb
    fast.encoder = FastCNNEncoder(layers)
    return fast
