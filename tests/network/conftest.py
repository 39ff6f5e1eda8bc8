"""Fixtures for the network tests: the shared published models, read in place."""

from __future__ import annotations

import pytest
from _shared_models import model_file


@pytest.fixture(scope="session")
def sahin_model():
    """The Sahin et al. 2009 ERBB/G1-S model (.bnet, ``v_`` prefixes stripped)."""
    from herscape.network import read_bnet

    return read_bnet(model_file("sahin2009_erbb_g1s", "bbm096_sahin2009.bnet"))
