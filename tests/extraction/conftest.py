from __future__ import annotations

from pathlib import Path

import pytest

from service.extraction import extract
from service.extraction.models import Extraction

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seed" / "moscowtimes-2025-09-03-aliyev-putin.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(seed_text: str) -> Extraction:
    return extract(seed_text)
