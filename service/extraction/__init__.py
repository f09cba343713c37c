"""Pure, synchronous, database-free extraction: text in, msgspec structs out."""

# First, before any module here imports natasha: natasha without pymorphy2 (see the module).
import service.extraction.natasha_loader  # noqa: F401
from service.extraction.pipeline import EXTRACTOR_VERSION, extract, warm_up

__all__ = ["EXTRACTOR_VERSION", "extract", "warm_up"]
