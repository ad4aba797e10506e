"""Batch verification gives, item for item, what `verify` gives."""
from __future__ import annotations

import numpy as np
import pytest

from vectorpin import BatchItem, Signer, Verifier, VerifyError


@pytest.fixture(scope="module")
def material():
    signer = Signer.from_private_bytes(bytes(range(32)), "batch-key")
    rng = np.random.default_rng(7)
    items = []
    for i in range(300):
        v = rng.standard_normal(64).astype(np.float32 if i % 2 else np.float64)
        pin = signer.pin(source=f"text {i}", model="m", vector=v, extra={"vectorpin.record_id": f"r{i}"},
                         vec_dtype="f32" if i % 2 else "f64")
        kind = i % 7
        if kind == 0:
            items.append(BatchItem(pin, f"text {i}", v, "m", f"r{i}"))
        elif kind == 1:
            items.append(BatchItem(pin.to_json(), f"text {i}", v[::-1].copy()))
        elif kind == 2:
            items.append(BatchItem(pin, "other", v))
        elif kind == 3:
            items.append(BatchItem(pin, None, v, expected_record_id="nope"))
        elif kind == 4:
            items.append(BatchItem(pin.to_json()[:-2], None, None))
        elif kind == 5:
            items.append(BatchItem(pin, None, np.stack([v, v])))
        else:
            items.append(BatchItem(pin, None, v[:10]))
    return Verifier({"batch-key": signer.public_key_bytes()}), items


def test_batch_equals_one_at_a_time(material) -> None:
    verifier, items = material
    single = [verifier.verify(it.pin, source=it.source, vector=it.vector, expected_model=it.expected_model,
                              expected_record_id=it.expected_record_id) for it in items]
    for threads in (1, 2, 0):
        assert verifier.verify_batch(items, threads=threads) == single
    codes = {r.error for r in single}
    assert codes == {VerifyError.OK, VerifyError.VECTOR_TAMPERED, VerifyError.SOURCE_MISMATCH,
                     VerifyError.RECORD_MISMATCH, VerifyError.PARSE_ERROR, VerifyError.SHAPE_MISMATCH}
    assert verifier.verify_batch([]) == []
    with pytest.raises(ValueError):
        verifier.verify_batch(items, threads=100000)


def test_stream_in_submission_order(material) -> None:
    verifier, items = material
    expected = verifier.verify_batch(items)
    got = {}
    with verifier.stream(threads=2) as stream:
        for i, it in enumerate(items):
            stream.submit(i, it)
            if i % 50 == 49:
                while (r := stream.next_result(wait=False)) is not None:
                    got[r[0]] = r[1]
        while (r := stream.next_result()) is not None:
            got[r[0]] = r[1]
        assert stream.pending == 0
    assert [got[i] for i in range(len(items))] == expected
    with pytest.raises(ValueError):
        stream.submit(0, items[0])


def test_keys_change_only_when_no_stream_is_open(material) -> None:
    import threading
    verifier, items = material
    extra = Signer.generate(key_id="later")
    done = threading.Event()
    with verifier.stream(threads=1) as stream:
        t = threading.Thread(target=lambda: (verifier.add_key(f"later-{id(stream)}", extra.public_key_bytes()),
                                             done.set()))
        t.start()
        assert not done.wait(0.3)  # the key change waits for the stream
    t.join(10)
    assert done.is_set()
