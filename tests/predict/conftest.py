"""Fixtures for predict tests: the default engine and a helper to predict from strings."""

from __future__ import annotations

import pytest

from herscape.predict import Engine, predict
from herscape.profile._read import profile_from_strings


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="session")
def run(engine):
    """predict(alterations, tumour type, therapy, markers=..., prior=...) -> Prediction."""
    cache: dict = {}

    def _run(alterations, tumor_type, therapy, *, markers=(), prior=(), screen="default"):
        key = (tuple(alterations), tumor_type, therapy, tuple(markers), tuple(prior), screen)
        if key not in cache:
            profile = profile_from_strings(list(alterations), markers=list(markers),
                                           tumor_type=tumor_type, prior_therapies=list(prior))
            cache[key] = predict(profile, therapy, engine=engine, screen=screen)
        return cache[key]

    return _run
