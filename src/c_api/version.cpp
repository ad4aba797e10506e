// The C entry points for versions, constants, status names and freeing
// library-allocated memory.
#include <cstdlib>

#include "c_api/support.hpp"

extern "C" {

const char* vectorpin_version_string(void) { return VECTORPIN_VERSION_STRING; }
uint32_t vectorpin_version_number(void) { return VECTORPIN_VERSION_NUMBER; }
uint32_t vectorpin_abi_version(void) { return VECTORPIN_ABI_VERSION; }
uint32_t vectorpin_protocol_version(void) { return VECTORPIN_PROTOCOL_VERSION; }
size_t vectorpin_public_key_bytes(void) { return VECTORPIN_PUBLIC_KEY_BYTES; }
size_t vectorpin_seed_bytes(void) { return VECTORPIN_SEED_BYTES; }
size_t vectorpin_signature_bytes(void) { return VECTORPIN_SIGNATURE_BYTES; }
size_t vectorpin_hash_string_buffer_bytes(void) { return VECTORPIN_HASH_STRING_BUFFER_BYTES; }
size_t vectorpin_fingerprint_buffer_bytes(void) { return VECTORPIN_FINGERPRINT_BUFFER_BYTES; }
size_t vectorpin_timestamp_buffer_bytes(void) { return VECTORPIN_TIMESTAMP_BUFFER_BYTES; }
size_t vectorpin_max_pin_json_bytes(void) { return VECTORPIN_MAX_PIN_JSON_BYTES; }
size_t vectorpin_max_vec_dim(void) { return VECTORPIN_MAX_VEC_DIM; }
size_t vectorpin_max_extra_entries(void) { return VECTORPIN_MAX_EXTRA_ENTRIES; }
size_t vectorpin_max_extra_key_bytes(void) { return VECTORPIN_MAX_EXTRA_KEY_BYTES; }
size_t vectorpin_max_extra_value_bytes(void) { return VECTORPIN_MAX_EXTRA_VALUE_BYTES; }
size_t vectorpin_error_message_bytes(void) { return VECTORPIN_ERROR_MESSAGE_BYTES; }
size_t vectorpin_default_prepared_key_limit(void) { return VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT; }

const char* vectorpin_status_name(int status) {
  switch (status) {
#define VP_STATUS_NAME_CASE(name, number) \
  case number: return #name;
    VECTORPIN_STATUS_TABLE(VP_STATUS_NAME_CASE)
#undef VP_STATUS_NAME_CASE
    default: return "UNKNOWN_STATUS";
  }
}

int vectorpin_status_is_verification_failure(int status) {
  return status >= VECTORPIN_FIRST_VERIFICATION_FAILURE && status <= VECTORPIN_LAST_VERIFICATION_FAILURE;
}

void vectorpin_free(void* ptr) { std::free(ptr); }

}  // extern "C"
