"""Pure, synchronous, database-free extraction: text in, msgspec structs out."""

from service.extraction.pipeline import EXTRACTOR_VERSION, extract, warm_up

__all__ = ["EXTRACTOR_VERSION", "extract", "warm_up"]
