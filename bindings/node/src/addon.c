/*
 * The Node-API layer of the vectorpin binding.
 *
 * This file only converts between JavaScript values and the C ABI of
 * libvectorpin; every protocol rule lives in the library. The JavaScript
 * facade in lib/ builds the public classes on top of the functions exported
 * here, so argument shapes below are the facade's, not the user's.
 *
 * Written against plain node_api.h (no C++ wrapper) at Node-API version 8:
 * the addon is ABI-stable across Node releases, and version 8 brings the
 * object type tags used to reject forged handles.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectorpin.h"

/* The ABI this file was written for; a library reporting another one is
 * refused at load time rather than called with mismatched structures. */
#define EXPECTED_ABI_VERSION 2

/* verifyBatchAsync spreads a batch over as many thread-pool tasks as the
 * caller asks (the facade defaults to the pool's size: UV_THREADPOOL_SIZE,
 * else libuv's 4), at most MAX_BATCH_TASKS, and fewer for small batches,
 * where a task per handful of items costs more than it saves. */
#define MAX_BATCH_TASKS 1024
#define MIN_ITEMS_PER_TASK 32

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

static void set_int_property(napi_env env, napi_value obj, const char *name, int64_t value) {
  napi_value v;
  if (napi_create_int64(env, value, &v) == napi_ok) napi_set_named_property(env, obj, name, v);
}

/* Builds (does not throw) an Error carrying the status name as `code`, the
 * number as `status`, and the library's sanitized message as `detail`. */
static napi_value make_status_error(napi_env env, vectorpin_status st, const char *detail, int64_t offset) {
  const char *name = vectorpin_status_name((int)st);
  char message[VECTORPIN_ERROR_MESSAGE_BYTES + 64];
  if (detail != NULL && detail[0] != '\0')
    snprintf(message, sizeof message, "%s: %s", name, detail);
  else
    snprintf(message, sizeof message, "%s", name);
  napi_value code, msg, err, det;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
      napi_create_error(env, code, msg, &err) != napi_ok)
    return NULL;
  set_int_property(env, err, "status", (int64_t)st);
  if (napi_create_string_utf8(env, detail ? detail : "", NAPI_AUTO_LENGTH, &det) == napi_ok)
    napi_set_named_property(env, err, "detail", det);
  if (offset >= 0) set_int_property(env, err, "offset", offset);
  return err;
}

static void throw_status(napi_env env, vectorpin_status st, const vectorpin_error *e) {
  napi_value err = make_status_error(env, st, e ? e->message : NULL, e ? e->offset : -1);
  if (err != NULL) napi_throw(env, err);
  else napi_throw_error(env, vectorpin_status_name((int)st), vectorpin_status_name((int)st));
}

static void throw_message(napi_env env, vectorpin_status st, const char *message) {
  vectorpin_error e;
  memset(&e, 0, sizeof e);
  e.code = (int32_t)st;
  e.offset = -1;
  snprintf(e.message, sizeof e.message, "%s", message);
  throw_status(env, st, &e);
}

/* Wrong JavaScript types are API misuse: a TypeError with the same code and
 * status the library uses for misuse, so callers can handle both alike. */
static void throw_type(napi_env env, const char *message) {
  napi_value code, msg, err;
  if (napi_create_string_utf8(env, "INVALID_ARGUMENT", NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
      napi_create_type_error(env, code, msg, &err) != napi_ok) {
    napi_throw_type_error(env, "INVALID_ARGUMENT", message);
    return;
  }
  set_int_property(env, err, "status", VECTORPIN_INVALID_ARGUMENT);
  napi_throw(env, err);
}

/* A failing napi_* call: keep an exception that is already pending (it says
 * more), otherwise report what Node-API says. */
static void throw_napi_failure(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char message[160];
  snprintf(message, sizeof message, "Node-API call failed: %s",
           info && info->error_message ? info->error_message : "unknown error");
  throw_message(env, VECTORPIN_INTERNAL_ERROR, message);
}

#define CHECK_NAPI(call)        \
  do {                          \
    if ((call) != napi_ok) {    \
      throw_napi_failure(env);  \
      goto fail;                \
    }                           \
  } while (0)

/* ------------------------------------------------------------------------ */
/* Handles                                                                   */
/* ------------------------------------------------------------------------ */

enum handle_kind { KIND_SIGNER = 0, KIND_VERIFIER = 1, KIND_PIN = 2, KIND_STREAM = 3, KIND_COUNT = 4 };
static const char *const kind_names[] = {"Signer", "Verifier", "Pin", "VerifyStream"};

/* Random tags: napi_check_object_type_tag then tells our handles from any
 * other object, so a forged or foreign object can never be unwrapped as one. */
static const napi_type_tag kind_tags[] = {
    {0x9d1c4f7be2a35c01ULL, 0x5e8a2b60c7f14d92ULL},
    {0x3b6e0d95a4c27f13ULL, 0xc1f08e7d2b594a64ULL},
    {0x71a95c3e08d6b2f5ULL, 0x4d2c7e19f3a8056bULL},
    {0xe64f2a0d9b73c518ULL, 0x08b7d51c6fa2e94dULL},
};

typedef struct ext_signer ext_signer;

/* One native object behind a JavaScript handle. `busy` counts uses that may
 * outlive a single call (thread-pool work, a JavaScript sign callback that
 * could close the signer it is called from); while it is non-zero, close()
 * only marks the handle and the last user frees it. */
typedef struct handle {
  int kind;
  void *ptr;
  int closed;
  int finalized; /* the JavaScript object is gone; the last user frees this */
  uint32_t busy;
  ext_signer *ext;
  /* A VerifyStream borrows its verifier: it keeps it marked busy until the
   * stream's own native object is gone. */
  struct handle *owner;
  int waiting; /* a VerifyStream has a nextAsync() running on the pool */
  uint64_t next_cookie;
} handle;

struct ext_signer {
  napi_env env;
  napi_ref fn;
};

static void handle_release(handle *h);

static void free_native(handle *h) {
  if (h->ptr != NULL) {
    switch (h->kind) {
      case KIND_SIGNER: vectorpin_signer_free((vectorpin_signer *)h->ptr); break;
      case KIND_VERIFIER: vectorpin_verifier_free((vectorpin_verifier *)h->ptr); break;
      case KIND_PIN: vectorpin_pin_free((vectorpin_pin *)h->ptr); break;
      /* Stops the workers first; only then may the verifier they read go. */
      case KIND_STREAM: vectorpin_batch_free((vectorpin_batch *)h->ptr); break;
      default: break;
    }
    h->ptr = NULL;
  }
  if (h->owner != NULL) {
    handle *owner = h->owner;
    h->owner = NULL;
    handle_release(owner);
  }
  /* The signer calls back through `ext`, so it goes only after the signer. */
  if (h->ext != NULL) {
    if (h->ext->fn != NULL) napi_delete_reference(h->ext->env, h->ext->fn);
    free(h->ext);
    h->ext = NULL;
  }
}

static void handle_acquire(handle *h) { h->busy++; }

static void handle_release(handle *h) {
  if (h->busy > 0) h->busy--;
  if (h->busy != 0) return;
  if (h->closed || h->finalized) free_native(h);
  if (h->finalized) free(h);
}

static void finalize_handle(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  handle *h = (handle *)data;
  h->finalized = 1;
  /* Work still running (possible only while an environment is torn down)
   * keeps the native object; its completion frees it. */
  if (h->busy == 0) {
    free_native(h);
    free(h);
  }
}

/* Wraps `ptr` in a new handle object; on failure frees `ptr` (and `ext`). */
static napi_value new_handle_out(napi_env env, int kind, void *ptr, ext_signer *ext, handle **out) {
  napi_value obj = NULL;
  handle *h = (handle *)calloc(1, sizeof *h);
  if (h == NULL) {
    handle tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.kind = kind;
    tmp.ptr = ptr;
    tmp.ext = ext;
    free_native(&tmp);
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  h->kind = kind;
  h->ptr = ptr;
  h->ext = ext;
  if (napi_create_object(env, &obj) != napi_ok || napi_type_tag_object(env, obj, &kind_tags[kind]) != napi_ok ||
      napi_wrap(env, obj, h, finalize_handle, NULL, NULL) != napi_ok) {
    free_native(h);
    free(h);
    throw_napi_failure(env);
    return NULL;
  }
  if (out != NULL) *out = h;
  return obj;
}

static napi_value new_handle(napi_env env, int kind, void *ptr, ext_signer *ext) {
  return new_handle_out(env, kind, ptr, ext, NULL);
}

/* The handle behind `value`, or NULL with an exception pending. A closed
 * handle is refused unless `allow_closed` (close() itself, `closed`). */
static handle *get_handle(napi_env env, napi_value value, int kind, int allow_closed) {
  napi_valuetype t;
  bool tagged = false;
  handle *h = NULL;
  char message[96];
  if (napi_typeof(env, value, &t) != napi_ok || t != napi_object ||
      napi_check_object_type_tag(env, value, &kind_tags[kind], &tagged) != napi_ok || !tagged ||
      napi_unwrap(env, value, (void **)&h) != napi_ok || h == NULL) {
    snprintf(message, sizeof message, "expected a %s handle", kind_names[kind]);
    throw_type(env, message);
    return NULL;
  }
  if (!allow_closed && (h->closed || h->ptr == NULL)) {
    snprintf(message, sizeof message, "this %s has been closed", kind_names[kind]);
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, message);
    return NULL;
  }
  return h;
}

/* ------------------------------------------------------------------------ */
/* Argument conversion                                                       */
/* ------------------------------------------------------------------------ */

static napi_value undefined_value(napi_env env) {
  napi_value u = NULL;
  napi_get_undefined(env, &u);
  return u;
}

static napi_value null_value(napi_env env) {
  napi_value n = NULL;
  napi_get_null(env, &n);
  return n;
}

static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  if (v == NULL) return 1;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  return t == napi_undefined || t == napi_null;
}

/* Non-NULL for empty inputs: in verification NULL means "not supplied". */
static const char empty_text[1] = {0};
static const double empty_vector[1] = {0.0};

/* Text for the library: a JavaScript string (converted to UTF-8 here), or a
 * Uint8Array / Buffer whose bytes are used in place. */
typedef struct text_arg {
  const char *p;
  size_t n;
  char *owned;
  int present;
} text_arg;

static void text_free(text_arg *t) {
  free(t->owned);
  memset(t, 0, sizeof *t);
}

/* UTF-16 to UTF-8. A lone surrogate is written as its three-byte form,
 * which is not valid UTF-8: the library then refuses the text with its own
 * status, instead of this layer silently turning it into U+FFFD (what
 * napi_get_value_string_utf8 would do) and hashing or parsing different text. */
/* Encodes into `out` (which holds at least 3 bytes per unit) when it is not
 * NULL; returns the byte count either way. */
static size_t utf16_encode_utf8(const char16_t *s, size_t len, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < len; ++i) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + ((uint32_t)s[i + 1] - 0xDC00);
      ++i;
    }
    if (out == NULL) {
      o += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    } else if (c < 0x80) {
      out[o++] = (char)c;
    } else if (c < 0x800) {
      out[o++] = (char)(0xC0 | (c >> 6));
      out[o++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out[o++] = (char)(0xE0 | (c >> 12));
      out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
      out[o++] = (char)(0x80 | (c & 0x3F));
    } else {
      out[o++] = (char)(0xF0 | (c >> 18));
      out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
      out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
      out[o++] = (char)(0x80 | (c & 0x3F));
    }
  }
  return o;
}

static char *utf16_to_utf8(const char16_t *s, size_t len, size_t *out_len) {
  size_t need = utf16_encode_utf8(s, len, NULL);
  char *out = (char *)malloc(need + 1);
  if (out == NULL) return NULL;
  size_t o = utf16_encode_utf8(s, len, out);
  out[o] = '\0';
  *out_len = o;
  return out;
}

/* Zero-copy view of a Uint8Array, Buffer, ArrayBuffer or DataView. Returns 1
 * and fills p/n if `v` is one of them, 0 if not, -1 on a Node-API failure. */
static int byte_view(napi_env env, napi_value v, const uint8_t **p, size_t *n) {
  bool is = false;
  void *data = NULL;
  size_t len = 0;
  if (napi_is_typedarray(env, v, &is) != napi_ok) return -1;
  if (is) {
    napi_typedarray_type type;
    size_t offset;
    napi_value ab;
    if (napi_get_typedarray_info(env, v, &type, &len, &data, &ab, &offset) != napi_ok) return -1;
    if (type != napi_uint8_array && type != napi_uint8_clamped_array) return 0;
    *p = (const uint8_t *)data;
    *n = len;
    return 1;
  }
  if (napi_is_arraybuffer(env, v, &is) != napi_ok) return -1;
  if (is) {
    if (napi_get_arraybuffer_info(env, v, &data, &len) != napi_ok) return -1;
    *p = (const uint8_t *)data;
    *n = len;
    return 1;
  }
  if (napi_is_dataview(env, v, &is) != napi_ok) return -1;
  if (is) {
    napi_value ab;
    size_t offset;
    if (napi_get_dataview_info(env, v, &len, &data, &ab, &offset) != napi_ok) return -1;
    *p = (const uint8_t *)data;
    *n = len;
    return 1;
  }
  return 0;
}

/* Fills `t` from a string or byte array. `optional`: undefined/null gives
 * present = 0. Returns 0 with an exception pending on failure. */
static int get_text(napi_env env, napi_value v, text_arg *t, const char *what, int optional, int allow_bytes) {
  char message[160];
  napi_valuetype type;
  memset(t, 0, sizeof *t);
  if (optional && is_nullish(env, v)) return 1;
  if (napi_typeof(env, v, &type) != napi_ok) {
    throw_napi_failure(env);
    return 0;
  }
  if (type == napi_string) {
    size_t units = 0;
    if (napi_get_value_string_utf16(env, v, NULL, 0, &units) != napi_ok) {
      throw_napi_failure(env);
      return 0;
    }
    t->present = 1;
    if (units == 0) {
      t->p = empty_text;
      return 1;
    }
    char16_t *buf = (char16_t *)malloc((units + 1) * sizeof(char16_t));
    if (buf == NULL) {
      throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
      return 0;
    }
    size_t got = 0;
    if (napi_get_value_string_utf16(env, v, buf, units + 1, &got) != napi_ok) {
      free(buf);
      throw_napi_failure(env);
      return 0;
    }
    t->owned = utf16_to_utf8(buf, got, &t->n);
    free(buf);
    if (t->owned == NULL) {
      throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
      return 0;
    }
    t->p = t->owned;
    return 1;
  }
  if (allow_bytes && type == napi_object) {
    const uint8_t *p = NULL;
    size_t n = 0;
    int r = byte_view(env, v, &p, &n);
    if (r < 0) {
      throw_napi_failure(env);
      return 0;
    }
    if (r == 1) {
      t->present = 1;
      t->p = (n == 0 || p == NULL) ? empty_text : (const char *)p;
      t->n = (p == NULL) ? 0 : n;
      return 1;
    }
  }
  snprintf(message, sizeof message, "%s must be a string%s", what, allow_bytes ? " or a Uint8Array/Buffer" : "");
  throw_type(env, message);
  return 0;
}

/* Copies borrowed bytes so they no longer depend on the JavaScript object. */
static int text_own(text_arg *t) {
  if (!t->present || t->owned != NULL || t->n == 0) return 1;
  t->owned = (char *)malloc(t->n);
  if (t->owned == NULL) return 0;
  memcpy(t->owned, t->p, t->n);
  t->p = t->owned;
  return 1;
}

typedef struct bytes_arg {
  const uint8_t *p;
  size_t n;
} bytes_arg;

static int get_bytes(napi_env env, napi_value v, bytes_arg *b, const char *what) {
  char message[160];
  napi_valuetype type;
  b->p = NULL;
  b->n = 0;
  if (napi_typeof(env, v, &type) == napi_ok && type == napi_object) {
    int r = byte_view(env, v, &b->p, &b->n);
    if (r < 0) {
      throw_napi_failure(env);
      return 0;
    }
    if (r == 1) {
      if (b->p == NULL) b->p = (const uint8_t *)empty_text;
      return 1;
    }
  }
  snprintf(message, sizeof message, "%s must be a Uint8Array, Buffer or ArrayBuffer", what);
  throw_type(env, message);
  return 0;
}

static int get_int(napi_env env, napi_value v, int32_t *out, const char *what) {
  char message[120];
  napi_valuetype type;
  if (napi_typeof(env, v, &type) == napi_ok && type == napi_number && napi_get_value_int32(env, v, out) == napi_ok)
    return 1;
  snprintf(message, sizeof message, "%s must be a number", what);
  throw_type(env, message);
  return 0;
}

static int get_bool(napi_env env, napi_value v, bool *out) {
  if (napi_coerce_to_bool(env, v, &v) != napi_ok || napi_get_value_bool(env, v, out) != napi_ok) {
    throw_napi_failure(env);
    return 0;
  }
  return 1;
}

/* A vector: Float32Array / Float64Array in place; the bytes of a
 * Uint8Array / Buffer / ArrayBuffer / DataView as packed little-endian
 * elements of `dtype`; a plain array of numbers copied into doubles. */
typedef struct vector_arg {
  const void *p;
  size_t n;            /* elements */
  vectorpin_dtype dt;  /* F32 or F64; DEFAULT while a raw dtype is unresolved */
  int raw;             /* came as bytes */
  size_t nbytes;       /* raw only */
  void *owned;
  int present;
} vector_arg;

static void vector_free(vector_arg *v) {
  free(v->owned);
  memset(v, 0, sizeof *v);
}

static int get_vector(napi_env env, napi_value v, vectorpin_dtype raw_dtype, vector_arg *out, int optional) {
  bool is = false;
  napi_valuetype type;
  memset(out, 0, sizeof *out);
  if (optional && is_nullish(env, v)) return 1;
  if (napi_typeof(env, v, &type) != napi_ok) {
    throw_napi_failure(env);
    return 0;
  }
  if (type == napi_object && napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type ta;
    size_t len, offset;
    void *data;
    napi_value ab;
    if (napi_get_typedarray_info(env, v, &ta, &len, &data, &ab, &offset) != napi_ok) {
      throw_napi_failure(env);
      return 0;
    }
    if (ta == napi_float32_array || ta == napi_float64_array) {
      out->present = 1;
      out->dt = ta == napi_float32_array ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
      out->n = data == NULL ? 0 : len;
      out->p = (data == NULL || len == 0) ? (const void *)empty_vector : data;
      return 1;
    }
  }
  if (type == napi_object) {
    const uint8_t *p = NULL;
    size_t n = 0;
    int r = byte_view(env, v, &p, &n);
    if (r < 0) {
      throw_napi_failure(env);
      return 0;
    }
    if (r == 1) {
      if (p == NULL) n = 0;
      out->present = 1;
      out->raw = 1;
      out->nbytes = n;
      out->dt = raw_dtype;
      /* The library reads whole floats; bytes at an odd address (a Buffer
       * slice, say) are copied to aligned memory first. */
      if (n > 0 && ((uintptr_t)p % sizeof(double)) != 0) {
        out->owned = malloc(n);
        if (out->owned == NULL) {
          throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
          return 0;
        }
        memcpy(out->owned, p, n);
        p = (const uint8_t *)out->owned;
      }
      out->p = n == 0 ? (const void *)empty_vector : (const void *)p;
      return 1;
    }
    if (napi_is_array(env, v, &is) == napi_ok && is) {
      uint32_t len = 0;
      if (napi_get_array_length(env, v, &len) != napi_ok) {
        throw_napi_failure(env);
        return 0;
      }
      double *copy = (double *)malloc((len ? len : 1) * sizeof(double));
      if (copy == NULL) {
        throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
        return 0;
      }
      for (uint32_t i = 0; i < len; ++i) {
        napi_value e;
        napi_valuetype et;
        if (napi_get_element(env, v, i, &e) != napi_ok || napi_typeof(env, e, &et) != napi_ok ||
            et != napi_number || napi_get_value_double(env, e, &copy[i]) != napi_ok) {
          free(copy);
          bool pending = false;
          napi_is_exception_pending(env, &pending);
          if (!pending) {
            char message[96];
            snprintf(message, sizeof message, "vector element %u is not a number", i);
            throw_type(env, message);
          }
          return 0;
        }
      }
      out->present = 1;
      out->dt = VECTORPIN_DTYPE_F64;
      out->n = len;
      out->owned = copy;
      out->p = copy;
      return 1;
    }
  }
  throw_type(env, "vector must be a Float32Array, Float64Array, Uint8Array/Buffer/ArrayBuffer of packed "
                  "little-endian floats, or an array of numbers");
  return 0;
}

/* Turns raw bytes into elements once the dtype is known. */
static int vector_resolve(napi_env env, vector_arg *v, vectorpin_dtype dt) {
  if (!v->present || !v->raw) return 1;
  if (v->dt == VECTORPIN_DTYPE_DEFAULT) v->dt = dt == VECTORPIN_DTYPE_DEFAULT ? VECTORPIN_DTYPE_F32 : dt;
  size_t size = v->dt == VECTORPIN_DTYPE_F64 ? 8 : 4;
  if (v->nbytes % size != 0) {
    char message[128];
    snprintf(message, sizeof message, "a vector of %s elements needs a multiple of %u bytes; got %zu",
             v->dt == VECTORPIN_DTYPE_F64 ? "f64" : "f32", (unsigned)size, v->nbytes);
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, message);
    return 0;
  }
  v->n = v->nbytes / size;
  return 1;
}

static int vector_own(vector_arg *v) {
  if (!v->present || v->owned != NULL || v->n == 0) return 1;
  size_t bytes = v->n * (v->dt == VECTORPIN_DTYPE_F64 ? 8 : 4);
  v->owned = malloc(bytes);
  if (v->owned == NULL) return 0;
  memcpy(v->owned, v->p, bytes);
  v->p = v->owned;
  return 1;
}

static int get_dtype(napi_env env, napi_value v, vectorpin_dtype *out) {
  int32_t d = 0;
  if (!get_int(env, v, &d, "dtype")) return 0;
  if (d < VECTORPIN_DTYPE_DEFAULT || d > VECTORPIN_DTYPE_F64) {
    throw_type(env, "dtype must be 'f32' or 'f64'");
    return 0;
  }
  *out = (vectorpin_dtype)d;
  return 1;
}

static napi_value make_string(napi_env env, const char *p, size_t n) {
  napi_value s = NULL;
  if (napi_create_string_utf8(env, n == 0 ? "" : p, n, &s) != napi_ok) throw_napi_failure(env);
  return s;
}

static napi_value make_buffer(napi_env env, const void *p, size_t n) {
  napi_value b = NULL;
  void *data = NULL;
  if (napi_create_buffer_copy(env, n, n == 0 ? empty_text : p, &data, &b) != napi_ok) throw_napi_failure(env);
  return b;
}

#define GET_ARGS(n)                                                        \
  size_t argc = (n);                                                       \
  napi_value argv[(n) > 0 ? (n) : 1];                                      \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {   \
    throw_napi_failure(env);                                               \
    return NULL;                                                           \
  }                                                                        \
  for (size_t i_ = argc; i_ < (size_t)(n); ++i_) argv[i_] = undefined_value(env)

/* ------------------------------------------------------------------------ */
/* Versions, constants, status names                                         */
/* ------------------------------------------------------------------------ */

static napi_value js_versions(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  if (napi_create_object(env, &obj) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  napi_value s = make_string(env, vectorpin_version_string(), strlen(vectorpin_version_string()));
  if (s == NULL) return NULL;
  napi_set_named_property(env, obj, "version", s);
  set_int_property(env, obj, "versionNumber", vectorpin_version_number());
  set_int_property(env, obj, "abiVersion", vectorpin_abi_version());
  set_int_property(env, obj, "expectedAbiVersion", EXPECTED_ABI_VERSION);
  set_int_property(env, obj, "headerAbiVersion", VECTORPIN_ABI_VERSION);
  set_int_property(env, obj, "protocolVersion", vectorpin_protocol_version());
  return obj;
}

static napi_value js_constants(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  if (napi_create_object(env, &obj) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  set_int_property(env, obj, "PUBLIC_KEY_BYTES", (int64_t)vectorpin_public_key_bytes());
  set_int_property(env, obj, "SEED_BYTES", (int64_t)vectorpin_seed_bytes());
  set_int_property(env, obj, "SIGNATURE_BYTES", (int64_t)vectorpin_signature_bytes());
  set_int_property(env, obj, "MAX_PIN_JSON_BYTES", (int64_t)vectorpin_max_pin_json_bytes());
  set_int_property(env, obj, "MAX_VEC_DIM", (int64_t)vectorpin_max_vec_dim());
  set_int_property(env, obj, "MAX_EXTRA_ENTRIES", (int64_t)vectorpin_max_extra_entries());
  set_int_property(env, obj, "MAX_EXTRA_KEY_BYTES", (int64_t)vectorpin_max_extra_key_bytes());
  set_int_property(env, obj, "MAX_EXTRA_VALUE_BYTES", (int64_t)vectorpin_max_extra_value_bytes());
  set_int_property(env, obj, "BATCH_MAX_THREADS", (int64_t)vectorpin_batch_max_threads());
  set_int_property(env, obj, "DEFAULT_PREPARED_KEY_LIMIT", (int64_t)vectorpin_default_prepared_key_limit());
  set_int_property(env, obj, "PREPARED_KEY_BYTES", (int64_t)vectorpin_prepared_key_bytes());
  return obj;
}

static napi_value js_status_name(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int32_t code = 0;
  if (!get_int(env, argv[0], &code, "status")) return NULL;
  const char *name = vectorpin_status_name(code);
  return make_string(env, name, strlen(name));
}

static napi_value js_is_verification_failure(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int32_t code = 0;
  napi_value r;
  if (!get_int(env, argv[0], &code, "status")) return NULL;
  if (napi_get_boolean(env, vectorpin_status_is_verification_failure(code) != 0, &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

/* ------------------------------------------------------------------------ */
/* Hashing and encoding helpers                                              */
/* ------------------------------------------------------------------------ */

static napi_value js_hash_text(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg t;
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  vectorpin_error e;
  if (!get_text(env, argv[0], &t, "text", 0, 1)) return NULL;
  vectorpin_status st = vectorpin_hash_text(out, sizeof out, t.p, t.n, &e);
  text_free(&t);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_string(env, out, strlen(out));
}

/* (vector, rawDtype, hashDtype) */
static napi_value js_hash_vector(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  vector_arg v;
  vectorpin_dtype raw = VECTORPIN_DTYPE_DEFAULT, hash = VECTORPIN_DTYPE_DEFAULT;
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  vectorpin_error e;
  if (!get_dtype(env, argv[1], &raw) || !get_dtype(env, argv[2], &hash)) return NULL;
  if (!get_vector(env, argv[0], raw != VECTORPIN_DTYPE_DEFAULT ? raw : hash, &v, 0)) return NULL;
  if (!vector_resolve(env, &v, VECTORPIN_DTYPE_F32)) {
    vector_free(&v);
    return NULL;
  }
  if (hash == VECTORPIN_DTYPE_DEFAULT) hash = v.dt; /* as signing does: the input's own type */
  vectorpin_status st = v.dt == VECTORPIN_DTYPE_F32
                            ? vectorpin_hash_vector_f32(out, sizeof out, (const float *)v.p, v.n, hash, &e)
                            : vectorpin_hash_vector_f64(out, sizeof out, (const double *)v.p, v.n, hash, &e);
  vector_free(&v);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_string(env, out, strlen(out));
}

static napi_value js_sha256(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg t;
  uint8_t out[32];
  vectorpin_error e;
  if (!get_text(env, argv[0], &t, "data", 0, 1)) return NULL;
  vectorpin_status st = vectorpin_sha256(out, sizeof out, (const uint8_t *)t.p, t.n, &e);
  text_free(&t);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_buffer(env, out, sizeof out);
}

static napi_value js_base64url_encode(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  bytes_arg b;
  char *out = NULL;
  size_t n = 0;
  vectorpin_error e;
  if (!get_bytes(env, argv[0], &b, "data")) return NULL;
  vectorpin_status st = vectorpin_base64url_encode(&out, &n, b.p, b.n, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value r = make_string(env, out, n);
  vectorpin_free(out);
  return r;
}

static napi_value js_base64url_decode(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg t;
  uint8_t *out = NULL;
  size_t n = 0;
  vectorpin_error e;
  if (!get_text(env, argv[0], &t, "text", 0, 1)) return NULL;
  vectorpin_status st = vectorpin_base64url_decode(&out, &n, t.p, t.n, &e);
  text_free(&t);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value r = make_buffer(env, out, n);
  vectorpin_free(out);
  return r;
}

static napi_value js_timestamp_check(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg t;
  vectorpin_error e;
  if (!get_text(env, argv[0], &t, "timestamp", 0, 0)) return NULL;
  vectorpin_status st = vectorpin_timestamp_check(t.p, t.n, &e);
  text_free(&t);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return undefined_value(env);
}

static napi_value js_timestamp_now(napi_env env, napi_callback_info info) {
  (void)info;
  char out[VECTORPIN_TIMESTAMP_BUFFER_BYTES];
  vectorpin_error e;
  vectorpin_status st = vectorpin_timestamp_now(out, sizeof out, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_string(env, out, strlen(out));
}

/* A public key from raw bytes, base64url text or PEM. Bytes of exactly 32
 * are taken as the raw key (the library still rejects weak points); any
 * other bytes, and strings, are decoded as text. */
static int get_public_key(napi_env env, napi_value v, uint8_t out[32]) {
  text_arg t;
  vectorpin_error e;
  if (!get_text(env, v, &t, "publicKey", 0, 1)) return 0;
  napi_valuetype type;
  napi_typeof(env, v, &type);
  vectorpin_status st;
  if (type != napi_string && t.n == 32) {
    memcpy(out, t.p, 32);
    st = VECTORPIN_OK;
  } else {
    st = vectorpin_public_key_decode(out, 32, (const uint8_t *)t.p, t.n, &e);
  }
  text_free(&t);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return 0;
  }
  return 1;
}

static napi_value js_public_key_decode(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  uint8_t pk[32];
  vectorpin_error e;
  if (!get_public_key(env, argv[0], pk)) return NULL;
  /* Raw bytes skipped the decoder above; run them through it so weak keys
   * are refused here too. */
  uint8_t checked[32];
  vectorpin_status st = vectorpin_public_key_decode(checked, 32, pk, 32, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_buffer(env, checked, 32);
}

static napi_value js_public_key_fingerprint(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  uint8_t pk[32];
  char out[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  vectorpin_error e;
  if (!get_public_key(env, argv[0], pk)) return NULL;
  vectorpin_status st = vectorpin_public_key_fingerprint(out, sizeof out, pk, 32, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return make_string(env, out, strlen(out));
}

static napi_value js_public_key_pem(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  uint8_t pk[32];
  char *out = NULL;
  size_t n = 0;
  vectorpin_error e;
  if (!get_public_key(env, argv[0], pk)) return NULL;
  vectorpin_status st = vectorpin_public_key_pem(&out, &n, pk, 32, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value r = make_string(env, out, n);
  vectorpin_free(out);
  return r;
}

/* ------------------------------------------------------------------------ */
/* Signers                                                                   */
/* ------------------------------------------------------------------------ */

static napi_value finish_signer(napi_env env, vectorpin_status st, vectorpin_signer *s, const vectorpin_error *e,
                                ext_signer *ext) {
  if (st != VECTORPIN_OK) {
    if (ext != NULL) {
      if (ext->fn != NULL) napi_delete_reference(env, ext->fn);
      free(ext);
    }
    throw_status(env, st, e);
    return NULL;
  }
  return new_handle(env, KIND_SIGNER, s, ext);
}

static napi_value js_signer_generate(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg kid;
  vectorpin_signer *s = NULL;
  vectorpin_error e;
  if (!get_text(env, argv[0], &kid, "kid", 0, 0)) return NULL;
  vectorpin_status st = vectorpin_signer_generate(&s, kid.p, kid.n, &e);
  text_free(&kid);
  return finish_signer(env, st, s, &e, NULL);
}

static napi_value js_signer_from_seed(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  text_arg kid;
  bytes_arg seed;
  vectorpin_signer *s = NULL;
  vectorpin_error e;
  if (!get_bytes(env, argv[1], &seed, "seed")) return NULL;
  if (seed.n != 32) {
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, "seed must be exactly 32 bytes");
    return NULL;
  }
  if (!get_text(env, argv[0], &kid, "kid", 0, 0)) return NULL;
  vectorpin_status st = vectorpin_signer_from_seed(&s, kid.p, kid.n, seed.p, seed.n, &e);
  text_free(&kid);
  return finish_signer(env, st, s, &e, NULL);
}

static napi_value js_signer_from_private_key(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  text_arg kid, key;
  vectorpin_signer *s = NULL;
  vectorpin_error e;
  if (!get_text(env, argv[1], &key, "privateKey", 0, 1)) return NULL;
  if (!get_text(env, argv[0], &kid, "kid", 0, 0)) {
    text_free(&key);
    return NULL;
  }
  vectorpin_status st = vectorpin_signer_from_private_key(&s, kid.p, kid.n, (const uint8_t *)key.p, key.n, &e);
  /* The converted copy of a PEM string held key material. */
  if (key.owned != NULL) memset(key.owned, 0, key.n);
  text_free(&key);
  text_free(&kid);
  return finish_signer(env, st, s, &e, NULL);
}

/* (kid, path, allowInsecurePermissions) */
static napi_value js_signer_load_file(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  text_arg kid, path;
  bool insecure = false;
  vectorpin_signer *s = NULL;
  vectorpin_error e;
  if (!get_bool(env, argv[2], &insecure)) return NULL;
  if (!get_text(env, argv[1], &path, "path", 0, 0)) return NULL;
  if (!get_text(env, argv[0], &kid, "kid", 0, 0)) {
    text_free(&path);
    return NULL;
  }
  vectorpin_status st = vectorpin_signer_load_file(&s, kid.p, kid.n, path.p, path.n,
                                                   insecure ? VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS : 0u, &e);
  text_free(&path);
  text_free(&kid);
  return finish_signer(env, st, s, &e, NULL);
}

/* Per-call state of a synchronous pin() by an external signer. The library
 * invokes the callback on the thread that called it, inside that call; the
 * context is thread-local so a callback arriving any other way (it cannot
 * through this binding) finds none and fails instead of touching JavaScript
 * from a foreign thread. Nested pin() calls from inside a sign function
 * stack their contexts. */
typedef struct sign_call {
  napi_env env;
  napi_value exception; /* what the sign function threw, if it did */
  const char *reason;   /* why its result was refused, if it was */
  struct sign_call *outer;
} sign_call;

static _Thread_local sign_call *current_sign_call = NULL;

static napi_value ignore_value(napi_env env, napi_callback_info info) {
  (void)info;
  return undefined_value(env);
}

static int external_sign(void *user_data, uint8_t *signature, const uint8_t *message, size_t message_len) {
  ext_signer *x = (ext_signer *)user_data;
  sign_call *call = current_sign_call;
  if (call == NULL || x == NULL || call->env != x->env) return 1;
  napi_env env = call->env;
  napi_value fn, msg, result, undef;
  if (napi_get_reference_value(env, x->fn, &fn) != napi_ok || fn == NULL) {
    call->reason = "the sign function is no longer available";
    return 1;
  }
  if (napi_create_buffer_copy(env, message_len, message_len ? (const void *)message : (const void *)empty_text, NULL,
                              &msg) != napi_ok ||
      napi_get_undefined(env, &undef) != napi_ok) {
    call->reason = "could not pass the message to the sign function";
    return 1;
  }
  if (napi_call_function(env, undef, fn, 1, &msg, &result) != napi_ok) {
    /* Cleared here so the library's remaining work runs normally; the
     * value is rethrown as the `cause` of the error pin() throws. */
    napi_value exc = NULL;
    if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) call->exception = exc;
    call->reason = "the sign function threw";
    return 1;
  }
  bool is_promise = false;
  napi_is_promise(env, result, &is_promise);
  if (is_promise) {
    /* Not awaited, so mark it handled: a later rejection must not become an
     * unhandled rejection that ends the process. */
    napi_value catch_fn, noop;
    if (napi_get_named_property(env, result, "catch", &catch_fn) == napi_ok &&
        napi_create_function(env, "ignore", NAPI_AUTO_LENGTH, ignore_value, NULL, &noop) == napi_ok) {
      napi_value ignored;
      if (napi_call_function(env, result, catch_fn, 1, &noop, &ignored) != napi_ok) {
        napi_value exc;
        napi_get_and_clear_last_exception(env, &exc);
      }
    }
    call->reason = "the sign function returned a Promise; it must return the 64-byte signature synchronously";
    return 1;
  }
  const uint8_t *p = NULL;
  size_t n = 0;
  napi_valuetype t;
  if (napi_typeof(env, result, &t) != napi_ok || t != napi_object || byte_view(env, result, &p, &n) != 1 ||
      n != VECTORPIN_SIGNATURE_BYTES || p == NULL) {
    call->reason = "the sign function must return a Uint8Array/Buffer of exactly 64 bytes";
    return 1;
  }
  memcpy(signature, p, VECTORPIN_SIGNATURE_BYTES);
  return 0;
}

/* (kid, publicKey, fn) */
static napi_value js_signer_external(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  text_arg kid;
  uint8_t pk[32];
  napi_valuetype t;
  vectorpin_signer *s = NULL;
  vectorpin_error e;
  if (napi_typeof(env, argv[2], &t) != napi_ok || t != napi_function) {
    throw_type(env, "sign must be a function");
    return NULL;
  }
  if (!get_public_key(env, argv[1], pk)) return NULL;
  ext_signer *x = (ext_signer *)calloc(1, sizeof *x);
  if (x == NULL) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  x->env = env;
  if (napi_create_reference(env, argv[2], 1, &x->fn) != napi_ok) {
    free(x);
    throw_napi_failure(env);
    return NULL;
  }
  if (!get_text(env, argv[0], &kid, "kid", 0, 0)) {
    napi_delete_reference(env, x->fn);
    free(x);
    return NULL;
  }
  vectorpin_status st = vectorpin_signer_external(&s, kid.p, kid.n, pk, 32, external_sign, x, &e);
  text_free(&kid);
  return finish_signer(env, st, s, &e, x);
}

static napi_value js_signer_kid(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_SIGNER, 0);
  const char *p = NULL;
  size_t n = 0;
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_signer_kid((const vectorpin_signer *)h->ptr, &p, &n, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot read the key id");
    return NULL;
  }
  return make_string(env, p, n);
}

static napi_value js_signer_public_key(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_SIGNER, 0);
  uint8_t pk[32];
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_signer_public_key((const vectorpin_signer *)h->ptr, pk, sizeof pk, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot read the public key");
    return NULL;
  }
  return make_buffer(env, pk, sizeof pk);
}

static napi_value js_signer_fingerprint(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_SIGNER, 0);
  char out[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_signer_fingerprint((const vectorpin_signer *)h->ptr, out, sizeof out, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot compute the fingerprint");
    return NULL;
  }
  return make_string(env, out, strlen(out));
}

/* (handle, dir, pem) */
static napi_value js_signer_save(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  handle *h = get_handle(env, argv[0], KIND_SIGNER, 0);
  text_arg dir;
  bool pem = false;
  vectorpin_error e;
  if (h == NULL || !get_bool(env, argv[2], &pem) || !get_text(env, argv[1], &dir, "dir", 0, 0)) return NULL;
  vectorpin_status st =
      vectorpin_signer_save((const vectorpin_signer *)h->ptr, dir.p, dir.n, pem ? VECTORPIN_SAVE_PEM : 0u, &e);
  text_free(&dir);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return undefined_value(env);
}

/* Builds pin options from (protocol, dtype, modelHash, timestamp, extra):
 * protocol 0 and dtype 0 mean the library's default; extra is an array of
 * [key, value] pairs. */
/* Options from (protocol, dtype, modelHash, timestamp, extra) into *out.
 * All defaults leave *out NULL, which the library reads as "no options", so
 * a plain pin allocates nothing here. Returns false with an exception set. */
static bool build_options(napi_env env, napi_value *a, vectorpin_pin_options **out) {
  vectorpin_pin_options *o = NULL;
  vectorpin_error e;
  vectorpin_status st;
  int32_t protocol = 0;
  vectorpin_dtype dtype = VECTORPIN_DTYPE_DEFAULT;
  text_arg t;
  bool is_array = false;
  uint32_t count = 0;

  *out = NULL;
  if (!get_int(env, a[0], &protocol, "protocol") || !get_dtype(env, a[1], &dtype)) return false;
  if (protocol == 0 && dtype == VECTORPIN_DTYPE_DEFAULT && is_nullish(env, a[2]) && is_nullish(env, a[3]) &&
      is_nullish(env, a[4]))
    return true;
  if ((st = vectorpin_pin_options_new(&o, &e)) != VECTORPIN_OK) goto status_fail;
  if (protocol != 0 && (st = vectorpin_pin_options_set_protocol(o, protocol, &e)) != VECTORPIN_OK) goto status_fail;
  if (dtype != VECTORPIN_DTYPE_DEFAULT && (st = vectorpin_pin_options_set_dtype(o, dtype, &e)) != VECTORPIN_OK)
    goto status_fail;
  if (!get_text(env, a[2], &t, "modelHash", 1, 0)) goto fail;
  if (t.present) {
    st = vectorpin_pin_options_set_model_hash(o, t.p, t.n, &e);
    text_free(&t);
    if (st != VECTORPIN_OK) goto status_fail;
  }
  if (!get_text(env, a[3], &t, "timestamp", 1, 0)) goto fail;
  if (t.present) {
    st = vectorpin_pin_options_set_timestamp(o, t.p, t.n, &e);
    text_free(&t);
    if (st != VECTORPIN_OK) goto status_fail;
  }
  if (!is_nullish(env, a[4])) {
    if (napi_is_array(env, a[4], &is_array) != napi_ok || !is_array) {
      throw_type(env, "extra must be an array of [key, value] pairs");
      goto fail;
    }
    CHECK_NAPI(napi_get_array_length(env, a[4], &count));
    for (uint32_t i = 0; i < count; ++i) {
      napi_value pair, kv, vv;
      bool pair_is_array = false;
      uint32_t pair_len = 0;
      text_arg k, v;
      CHECK_NAPI(napi_get_element(env, a[4], i, &pair));
      if (napi_is_array(env, pair, &pair_is_array) != napi_ok || !pair_is_array ||
          napi_get_array_length(env, pair, &pair_len) != napi_ok || pair_len != 2) {
        throw_type(env, "extra must be an array of [key, value] pairs");
        goto fail;
      }
      CHECK_NAPI(napi_get_element(env, pair, 0, &kv));
      CHECK_NAPI(napi_get_element(env, pair, 1, &vv));
      if (!get_text(env, kv, &k, "extra key", 0, 0)) goto fail;
      if (!get_text(env, vv, &v, "extra value", 0, 0)) {
        text_free(&k);
        goto fail;
      }
      st = vectorpin_pin_options_set_extra(o, k.p, k.n, v.p, v.n, &e);
      text_free(&k);
      text_free(&v);
      if (st != VECTORPIN_OK) goto status_fail;
    }
  }
  *out = o;
  return true;
status_fail:
  throw_status(env, st, &e);
fail:
  vectorpin_pin_options_free(o);
  return false;
}

/* (handle, source, model, vector, rawDtype, protocol, dtype, modelHash, timestamp, extra) */
static napi_value js_signer_pin(napi_env env, napi_callback_info info) {
  GET_ARGS(10);
  text_arg source, model;
  vector_arg vec;
  vectorpin_dtype raw = VECTORPIN_DTYPE_DEFAULT;
  vectorpin_pin_options *opts = NULL;
  vectorpin_pin *pin = NULL;
  vectorpin_error e;
  vectorpin_status st;
  napi_value result = NULL;
  sign_call call;

  handle *h = get_handle(env, argv[0], KIND_SIGNER, 0);
  if (h == NULL) return NULL;
  if (!get_dtype(env, argv[4], &raw)) return NULL;
  if (!get_text(env, argv[1], &source, "source", 0, 1)) return NULL;
  if (!get_text(env, argv[2], &model, "model", 0, 0)) {
    text_free(&source);
    return NULL;
  }
  memset(&vec, 0, sizeof vec);
  if (!get_vector(env, argv[3], raw, &vec, 0) || !vector_resolve(env, &vec, VECTORPIN_DTYPE_F32)) goto done;
  if (!build_options(env, &argv[5], &opts)) goto done;

  /* A sign function may call close() on this very signer: the handle stays
   * alive until the call is over. Everything read from JavaScript memory
   * (vector, source) is hashed before the library calls the function, so a
   * callback that detaches or rewrites those buffers cannot affect it. */
  memset(&call, 0, sizeof call);
  call.env = env;
  call.outer = current_sign_call;
  current_sign_call = &call;
  handle_acquire(h);
  if (vec.dt == VECTORPIN_DTYPE_F64)
    st = vectorpin_signer_pin_f64((const vectorpin_signer *)h->ptr, &pin, source.p, source.n, model.p, model.n,
                                  (const double *)vec.p, vec.n, opts, &e);
  else
    st = vectorpin_signer_pin_f32((const vectorpin_signer *)h->ptr, &pin, source.p, source.n, model.p, model.n,
                                  (const float *)vec.p, vec.n, opts, &e);
  current_sign_call = call.outer;
  handle_release(h);

  if (st != VECTORPIN_OK) {
    if (st == VECTORPIN_EXTERNAL_SIGNER_FAILED && call.reason != NULL)
      snprintf(e.message, sizeof e.message, "%s", call.reason);
    napi_value err = make_status_error(env, st, e.message, e.offset);
    if (err == NULL) {
      throw_status(env, st, &e);
      goto done;
    }
    if (call.exception != NULL) napi_set_named_property(env, err, "cause", call.exception);
    napi_throw(env, err);
    goto done;
  }
  result = new_handle(env, KIND_PIN, pin, NULL);
done:
  vectorpin_pin_options_free(opts);
  vector_free(&vec);
  text_free(&source);
  text_free(&model);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Pins                                                                      */
/* ------------------------------------------------------------------------ */

static napi_value js_pin_parse(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  text_arg json;
  vectorpin_pin *pin = NULL;
  vectorpin_error e;
  if (!get_text(env, argv[0], &json, "pin JSON", 0, 1)) return NULL;
  vectorpin_status st = vectorpin_pin_parse(&pin, json.p, json.n, &e);
  text_free(&json);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return new_handle(env, KIND_PIN, pin, NULL);
}

/* (json) -> undefined, or throws: the pin is parsed with every wire rule and
 * freed at once. Pin.parse keeps the text and reads fields from it only when
 * asked, so parsing costs this one call, with no native handle, no finalizer
 * and, for pins of ordinary size, no heap allocation on this side. */
#define PIN_CHECK_STACK_BYTES 8192
static int has_replacement_character(const char *s, size_t n) {
  for (size_t i = 0; i + 2 < n; ++i)
    if ((unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBF && (unsigned char)s[i + 2] == 0xBD) return 1;
  return 0;
}
static napi_value js_pin_check(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  vectorpin_pin *pin = NULL;
  vectorpin_error e;
  vectorpin_status st;
  size_t got = 0;
  char utf8[PIN_CHECK_STACK_BYTES];
  /* V8 writes UTF-8 directly, but turns a lone surrogate into U+FFFD, which
   * would let text that is not the string's own pass: any U+FFFD in the
   * result (rare in a pin), a string that fills the buffer and may have been
   * cut, and anything that is not a string (bytes, or a wrong type that
   * get_text reports) take the general path below. */
  if (napi_get_value_string_utf8(env, argv[0], utf8, sizeof utf8, &got) == napi_ok && got < sizeof utf8 - 4 &&
      !has_replacement_character(utf8, got)) {
    st = vectorpin_pin_parse(&pin, got ? utf8 : empty_text, got, &e);
  } else {
    text_arg json;
    if (!get_text(env, argv[0], &json, "pin JSON", 0, 1)) return NULL;
    st = vectorpin_pin_parse(&pin, json.p, json.n, &e);
    text_free(&json);
  }
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  vectorpin_pin_free(pin);
  return undefined_value(env);
}

static napi_value js_pin_to_json(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  char *out = NULL;
  size_t n = 0;
  vectorpin_error e;
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_pin_to_json((const vectorpin_pin *)h->ptr, &out, &n, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value r = make_string(env, out, n);
  vectorpin_free(out);
  return r;
}

static napi_value js_pin_signed_bytes(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  uint8_t *out = NULL;
  size_t n = 0;
  vectorpin_error e;
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_pin_signed_bytes((const vectorpin_pin *)h->ptr, &out, &n, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value r = make_buffer(env, out, n);
  vectorpin_free(out);
  return r;
}

/* (handle, field) -> string, or null for an absent optional field */
static napi_value js_pin_get(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  int32_t field = 0;
  const char *p = NULL;
  size_t n = 0;
  if (h == NULL || !get_int(env, argv[1], &field, "field")) return NULL;
  vectorpin_status st = vectorpin_pin_get((const vectorpin_pin *)h->ptr, &p, &n, (vectorpin_pin_field)field, NULL);
  if (st == VECTORPIN_NOT_FOUND) return null_value(env);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "unknown pin field");
    return NULL;
  }
  return make_string(env, p, n);
}

/* (handle) -> {version, vecDim} */
static napi_value js_pin_numbers(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  napi_value obj;
  if (h == NULL) return NULL;
  if (napi_create_object(env, &obj) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  const vectorpin_pin *pin = (const vectorpin_pin *)h->ptr;
  set_int_property(env, obj, "version", vectorpin_pin_version(pin));
  set_int_property(env, obj, "vecDim", vectorpin_pin_vec_dim(pin));
  return obj;
}

static napi_value js_pin_signature(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  uint8_t sig[VECTORPIN_SIGNATURE_BYTES];
  if (h == NULL) return NULL;
  vectorpin_status st = vectorpin_pin_signature((const vectorpin_pin *)h->ptr, sig, sizeof sig, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot read the signature");
    return NULL;
  }
  return make_buffer(env, sig, sizeof sig);
}

/* (handle) -> [[key, value], ...] in key byte order */
static napi_value js_pin_extras(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  napi_value arr = NULL;
  if (h == NULL) return NULL;
  const vectorpin_pin *pin = (const vectorpin_pin *)h->ptr;
  size_t count = vectorpin_pin_extra_count(pin);
  CHECK_NAPI(napi_create_array_with_length(env, count, &arr));
  for (size_t i = 0; i < count; ++i) {
    const char *k, *v;
    size_t kn, vn;
    napi_value pair, ks, vs;
    if (vectorpin_pin_extra_at(pin, &k, &kn, &v, &vn, i, NULL) != VECTORPIN_OK) {
      throw_message(env, VECTORPIN_INTERNAL_ERROR, "cannot read an extra entry");
      return NULL;
    }
    if ((ks = make_string(env, k, kn)) == NULL || (vs = make_string(env, v, vn)) == NULL) return NULL;
    CHECK_NAPI(napi_create_array_with_length(env, 2, &pair));
    CHECK_NAPI(napi_set_element(env, pair, 0, ks));
    CHECK_NAPI(napi_set_element(env, pair, 1, vs));
    CHECK_NAPI(napi_set_element(env, arr, (uint32_t)i, pair));
  }
  return arr;
fail:
  return NULL;
}

static napi_value js_pin_extra_get(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  handle *h = get_handle(env, argv[0], KIND_PIN, 0);
  text_arg key;
  const char *v = NULL;
  size_t vn = 0;
  if (h == NULL || !get_text(env, argv[1], &key, "key", 0, 0)) return NULL;
  vectorpin_status st = vectorpin_pin_extra_get((const vectorpin_pin *)h->ptr, &v, &vn, key.p, key.n, NULL);
  text_free(&key);
  if (st == VECTORPIN_NOT_FOUND) return null_value(env);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot read the extra entry");
    return NULL;
  }
  return make_string(env, v, vn);
}

/* ------------------------------------------------------------------------ */
/* Verifiers                                                                 */
/* ------------------------------------------------------------------------ */

static napi_value js_verifier_new(napi_env env, napi_callback_info info) {
  (void)info;
  vectorpin_verifier *v = NULL;
  vectorpin_error e;
  vectorpin_status st = vectorpin_verifier_new(&v, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return new_handle(env, KIND_VERIFIER, v, NULL);
}

/* Changing the registry needs exclusive access: refused while a batch runs
 * on the thread pool with this verifier or a stream of it is open. */
static handle *get_verifier_for_update(napi_env env, napi_value v) {
  handle *h = get_handle(env, v, KIND_VERIFIER, 0);
  if (h != NULL && h->busy > 0) {
    throw_message(env, VECTORPIN_INVALID_ARGUMENT,
                  "this Verifier is in use by a batch or an open stream; change its keys or options once they are done");
    return NULL;
  }
  return h;
}

/* (handle, kid, publicKey, validFrom|null, validUntil|null) */
static napi_value js_verifier_add_key(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  text_arg kid, from, until;
  uint8_t pk[32];
  vectorpin_error e;
  handle *h = get_verifier_for_update(env, argv[0]);
  if (h == NULL || !get_public_key(env, argv[2], pk)) return NULL;
  if (!get_text(env, argv[1], &kid, "kid", 0, 0)) return NULL;
  if (!get_text(env, argv[3], &from, "validFrom", 1, 0)) {
    text_free(&kid);
    return NULL;
  }
  if (!get_text(env, argv[4], &until, "validUntil", 1, 0)) {
    text_free(&kid);
    text_free(&from);
    return NULL;
  }
  vectorpin_status st = vectorpin_verifier_add_key((vectorpin_verifier *)h->ptr, kid.p, kid.n, pk, 32,
                                                   from.present ? from.p : NULL, from.n,
                                                   until.present ? until.p : NULL, until.n, &e);
  text_free(&kid);
  text_free(&from);
  text_free(&until);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return undefined_value(env);
}

static napi_value js_verifier_load_registry(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  text_arg json;
  vectorpin_error e;
  handle *h = get_verifier_for_update(env, argv[0]);
  if (h == NULL || !get_text(env, argv[1], &json, "registry JSON", 0, 1)) return NULL;
  vectorpin_status st = vectorpin_verifier_load_registry((vectorpin_verifier *)h->ptr, json.p, json.n, &e);
  text_free(&json);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  return undefined_value(env);
}

static napi_value js_verifier_set_legacy_v1(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  bool on = false;
  handle *h = get_verifier_for_update(env, argv[0]);
  if (h == NULL || !get_bool(env, argv[1], &on)) return NULL;
  vectorpin_status st = vectorpin_verifier_set_legacy_v1((vectorpin_verifier *)h->ptr, on ? 1 : 0, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot change the legacy v1 setting");
    return NULL;
  }
  return undefined_value(env);
}

/* The limit arrives checked by the JavaScript wrapper (an integer from 0 to
 * Number.MAX_SAFE_INTEGER); checked again here, as the addon can be called
 * directly. */
static napi_value js_verifier_set_prepared_key_limit(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  napi_valuetype type;
  double limit = -1;
  if (h == NULL) return NULL;
  if (napi_typeof(env, argv[1], &type) != napi_ok || type != napi_number ||
      napi_get_value_double(env, argv[1], &limit) != napi_ok || !(limit >= 0) || limit > 9007199254740991.0 ||
      limit != (double)(uint64_t)limit) {
    throw_type(env, "preparedKeyLimit must be an integer from 0 to Number.MAX_SAFE_INTEGER");
    return NULL;
  }
  vectorpin_status st =
      vectorpin_verifier_set_prepared_key_limit((vectorpin_verifier *)h->ptr, (size_t)(uint64_t)limit, NULL);
  if (st != VECTORPIN_OK) {
    throw_message(env, st, "cannot set the prepared-key limit");
    return NULL;
  }
  return undefined_value(env);
}

/* A count or limit of a verifier as a JavaScript number. */
static napi_value verifier_size(napi_env env, napi_callback_info info, size_t (*read)(const vectorpin_verifier *)) {
  GET_ARGS(1);
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  napi_value r;
  if (h == NULL) return NULL;
  if (napi_create_double(env, (double)read((const vectorpin_verifier *)h->ptr), &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

static napi_value js_verifier_key_count(napi_env env, napi_callback_info info) {
  return verifier_size(env, info, vectorpin_verifier_key_count);
}

static napi_value js_verifier_prepared_key_limit(napi_env env, napi_callback_info info) {
  return verifier_size(env, info, vectorpin_verifier_prepared_key_limit);
}

static napi_value js_verifier_prepared_key_count(napi_env env, napi_callback_info info) {
  return verifier_size(env, info, vectorpin_verifier_prepared_key_count);
}

/* One verification: inputs converted from JavaScript, then the outcome. */
typedef struct verify_item {
  handle *pin_handle;       /* a Pin object's handle ... */
  const vectorpin_pin *pin; /* ... and its native pin, or a pin parsed here */
  vectorpin_pin *own_pin;
  text_arg json;            /* pin JSON when no Pin object was given */
  text_arg source;
  vector_arg vec;
  text_arg expect[4];       /* model, record, collection, tenant */
  int decided;              /* outcome known before verification (parse failure) */
  vectorpin_status status;
  vectorpin_error err;
} verify_item;

static void item_free(verify_item *it) {
  vectorpin_pin_free(it->own_pin);
  it->own_pin = NULL;
  text_free(&it->json);
  text_free(&it->source);
  vector_free(&it->vec);
  for (int i = 0; i < 4; ++i) text_free(&it->expect[i]);
}

/* args: pin (Pin handle | JSON string | bytes), source, vector, rawDtype,
 * expectedModel, expectedRecordId, expectedCollectionId, expectedTenantId.
 * The item may point into JavaScript memory: it is used within the call. */
static int item_prepare(napi_env env, napi_value *a, verify_item *it) {
  static const char *const expect_names[4] = {"expectedModel", "expectedRecordId", "expectedCollectionId",
                                              "expectedTenantId"};
  vectorpin_dtype raw = VECTORPIN_DTYPE_DEFAULT;
  bool tagged = false;
  napi_valuetype t;
  memset(it, 0, sizeof *it);
  if (!get_dtype(env, a[3], &raw)) return 0;
  if (napi_typeof(env, a[0], &t) != napi_ok) {
    throw_napi_failure(env);
    return 0;
  }
  if (t == napi_object && napi_check_object_type_tag(env, a[0], &kind_tags[KIND_PIN], &tagged) == napi_ok && tagged) {
    handle *h = get_handle(env, a[0], KIND_PIN, 0);
    if (h == NULL) return 0;
    it->pin_handle = h;
    it->pin = (const vectorpin_pin *)h->ptr;
  } else if (!get_text(env, a[0], &it->json, "pin", 0, 1)) {
    return 0;
  }
  if (!get_text(env, a[1], &it->source, "source", 1, 1)) goto fail;
  if (!get_vector(env, a[2], raw, &it->vec, 1)) goto fail;
  for (int i = 0; i < 4; ++i)
    if (!get_text(env, a[4 + i], &it->expect[i], expect_names[i], 1, 0)) goto fail;

  /* Bytes given without a dtype are read as the pin's own vec_dtype, which
   * for pin JSON means parsing it first. A parse failure is then already the
   * outcome (the library's verification would stop at the same point). */
  if (it->vec.present && it->vec.raw && it->vec.dt == VECTORPIN_DTYPE_DEFAULT) {
    if (it->pin == NULL) {
      it->status = vectorpin_pin_parse(&it->own_pin, it->json.p, it->json.n, &it->err);
      if (it->status != VECTORPIN_OK) {
        it->decided = 1;
        it->own_pin = NULL;
      } else {
        it->pin = it->own_pin;
      }
    }
    if (!it->decided && !vector_resolve(env, &it->vec, vectorpin_pin_dtype(it->pin))) goto fail;
  } else if (!vector_resolve(env, &it->vec, VECTORPIN_DTYPE_F32)) {
    goto fail;
  }
  return 1;
fail:
  item_free(it);
  return 0;
}

static void item_run(const vectorpin_verifier *verifier, verify_item *it) {
  static const vectorpin_expectation which[4] = {VECTORPIN_EXPECT_MODEL, VECTORPIN_EXPECT_RECORD_ID,
                                                 VECTORPIN_EXPECT_COLLECTION_ID, VECTORPIN_EXPECT_TENANT_ID};
  vectorpin_expectations *ex = NULL;
  if (it->decided) return;
  for (int i = 0; i < 4; ++i) {
    if (!it->expect[i].present) continue;
    if (ex == NULL && (it->status = vectorpin_expectations_new(&ex, &it->err)) != VECTORPIN_OK) return;
    it->status = vectorpin_expectations_set(ex, which[i], it->expect[i].p, it->expect[i].n, &it->err);
    if (it->status != VECTORPIN_OK) {
      vectorpin_expectations_free(ex);
      return;
    }
  }
  const char *src = it->source.present ? it->source.p : NULL;
  const void *vp = it->vec.present ? it->vec.p : NULL;
  size_t dim = it->vec.present ? it->vec.n : 0;
  int f64 = it->vec.present && it->vec.dt == VECTORPIN_DTYPE_F64;
  if (it->pin != NULL)
    it->status = f64 ? vectorpin_verify_f64(verifier, it->pin, src, it->source.n, (const double *)vp, dim, ex, &it->err)
                     : vectorpin_verify_f32(verifier, it->pin, src, it->source.n, (const float *)vp, dim, ex, &it->err);
  else
    it->status = f64 ? vectorpin_verify_json_f64(verifier, it->json.p, it->json.n, src, it->source.n,
                                                 (const double *)vp, dim, ex, &it->err)
                     : vectorpin_verify_json_f32(verifier, it->json.p, it->json.n, src, it->source.n,
                                                 (const float *)vp, dim, ex, &it->err);
  vectorpin_expectations_free(ex);
}

/* {ok, error, detail, status} for a verification outcome. Anything that is
 * not an outcome (misuse, out of memory) is returned as NULL so the caller
 * throws it instead. */
static napi_value make_result(napi_env env, vectorpin_status st, const char *message) {
  napi_value obj, okv, errv, detv;
  int ok = st == VECTORPIN_OK;
  if (!ok && !vectorpin_status_is_verification_failure((int)st)) return NULL;
  if (napi_create_object(env, &obj) != napi_ok || napi_get_boolean(env, ok, &okv) != napi_ok) return NULL;
  if (ok) {
    errv = null_value(env);
    detv = null_value(env);
  } else {
    const char *name = vectorpin_status_name((int)st);
    if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &errv) != napi_ok ||
        napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &detv) != napi_ok)
      return NULL;
  }
  napi_set_named_property(env, obj, "ok", okv);
  napi_set_named_property(env, obj, "error", errv);
  napi_set_named_property(env, obj, "detail", detv);
  set_int_property(env, obj, "status", (int64_t)st);
  return obj;
}

static napi_value item_result(napi_env env, const verify_item *it) {
  return make_result(env, it->status, it->err.message);
}

static napi_value throw_item_error(napi_env env, const verify_item *it) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    if (it->status == VECTORPIN_OK || vectorpin_status_is_verification_failure((int)it->status))
      throw_napi_failure(env);
    else
      throw_status(env, it->status, &it->err);
  }
  return NULL;
}

/* (handle, pin, source, vector, rawDtype, model, record, collection, tenant) */
static napi_value js_verifier_verify(napi_env env, napi_callback_info info) {
  GET_ARGS(9);
  verify_item it;
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  if (h == NULL || !item_prepare(env, &argv[1], &it)) return NULL;
  item_run((const vectorpin_verifier *)h->ptr, &it);
  napi_value r = item_result(env, &it);
  if (r == NULL) throw_item_error(env, &it);
  item_free(&it);
  return r;
}

/* ---- batches ----
 * Both batch forms hand the library's own batch API (vectorpin_verify_batch,
 * vectorpin_batch_*) plain vectorpin_batch_item inputs. A Pin object becomes
 * its wire JSON, which the library parses back to the same fields, so a
 * batch item is verified exactly as verify() would verify it. */

typedef struct batch_input {
  text_arg json;                   /* pin JSON given by the caller ... */
  char *pin_json;                  /* ... or written from a Pin (vectorpin_free) */
  size_t pin_json_len;
  text_arg source;
  vector_arg vec;
  vectorpin_expectations *expectations;
} batch_input;

static void batch_input_free(batch_input *in) {
  vectorpin_free(in->pin_json);
  in->pin_json = NULL;
  text_free(&in->json);
  text_free(&in->source);
  vector_free(&in->vec);
  vectorpin_expectations_free(in->expectations);
  in->expectations = NULL;
}

/* args as for item_prepare. With `copy`, nothing points into JavaScript
 * memory afterwards. Fills `item` (whose pointers refer to `in`). Returns 0
 * with an exception pending on misuse. */
static int batch_input_prepare(napi_env env, napi_value *a, batch_input *in, vectorpin_batch_item *item, int copy) {
  static const char *const expect_names[4] = {"expectedModel", "expectedRecordId", "expectedCollectionId",
                                              "expectedTenantId"};
  static const vectorpin_expectation which[4] = {VECTORPIN_EXPECT_MODEL, VECTORPIN_EXPECT_RECORD_ID,
                                                 VECTORPIN_EXPECT_COLLECTION_ID, VECTORPIN_EXPECT_TENANT_ID};
  vectorpin_dtype raw = VECTORPIN_DTYPE_DEFAULT, pin_dtype = VECTORPIN_DTYPE_DEFAULT;
  vectorpin_error e;
  vectorpin_status st;
  bool tagged = false;
  napi_valuetype t;
  memset(in, 0, sizeof *in);
  memset(item, 0, sizeof *item);
  if (!get_dtype(env, a[3], &raw)) return 0;
  if (napi_typeof(env, a[0], &t) != napi_ok) {
    throw_napi_failure(env);
    return 0;
  }
  if (t == napi_object && napi_check_object_type_tag(env, a[0], &kind_tags[KIND_PIN], &tagged) == napi_ok && tagged) {
    handle *h = get_handle(env, a[0], KIND_PIN, 0);
    if (h == NULL) return 0;
    st = vectorpin_pin_to_json((const vectorpin_pin *)h->ptr, &in->pin_json, &in->pin_json_len, &e);
    if (st != VECTORPIN_OK) {
      throw_status(env, st, &e);
      return 0;
    }
    pin_dtype = vectorpin_pin_dtype((const vectorpin_pin *)h->ptr);
  } else if (!get_text(env, a[0], &in->json, "pin", 0, 1)) {
    return 0;
  }
  if (!get_text(env, a[1], &in->source, "source", 1, 1)) goto fail;
  if (!get_vector(env, a[2], raw, &in->vec, 1)) goto fail;
  for (int i = 0; i < 4; ++i) {
    text_arg x;
    if (!get_text(env, a[4 + i], &x, expect_names[i], 1, 0)) goto fail;
    if (!x.present) continue;
    st = VECTORPIN_OK;
    if (in->expectations == NULL) st = vectorpin_expectations_new(&in->expectations, &e);
    if (st == VECTORPIN_OK) st = vectorpin_expectations_set(in->expectations, which[i], x.p, x.n, &e);
    text_free(&x);
    if (st != VECTORPIN_OK) {
      throw_status(env, st, &e);
      goto fail;
    }
  }
  /* Bytes given without a dtype are read as the pin's vec_dtype. Pin JSON
   * that does not parse makes the vector irrelevant: parsing comes first in
   * verification, so the library reports the same parse failure without it. */
  if (in->vec.present && in->vec.raw && in->vec.dt == VECTORPIN_DTYPE_DEFAULT) {
    if (in->pin_json == NULL) {
      vectorpin_pin *p = NULL;
      if (vectorpin_pin_parse(&p, in->json.p, in->json.n, NULL) == VECTORPIN_OK) pin_dtype = vectorpin_pin_dtype(p);
      vectorpin_pin_free(p);
    }
    if (pin_dtype == VECTORPIN_DTYPE_DEFAULT) vector_free(&in->vec);
    else if (!vector_resolve(env, &in->vec, pin_dtype)) goto fail;
  } else if (!vector_resolve(env, &in->vec, VECTORPIN_DTYPE_F32)) {
    goto fail;
  }
  if (copy && !(text_own(&in->json) && text_own(&in->source) && vector_own(&in->vec))) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    goto fail;
  }
  if (in->pin_json != NULL) {
    item->pin_json = in->pin_json;
    item->pin_json_len = in->pin_json_len;
  } else {
    item->pin_json = in->json.p;
    item->pin_json_len = in->json.n;
  }
  item->source = in->source.present ? in->source.p : NULL;
  item->source_len = in->source.present ? in->source.n : 0;
  item->vector = in->vec.present ? in->vec.p : NULL;
  item->dim = in->vec.present ? in->vec.n : 0;
  item->vector_dtype = in->vec.present && in->vec.dt == VECTORPIN_DTYPE_F64 ? VECTORPIN_DTYPE_F64 : VECTORPIN_DTYPE_F32;
  item->version = VECTORPIN_BATCH_ITEM_VERSION;
  item->expectations = in->expectations;
  return 1;
fail:
  batch_input_free(in);
  return 0;
}

/* The result object of item `index`, or NULL with an exception pending for
 * anything that is not a verification outcome (the library reports those
 * only for misuse or exhausted memory); the error then carries `index`. */
static napi_value batch_result(napi_env env, const vectorpin_error *r, size_t index, int with_id, uint64_t id) {
  napi_value obj = make_result(env, (vectorpin_status)r->code, r->message);
  if (obj == NULL) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) return NULL;
    vectorpin_status st = (vectorpin_status)r->code;
    if (st == VECTORPIN_OK || vectorpin_status_is_verification_failure((int)st)) {
      throw_napi_failure(env);
      return NULL;
    }
    char detail[VECTORPIN_ERROR_MESSAGE_BYTES + 32];
    snprintf(detail, sizeof detail, "item %zu: %s", index, r->message);
    napi_value err = make_status_error(env, st, detail, -1);
    if (err == NULL) {
      throw_status(env, st, r);
      return NULL;
    }
    set_int_property(env, err, with_id ? "id" : "index", with_id ? (int64_t)id : (int64_t)index);
    napi_throw(env, err);
    return NULL;
  }
  if (with_id) set_int_property(env, obj, "id", (int64_t)id);
  return obj;
}

/* Reads the JavaScript array of prepared argument arrays into `count`
 * inputs and items. Returns 0 with an exception pending (and everything
 * freed) on failure. */
static int batch_inputs_from_array(napi_env env, napi_value arr, int copy, batch_input **out_in,
                                   vectorpin_batch_item **out_items, size_t *out_count) {
  bool is_array = false;
  uint32_t count = 0;
  size_t done = 0;
  batch_input *in = NULL;
  vectorpin_batch_item *items = NULL;
  if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array) {
    throw_type(env, "items must be an array");
    return 0;
  }
  CHECK_NAPI(napi_get_array_length(env, arr, &count));
  in = (batch_input *)calloc(count ? count : 1, sizeof *in);
  items = (vectorpin_batch_item *)calloc(count ? count : 1, sizeof *items);
  if (in == NULL || items == NULL) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    goto fail;
  }
  for (uint32_t i = 0; i < count; ++i) {
    napi_value item, args[8];
    bool item_is_array = false;
    uint32_t n = 0;
    CHECK_NAPI(napi_get_element(env, arr, i, &item));
    if (napi_is_array(env, item, &item_is_array) != napi_ok || !item_is_array ||
        napi_get_array_length(env, item, &n) != napi_ok || n != 8) {
      throw_type(env, "each batch item must be a prepared argument array");
      goto fail;
    }
    for (uint32_t k = 0; k < 8; ++k) CHECK_NAPI(napi_get_element(env, item, k, &args[k]));
    if (!batch_input_prepare(env, args, &in[i], &items[i], copy)) goto fail;
    done = (size_t)i + 1;
  }
  *out_in = in;
  *out_items = items;
  *out_count = count;
  return 1;
fail:
  for (size_t i = 0; in != NULL && i < done; ++i) batch_input_free(&in[i]);
  free(in);
  free(items);
  return 0;
}

static void batch_inputs_free(batch_input *in, vectorpin_batch_item *items, size_t count) {
  for (size_t i = 0; in != NULL && i < count; ++i) batch_input_free(&in[i]);
  free(in);
  free(items);
}

/* (handle, items, threads) -> results. Synchronous: the library may read
 * JavaScript memory in place from its worker threads, because JavaScript on
 * this thread cannot run (and change it) until the call returns. */
static napi_value js_verifier_verify_batch_sync(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  int32_t threads = 0;
  batch_input *in = NULL;
  vectorpin_batch_item *items = NULL;
  vectorpin_error *results = NULL;
  size_t count = 0;
  napi_value arr = NULL, ret = NULL;
  vectorpin_error e;
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  if (h == NULL || !get_int(env, argv[2], &threads, "threads")) return NULL;
  if (threads < 0 || (uint32_t)threads > vectorpin_batch_max_threads()) {
    char message[96];
    snprintf(message, sizeof message, "threads must be between 0 and %u", (unsigned)vectorpin_batch_max_threads());
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, message);
    return NULL;
  }
  if (!batch_inputs_from_array(env, argv[1], 0, &in, &items, &count)) return NULL;
  results = (vectorpin_error *)calloc(count ? count : 1, sizeof *results);
  if (results == NULL) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    goto done;
  }
  vectorpin_status st =
      vectorpin_verify_batch((const vectorpin_verifier *)h->ptr, results, items, count, (uint32_t)threads, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    goto done;
  }
  CHECK_NAPI(napi_create_array_with_length(env, count, &arr));
  for (size_t i = 0; i < count; ++i) {
    napi_value r = batch_result(env, &results[i], i, 0, 0);
    if (r == NULL) goto done;
    CHECK_NAPI(napi_set_element(env, arr, (uint32_t)i, r));
  }
  ret = arr;
  goto done;
fail:
done:
  batch_inputs_free(in, items, count);
  free(results);
  return ret;
}

/* ---- asynchronous batches ----
 * The items are converted and copied on the JavaScript thread, verified on
 * libuv's thread pool in slices (each slice one vectorpin_verify_batch call
 * on its pool thread), and the promise is settled on the JavaScript thread
 * when the last slice is done. The verifier is marked busy (against close(),
 * which then defers the free, and against changes to its keys). Vectors and
 * sources are copied rather than referenced: JavaScript could otherwise
 * detach or rewrite an ArrayBuffer while a pool thread reads it. */

typedef struct batch batch;

typedef struct batch_task {
  batch *b;
  size_t begin, end;
  napi_async_work work;
} batch_task;

struct batch {
  napi_deferred deferred;
  handle *verifier;
  const vectorpin_verifier *native_verifier;
  batch_input *inputs;
  vectorpin_batch_item *items;
  vectorpin_error *results;
  size_t count;
  size_t tasks, done;
  int cancelled;
  batch_task *task;
};

static void batch_free(batch *b) {
  batch_inputs_free(b->inputs, b->items, b->count);
  if (b->verifier != NULL) handle_release(b->verifier);
  free(b->results);
  free(b->task);
  free(b);
}

static void batch_execute(napi_env env, void *data) {
  (void)env;
  batch_task *t = (batch_task *)data;
  batch *b = t->b;
  size_t n = t->end - t->begin;
  vectorpin_error e;
  /* threads = 1: the slice runs on this pool thread only. */
  vectorpin_status st = vectorpin_verify_batch(b->native_verifier, b->results + t->begin, b->items + t->begin, n, 1, &e);
  if (st != VECTORPIN_OK)
    for (size_t i = t->begin; i < t->end; ++i) b->results[i] = e;
}

static void batch_settle(napi_env env, batch *b) {
  napi_value results = NULL, err = NULL;
  if (b->cancelled) {
    err = make_status_error(env, VECTORPIN_INTERNAL_ERROR, "the batch was cancelled", -1);
  } else if (napi_create_array_with_length(env, b->count, &results) != napi_ok) {
    err = make_status_error(env, VECTORPIN_OUT_OF_MEMORY, "cannot create the results array", -1);
  } else {
    for (size_t i = 0; i < b->count; ++i) {
      napi_value r = batch_result(env, &b->results[i], i, 0, 0);
      if (r == NULL) {
        if (napi_get_and_clear_last_exception(env, &err) != napi_ok) err = NULL;
        if (err == NULL) err = make_status_error(env, VECTORPIN_INTERNAL_ERROR, "cannot build a result", -1);
        break;
      }
      napi_set_element(env, results, (uint32_t)i, r);
    }
  }
  if (err != NULL) {
    napi_reject_deferred(env, b->deferred, err);
  } else if (results != NULL) {
    napi_resolve_deferred(env, b->deferred, results);
  } else {
    napi_value fallback = NULL;
    napi_create_string_utf8(env, "verifyBatchAsync failed", NAPI_AUTO_LENGTH, &fallback);
    napi_reject_deferred(env, b->deferred, fallback);
  }
  batch_free(b);
}

static void batch_complete(napi_env env, napi_status status, void *data) {
  batch_task *t = (batch_task *)data;
  batch *b = t->b;
  if (status == napi_cancelled) b->cancelled = 1;
  if (t->work != NULL) napi_delete_async_work(env, t->work);
  t->work = NULL;
  if (++b->done == b->tasks) batch_settle(env, b);
}

/* (handle, items: array of [pin, source, vector, rawDtype, model, record, collection, tenant], tasks) */
static napi_value js_verifier_verify_batch(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  int32_t max_tasks = 0;
  napi_value promise = NULL, resource_name;
  batch *b = NULL;
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  if (h == NULL || !get_int(env, argv[2], &max_tasks, "threads")) return NULL;
  if (max_tasks < 1 || max_tasks > MAX_BATCH_TASKS) {
    char message[80];
    snprintf(message, sizeof message, "threads must be between 1 and %d", MAX_BATCH_TASKS);
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, message);
    return NULL;
  }
  b = (batch *)calloc(1, sizeof *b);
  if (b == NULL) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  if (!batch_inputs_from_array(env, argv[1], 1, &b->inputs, &b->items, &b->count)) {
    free(b);
    return NULL;
  }
  size_t count = b->count;
  size_t tasks = (count + MIN_ITEMS_PER_TASK - 1) / MIN_ITEMS_PER_TASK;
  if (tasks > (size_t)max_tasks) tasks = (size_t)max_tasks;
  b->results = (vectorpin_error *)calloc(count ? count : 1, sizeof *b->results);
  b->task = (batch_task *)calloc(tasks ? tasks : 1, sizeof *b->task);
  if (b->results == NULL || b->task == NULL) {
    batch_free(b);
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  if (napi_create_promise(env, &b->deferred, &promise) != napi_ok) {
    batch_free(b);
    throw_napi_failure(env);
    return NULL;
  }
  b->verifier = h;
  b->native_verifier = (const vectorpin_verifier *)h->ptr;
  handle_acquire(h);
  if (count == 0) {
    batch_settle(env, b);
    return promise;
  }
  if (napi_create_string_utf8(env, "vectorpin:verifyBatch", NAPI_AUTO_LENGTH, &resource_name) != napi_ok)
    resource_name = NULL;
  for (size_t k = 0; k < tasks; ++k) {
    batch_task *t = &b->task[k];
    t->b = b;
    t->begin = count * k / tasks;
    t->end = count * (k + 1) / tasks;
    if (resource_name == NULL ||
        napi_create_async_work(env, NULL, resource_name, batch_execute, batch_complete, t, &t->work) != napi_ok) {
      /* The promise exists now: settle it through the normal path. */
      for (size_t j = 0; j < k; ++j) napi_delete_async_work(env, b->task[j].work);
      b->cancelled = 1;
      batch_settle(env, b);
      return promise;
    }
  }
  b->tasks = tasks;
  for (size_t k = 0; k < tasks; ++k) {
    batch_task *t = &b->task[k];
    if (napi_queue_async_work(env, t->work) != napi_ok) {
      /* Not expected; do the slice here rather than lose it. */
      batch_execute(env, t);
      batch_complete(env, napi_ok, t);
    }
  }
  return promise;
}

/* ---- streaming batches (VerifyStream) ----
 * A vectorpin_batch: the library's own worker threads verify items as they
 * are submitted; results are collected in submission order. */

/* (verifier, threads) */
static napi_value js_stream_new(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  int32_t threads = 0;
  vectorpin_batch *b = NULL;
  vectorpin_error e;
  handle *sh = NULL;
  handle *h = get_handle(env, argv[0], KIND_VERIFIER, 0);
  if (h == NULL || !get_int(env, argv[1], &threads, "threads")) return NULL;
  if (threads < 0) {
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, "threads must not be negative");
    return NULL;
  }
  vectorpin_status st = vectorpin_batch_new(&b, (const vectorpin_verifier *)h->ptr, (uint32_t)threads, &e);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  napi_value obj = new_handle_out(env, KIND_STREAM, b, NULL, &sh);
  if (obj == NULL) return NULL;
  sh->owner = h;
  handle_acquire(h);
  return obj;
}

/* (stream, pin, source, vector, rawDtype, model, record, collection, tenant) -> id */
static napi_value js_stream_submit(napi_env env, napi_callback_info info) {
  GET_ARGS(9);
  batch_input in;
  vectorpin_batch_item it;
  vectorpin_error e;
  vectorpin_status st;
  napi_value r;
  handle *h = get_handle(env, argv[0], KIND_STREAM, 0);
  if (h == NULL || !batch_input_prepare(env, &argv[1], &in, &it, 0)) return NULL;
  uint64_t cookie = h->next_cookie;
  /* The library copies every input before returning. */
  if (it.vector_dtype == VECTORPIN_DTYPE_F64)
    st = vectorpin_batch_submit_f64((vectorpin_batch *)h->ptr, cookie, it.pin_json, it.pin_json_len, it.source,
                                    it.source_len, (const double *)it.vector, it.dim, it.expectations, &e);
  else
    st = vectorpin_batch_submit_f32((vectorpin_batch *)h->ptr, cookie, it.pin_json, it.pin_json_len, it.source,
                                    it.source_len, (const float *)it.vector, it.dim, it.expectations, &e);
  batch_input_free(&in);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &e);
    return NULL;
  }
  h->next_cookie++;
  if (napi_create_double(env, (double)cookie, &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

/* (stream, wait) -> result or null */
static napi_value js_stream_next(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  bool wait = false;
  uint64_t cookie = 0;
  vectorpin_error r, call;
  handle *h = get_handle(env, argv[0], KIND_STREAM, 0);
  if (h == NULL || !get_bool(env, argv[1], &wait)) return NULL;
  if (h->waiting) {
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, "a nextAsync() on this VerifyStream has not settled yet");
    return NULL;
  }
  vectorpin_status st = vectorpin_batch_next_result((vectorpin_batch *)h->ptr, &cookie, &r, wait ? 1 : 0, &call);
  if (st == VECTORPIN_NOT_FOUND) return null_value(env);
  if (st != VECTORPIN_OK) {
    throw_status(env, st, &call);
    return NULL;
  }
  return batch_result(env, &r, 0, 1, cookie);
}

typedef struct stream_wait {
  handle *h;
  napi_deferred deferred;
  napi_async_work work;
  vectorpin_status st;
  uint64_t cookie;
  vectorpin_error result;
  vectorpin_error call; /* the call's own error, when st is not OK */
} stream_wait;

static void stream_wait_execute(napi_env env, void *data) {
  (void)env;
  stream_wait *w = (stream_wait *)data;
  w->st = vectorpin_batch_next_result((vectorpin_batch *)w->h->ptr, &w->cookie, &w->result, 1, &w->call);
}

static void stream_wait_complete(napi_env env, napi_status status, void *data) {
  stream_wait *w = (stream_wait *)data;
  napi_value value = NULL, err = NULL;
  if (status == napi_cancelled) {
    err = make_status_error(env, VECTORPIN_INTERNAL_ERROR, "nextAsync() was cancelled", -1);
  } else if (w->st == VECTORPIN_NOT_FOUND) {
    value = null_value(env);
  } else if (w->st != VECTORPIN_OK) {
    err = make_status_error(env, w->st, w->call.message, -1);
  } else if ((value = batch_result(env, &w->result, 0, 1, w->cookie)) == NULL) {
    if (napi_get_and_clear_last_exception(env, &err) != napi_ok) err = NULL;
  }
  if (value != NULL) {
    napi_resolve_deferred(env, w->deferred, value);
  } else {
    if (err == NULL) napi_create_string_utf8(env, "nextAsync failed", NAPI_AUTO_LENGTH, &err);
    napi_reject_deferred(env, w->deferred, err);
  }
  napi_delete_async_work(env, w->work);
  w->h->waiting = 0;
  handle_release(w->h);
  free(w);
}

/* (stream) -> Promise<result | null>: waits for the oldest result on the
 * thread pool instead of blocking the event loop. */
static napi_value js_stream_next_async(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  napi_value promise = NULL, name = NULL;
  handle *h = get_handle(env, argv[0], KIND_STREAM, 0);
  if (h == NULL) return NULL;
  if (h->waiting) {
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, "a nextAsync() on this VerifyStream has not settled yet");
    return NULL;
  }
  stream_wait *w = (stream_wait *)calloc(1, sizeof *w);
  if (w == NULL) {
    throw_message(env, VECTORPIN_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  w->h = h;
  if (napi_create_string_utf8(env, "vectorpin:nextAsync", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, stream_wait_execute, stream_wait_complete, w, &w->work) != napi_ok) {
    free(w);
    throw_napi_failure(env);
    return NULL;
  }
  if (napi_create_promise(env, &w->deferred, &promise) != napi_ok) {
    napi_delete_async_work(env, w->work);
    free(w);
    throw_napi_failure(env);
    return NULL;
  }
  /* Held until the pool thread is done: close() meanwhile only marks it. */
  handle_acquire(h);
  h->waiting = 1;
  if (napi_queue_async_work(env, w->work) != napi_ok) {
    stream_wait_execute(env, w);
    stream_wait_complete(env, napi_ok, w);
  }
  return promise;
}

/* (stream) -> {pending, threads} */
static napi_value js_stream_info(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  napi_value obj;
  handle *h = get_handle(env, argv[0], KIND_STREAM, 0);
  if (h == NULL) return NULL;
  if (napi_create_object(env, &obj) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  set_int_property(env, obj, "pending", (int64_t)vectorpin_batch_pending((const vectorpin_batch *)h->ptr));
  set_int_property(env, obj, "threads", (int64_t)vectorpin_batch_threads((const vectorpin_batch *)h->ptr));
  return obj;
}

/* ------------------------------------------------------------------------ */
/* Lifetime                                                                  */
/* ------------------------------------------------------------------------ */

/* (handle, kind) -> true if this call closed it, false if it was closed */
static napi_value js_close(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  int32_t kind = -1;
  napi_value r;
  if (!get_int(env, argv[1], &kind, "kind")) return NULL;
  if (kind < KIND_SIGNER || kind >= KIND_COUNT) {
    throw_type(env, "unknown handle kind");
    return NULL;
  }
  handle *h = get_handle(env, argv[0], kind, 1);
  if (h == NULL) return NULL;
  int was_open = !h->closed;
  h->closed = 1;
  if (h->busy == 0) free_native(h);
  if (napi_get_boolean(env, was_open, &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

static napi_value js_is_closed(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  int32_t kind = -1;
  napi_value r;
  if (!get_int(env, argv[1], &kind, "kind")) return NULL;
  if (kind < KIND_SIGNER || kind >= KIND_COUNT) {
    throw_type(env, "unknown handle kind");
    return NULL;
  }
  handle *h = get_handle(env, argv[0], kind, 1);
  if (h == NULL) return NULL;
  if (napi_get_boolean(env, h->closed != 0, &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

/* Uses in flight on a handle; lets tests observe deferred frees. */
static napi_value js_busy_count(napi_env env, napi_callback_info info) {
  GET_ARGS(2);
  int32_t kind = -1;
  napi_value r;
  if (!get_int(env, argv[1], &kind, "kind")) return NULL;
  if (kind < KIND_SIGNER || kind >= KIND_COUNT) {
    throw_type(env, "unknown handle kind");
    return NULL;
  }
  handle *h = get_handle(env, argv[0], kind, 1);
  if (h == NULL) return NULL;
  if (napi_create_uint32(env, h->busy, &r) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return r;
}

/* ------------------------------------------------------------------------ */
/* Module                                                                    */
/* ------------------------------------------------------------------------ */

#define FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

static napi_value init(napi_env env, napi_value exports) {
  if (vectorpin_abi_version() != EXPECTED_ABI_VERSION) {
    char message[200];
    snprintf(message, sizeof message,
             "libvectorpin reports ABI version %u but this addon was built for ABI version %u; "
             "install a matching libvectorpin",
             (unsigned)vectorpin_abi_version(), (unsigned)EXPECTED_ABI_VERSION);
    throw_message(env, VECTORPIN_INVALID_ARGUMENT, message);
    return NULL;
  }
  const napi_property_descriptor props[] = {
      FN("versions", js_versions),
      FN("constants", js_constants),
      FN("statusName", js_status_name),
      FN("isVerificationFailure", js_is_verification_failure),
      FN("hashText", js_hash_text),
      FN("hashVector", js_hash_vector),
      FN("sha256", js_sha256),
      FN("base64urlEncode", js_base64url_encode),
      FN("base64urlDecode", js_base64url_decode),
      FN("timestampCheck", js_timestamp_check),
      FN("timestampNow", js_timestamp_now),
      FN("publicKeyDecode", js_public_key_decode),
      FN("publicKeyFingerprint", js_public_key_fingerprint),
      FN("publicKeyPem", js_public_key_pem),
      FN("signerGenerate", js_signer_generate),
      FN("signerFromSeed", js_signer_from_seed),
      FN("signerFromPrivateKey", js_signer_from_private_key),
      FN("signerLoadFile", js_signer_load_file),
      FN("signerExternal", js_signer_external),
      FN("signerKid", js_signer_kid),
      FN("signerPublicKey", js_signer_public_key),
      FN("signerFingerprint", js_signer_fingerprint),
      FN("signerSave", js_signer_save),
      FN("signerPin", js_signer_pin),
      FN("pinParse", js_pin_parse),
      FN("pinCheck", js_pin_check),
      FN("pinToJson", js_pin_to_json),
      FN("pinSignedBytes", js_pin_signed_bytes),
      FN("pinGet", js_pin_get),
      FN("pinNumbers", js_pin_numbers),
      FN("pinSignature", js_pin_signature),
      FN("pinExtras", js_pin_extras),
      FN("pinExtraGet", js_pin_extra_get),
      FN("verifierNew", js_verifier_new),
      FN("verifierAddKey", js_verifier_add_key),
      FN("verifierLoadRegistry", js_verifier_load_registry),
      FN("verifierSetLegacyV1", js_verifier_set_legacy_v1),
      FN("verifierKeyCount", js_verifier_key_count),
      FN("verifierSetPreparedKeyLimit", js_verifier_set_prepared_key_limit),
      FN("verifierPreparedKeyLimit", js_verifier_prepared_key_limit),
      FN("verifierPreparedKeyCount", js_verifier_prepared_key_count),
      FN("verifierVerify", js_verifier_verify),
      FN("verifierVerifyBatch", js_verifier_verify_batch),
      FN("verifierVerifyBatchSync", js_verifier_verify_batch_sync),
      FN("streamNew", js_stream_new),
      FN("streamSubmit", js_stream_submit),
      FN("streamNext", js_stream_next),
      FN("streamNextAsync", js_stream_next_async),
      FN("streamInfo", js_stream_info),
      FN("close", js_close),
      FN("isClosed", js_is_closed),
      FN("busyCount", js_busy_count),
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    throw_napi_failure(env);
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
