"""VectorPin: verifiable integrity for AI embedding stores.

Upstream's Python API (vectorpin 0.2.0) on the native libvectorpin core:

    from vectorpin import Signer, Verifier

    signer = Signer.generate(key_id="prod-2026-05")
    pin = signer.pin(source="The quick brown fox.", model="text-embedding-3-large", vector=embedding)
    verifier = Verifier({"prod-2026-05": signer.public_key_bytes()})
    result = verifier.verify(pin, source="The quick brown fox.", vector=embedding)
    if not result.ok:
        print(result.error.value, result.detail)
"""
from vectorpin._native import InvalidInputError, KeyFileError, VectorPinError, ffi as _ffi, lib as _lib
from vectorpin.attestation import DOMAIN_TAG, MAX_PIN_JSON_BYTES, PROTOCOL_VERSION, Pin, PinHeader, PinParseError
from vectorpin.hash import canonical_vector_bytes, hash_text, hash_vector
from vectorpin.signer import Signer
from vectorpin.verifier import (DEFAULT_PREPARED_KEY_LIMIT, PREPARED_KEY_BYTES, BatchItem, BatchStream, KeyEntry,
                                LegacyV1Verifier, VerificationResult, Verifier, VerifyError, public_key_fingerprint)

__version__ = "0.2.0"
#: The version of the libvectorpin this package runs on.
native_version: str = _ffi.string(_lib.vectorpin_version_string()).decode("ascii")

__all__ = [
    "DEFAULT_PREPARED_KEY_LIMIT", "DOMAIN_TAG", "MAX_PIN_JSON_BYTES", "PREPARED_KEY_BYTES", "PROTOCOL_VERSION",
    "BatchItem", "BatchStream", "InvalidInputError", "KeyEntry", "KeyFileError", "LegacyV1Verifier", "Pin",
    "PinHeader", "PinParseError", "Signer", "VectorPinError", "VerificationResult", "Verifier", "VerifyError",
    "canonical_vector_bytes", "hash_text", "hash_vector", "native_version", "public_key_fingerprint",
]
