"""natasha without pymorphy2.

natasha 1.6's package ``__init__`` imports pymorphy2 (for ``MorphVocab``, and through yargy for
its rule extractors); pymorphy2 needs ``pkg_resources``, which Python 3.12+ venvs do not have.
We use neither: the vocabulary is ours (``morph.py``, on pymorphy3). So the ``natasha``
package is registered here without running its ``__init__``, with the names we import from it;
its submodules (``natasha.doc``, ``natasha.norm`` …) then import as usual. This module must be
imported before anything imports natasha: ``service/extraction/__init__.py`` does it first.

It also gives numpy's OpenBLAS one thread (unless ``OPENBLAS_NUM_THREADS`` is set): slovnet's
matrices are small and a second BLAS thread spins between them: on the 2-core machine, under
load, raw natasha took 26 CPU s (74 s wall) a devset round with it and 3.2 s (6.4 s wall)
without; the service scales by processes, one per core (docs/performance.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

# Read by OpenBLAS when numpy loads: natasha below imports numpy, so this comes first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# name -> natasha submodule defining it: everything we use, none of which needs pymorphy2
_EXPORTS = {
    "PER": "natasha.const",
    "LOC": "natasha.const",
    "ORG": "natasha.const",
    "Segmenter": "natasha.segment",
    "NewsEmbedding": "natasha.emb",
    "NewsMorphTagger": "natasha.morph.tagger",
    "NewsSyntaxParser": "natasha.syntax",
    "NewsNERTagger": "natasha.ner",
    "Doc": "natasha.doc",
}


def _register() -> None:
    if "natasha" in sys.modules:  # already registered (or imported whole by someone else)
        return
    spec = importlib.util.find_spec("natasha")
    if spec is None:
        raise ImportError("natasha is not installed: run `make` (pip install -e .)")
    package = importlib.util.module_from_spec(spec)  # a package with __path__, __init__ not run
    sys.modules["natasha"] = package
    for name, module in _EXPORTS.items():
        setattr(package, name, getattr(importlib.import_module(module), name))


_register()
