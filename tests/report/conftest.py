"""Fixtures of the report tests: the hand-written BRAF V600E colorectal prediction."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
FIXTURE = DATA / "prediction_braf_crc.json"


@pytest.fixture(scope="session")
def _braf_crc() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def pred(_braf_crc) -> dict:
    """A fresh copy of the BRAF V600E colorectal cancer prediction (cetuximab, resistant)."""
    return copy.deepcopy(_braf_crc)
