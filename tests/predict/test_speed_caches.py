"""The caches behind predict's speed (issue 12) never change an answer: thread count, the on-disk
reference store and the compiled-model cache."""

from __future__ import annotations

import pytest

from herscape.network import _curated, _response
from herscape.predict import predict
from herscape.profile._read import profile_from_strings


def test_answer_does_not_depend_on_the_thread_count(engine, monkeypatch) -> None:
    profile = profile_from_strings(["MET amplification"], tumor_type="COADREAD")
    both = predict(profile, "cetuximab", engine=engine, seed=11).to_dict()
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    _response._cached_readouts.cache_clear()
    one = predict(profile, "cetuximab", engine=engine, seed=11).to_dict()
    assert one == both


def test_reference_store_survives_a_corrupt_file(engine, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HERSCAPE_CACHE", str(tmp_path))
    _response._store_path.cache_clear()
    monkeypatch.setattr(_response, "_REFERENCE_STORE", {})
    path = _response._store_path(engine.erbb)
    assert path.parent == tmp_path
    path.write_text("{not json", encoding="utf-8")
    profile = profile_from_strings(["BRAF V600E"], tumor_type="COADREAD")
    fresh = predict(profile, "cetuximab", engine=engine, screen="none", seed=3).to_dict()
    assert path.read_text(encoding="utf-8").startswith("{\"")  # rewritten, whole
    monkeypatch.setattr(_response, "_REFERENCE_STORE", {})
    _response._cached_readouts.cache_clear()
    again = predict(profile, "cetuximab", engine=engine, screen="none", seed=3).to_dict()
    assert again == fresh  # read back from disk, the same answer
    _response._store_path.cache_clear()


def test_compiled_model_cache_is_rebuilt_when_unreadable(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HERSCAPE_CACHE", str(tmp_path))
    _curated.load_erbb_model.cache_clear()
    try:
        built = _curated.load_erbb_model()
        cached = next(tmp_path.glob("erbb-model-*.pickle"))
        cached.write_bytes(b"not a pickle")
        _curated.load_erbb_model.cache_clear()
        rebuilt = _curated.load_erbb_model()
        assert rebuilt.model.node_names == built.model.node_names
        assert rebuilt.curated == built.curated
    finally:
        _curated.load_erbb_model.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_store():
    yield
    _response._store_path.cache_clear()
