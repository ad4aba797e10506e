#include "vectorpin_jni_support.h"

#include <stdlib.h>
#include <string.h>

/* Looked up once when the library is loaded: the lookups need a class loader
 * that sees io.vectorpin.internal, which JNI_OnLoad has. */
static JavaVM *g_vm;
static jclass g_byte_array, g_float_array, g_double_array;
static jclass g_byte_buffer, g_float_buffer, g_double_buffer;
static jclass g_native_error;
static jfieldID g_error_code, g_error_offset, g_error_message;
static jclass g_sign_callback;
static jmethodID g_sign_method;

static jclass global_class(JNIEnv *env, const char *name) {
  jclass local = (*env)->FindClass(env, name);
  if (local == NULL) return NULL;
  jclass global = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env = NULL;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (!(g_byte_array = global_class(env, "[B")) || !(g_float_array = global_class(env, "[F")) ||
      !(g_double_array = global_class(env, "[D")) || !(g_byte_buffer = global_class(env, "java/nio/ByteBuffer")) ||
      !(g_float_buffer = global_class(env, "java/nio/FloatBuffer")) ||
      !(g_double_buffer = global_class(env, "java/nio/DoubleBuffer")) ||
      !(g_native_error = global_class(env, "io/vectorpin/internal/NativeError")) ||
      !(g_sign_callback = global_class(env, "io/vectorpin/internal/SignCallback")))
    return JNI_ERR;
  g_error_code = (*env)->GetFieldID(env, g_native_error, "code", "I");
  g_error_offset = (*env)->GetFieldID(env, g_native_error, "offset", "J");
  g_error_message = (*env)->GetFieldID(env, g_native_error, "message", "[B");
  g_sign_method = (*env)->GetMethodID(env, g_sign_callback, "sign", "([B)[B");
  if (!g_error_code || !g_error_offset || !g_error_message || !g_sign_method) return JNI_ERR;
  return JNI_VERSION_1_8;
}

void vpj_throw(JNIEnv *env, const char *class_name, const char *message) {
  jclass cls = (*env)->FindClass(env, class_name);
  if (cls != NULL) (*env)->ThrowNew(env, cls, message);
}

/* ---- lending Java memory ---------------------------------------------------- */

/* A non-NULL address for empty inputs: the C API reads NULL as "not supplied"
 * where an input is optional, and an empty array is supplied. */
static const double g_empty[1];

/* Pins made for the call being prepared on this thread. Only the pins between
 * the conversion of the arguments and the call live here, so a nested call
 * made by a Java callback during the C call cannot see its caller's pins. */
static _Thread_local vpj_arg *t_pinned;

/* Functions that may run Java code (an external signer) while they execute:
 * no critical region may be open across them. */
static int may_call_java(const char *function) { return strstr(function, "signer_pin") != NULL; }

static size_t element_size(int kind) {
  return kind == VPJ_F64 ? sizeof(double) : kind == VPJ_F32 ? sizeof(float) : 1;
}

int vpj_arg_prepare(JNIEnv *env, vpj_arg *a, jobject value, int kind, const char *function) {
  memset(a, 0, sizeof *a);
  a->kind = kind;
  if (value == NULL) return 1; /* NULL pointer, length 0: absent or empty */
  jclass array_class = kind == VPJ_F64 ? g_double_array : kind == VPJ_F32 ? g_float_array : g_byte_array;
  jclass buffer_class = kind == VPJ_F64 ? g_double_buffer : kind == VPJ_F32 ? g_float_buffer : g_byte_buffer;
  if ((*env)->IsInstanceOf(env, value, array_class)) {
    jsize n = (*env)->GetArrayLength(env, (jarray)value);
    a->len = (size_t)n;
    if (n == 0) {
      a->ptr = (void *)g_empty;
      return 1;
    }
    a->array = (jarray)value;
    a->mode = may_call_java(function) ? VPJ_ELEMENTS : VPJ_CRITICAL;
    return 1;
  }
  if ((*env)->IsInstanceOf(env, value, buffer_class)) {
    void *p = (*env)->GetDirectBufferAddress(env, value);
    jlong n = (*env)->GetDirectBufferCapacity(env, value);
    if (p == NULL || n < 0) {
      vpj_throw(env, "java/lang/IllegalArgumentException", "only direct buffers can be passed to native code");
      return 0;
    }
    if (((uintptr_t)p % element_size(kind)) != 0) {
      vpj_throw(env, "java/lang/IllegalArgumentException", "direct buffer is not aligned to its element size");
      return 0;
    }
    a->len = (size_t)n;
    a->ptr = n == 0 ? (void *)g_empty : p;
    return 1;
  }
  vpj_throw(env, "java/lang/IllegalArgumentException",
            kind == VPJ_F64   ? "expected double[] or a direct DoubleBuffer"
            : kind == VPJ_F32 ? "expected float[] or a direct FloatBuffer"
                              : "expected byte[] or a direct ByteBuffer");
  return 0;
}

void vpj_release(JNIEnv *env, vpj_arg *a) {
  if (!a->pinned) return;
  a->pinned = 0;
  if (a->mode == VPJ_CRITICAL) {
    (*env)->ReleasePrimitiveArrayCritical(env, a->array, a->ptr, JNI_ABORT);
  } else if (a->kind == VPJ_F64) {
    (*env)->ReleaseDoubleArrayElements(env, (jdoubleArray)a->array, (jdouble *)a->ptr, JNI_ABORT);
  } else if (a->kind == VPJ_F32) {
    (*env)->ReleaseFloatArrayElements(env, (jfloatArray)a->array, (jfloat *)a->ptr, JNI_ABORT);
  } else {
    (*env)->ReleaseByteArrayElements(env, (jbyteArray)a->array, (jbyte *)a->ptr, JNI_ABORT);
  }
}

int vpj_pin(JNIEnv *env, vpj_arg *a) {
  if (a->array == NULL) return 1;
  void *p;
  if (a->mode == VPJ_CRITICAL) {
    p = (*env)->GetPrimitiveArrayCritical(env, a->array, NULL);
  } else if (a->kind == VPJ_F64) {
    p = (*env)->GetDoubleArrayElements(env, (jdoubleArray)a->array, NULL);
  } else if (a->kind == VPJ_F32) {
    p = (*env)->GetFloatArrayElements(env, (jfloatArray)a->array, NULL);
  } else {
    p = (*env)->GetByteArrayElements(env, (jbyteArray)a->array, NULL);
  }
  if (p == NULL) {
    for (vpj_arg *it = t_pinned; it != NULL; it = it->next) vpj_release(env, it);
    t_pinned = NULL;
    if (!(*env)->ExceptionCheck(env))
      vpj_throw(env, "java/lang/OutOfMemoryError", "cannot lend a Java array to native code");
    return 0;
  }
  a->ptr = p;
  a->pinned = 1;
  a->next = t_pinned;
  t_pinned = a;
  return 1;
}

void vpj_pins_begin_call(void) { t_pinned = NULL; }

/* ---- results ------------------------------------------------------------------ */

/* strnlen is POSIX, not C11. */
static size_t bounded_len(const char *s, size_t cap) {
  const char *end = memchr(s, 0, cap);
  return end != NULL ? (size_t)(end - s) : cap;
}

jbyteArray vpj_new_bytes(JNIEnv *env, const void *data, size_t len) {
  if (len > (size_t)INT32_MAX) {
    vpj_throw(env, "java/lang/OutOfMemoryError", "native result too large for a Java array");
    return NULL;
  }
  jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
  if (out != NULL && len > 0) (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)data);
  return out;
}

void vpj_store_error(JNIEnv *env, jobject target, const vectorpin_error *err) {
  if (target == NULL) return;
  (*env)->SetIntField(env, target, g_error_code, err->code);
  (*env)->SetLongField(env, target, g_error_offset, err->offset);
  size_t n = bounded_len(err->message, sizeof err->message);
  jbyteArray message = n == 0 ? NULL : vpj_new_bytes(env, err->message, n);
  (*env)->SetObjectField(env, target, g_error_message, message);
  if (message != NULL) (*env)->DeleteLocalRef(env, message);
}

void vpj_store_object(JNIEnv *env, jobjectArray holder, jobject value) {
  if (holder != NULL) (*env)->SetObjectArrayElement(env, holder, 0, value);
}

int vpj_check_holder(JNIEnv *env, jarray holder, const char *what) {
  if (holder == NULL || (*env)->GetArrayLength(env, holder) < 1) {
    vpj_throw(env, "java/lang/IllegalArgumentException", what);
    return 0;
  }
  return 1;
}

/* ---- external signer ------------------------------------------------------------ */

typedef struct vpj_callback {
  jobject target; /* global reference to a SignCallback */
} vpj_callback;

/* Runs on whichever thread asked for a pin; a thread the JVM does not know
 * (possible if the C library ever signs on a worker) is attached for the
 * duration of the call. Any Java exception becomes a failure return: no
 * exception may be left pending for the C code that called us. */
static int sign_trampoline(void *user_data, uint8_t *signature, const uint8_t *message, size_t message_len) {
  vpj_callback *cb = (vpj_callback *)user_data;
  JNIEnv *env = NULL;
  int attached = 0;
  jint rc = (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_8);
  if (rc == JNI_EDETACHED) {
    if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, NULL) != JNI_OK) return 1;
    attached = 1;
  } else if (rc != JNI_OK) {
    return 1;
  }
  int ok = 0;
  if (!(*env)->ExceptionCheck(env) && (*env)->PushLocalFrame(env, 4) == 0) {
    jbyteArray msg = vpj_new_bytes(env, message, message_len);
    if (msg != NULL) {
      jobject result = (*env)->CallObjectMethod(env, cb->target, g_sign_method, msg);
      if (!(*env)->ExceptionCheck(env) && result != NULL && (*env)->IsInstanceOf(env, result, g_byte_array) &&
          (*env)->GetArrayLength(env, (jarray)result) == VECTORPIN_SIGNATURE_BYTES) {
        (*env)->GetByteArrayRegion(env, (jbyteArray)result, 0, VECTORPIN_SIGNATURE_BYTES, (jbyte *)signature);
        ok = !(*env)->ExceptionCheck(env);
      }
    }
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    (*env)->PopLocalFrame(env, NULL);
  }
  if (attached) (*g_vm)->DetachCurrentThread(g_vm);
  return ok ? 0 : 1;
}

jlong vpj_callback_new(JNIEnv *env, jobject callback) {
  if (callback == NULL || !(*env)->IsInstanceOf(env, callback, g_sign_callback)) {
    vpj_throw(env, "java/lang/IllegalArgumentException", "callback must be an io.vectorpin.internal.SignCallback");
    return 0;
  }
  vpj_callback *cb = (vpj_callback *)malloc(sizeof *cb);
  if (cb == NULL) {
    vpj_throw(env, "java/lang/OutOfMemoryError", "cannot allocate a signer callback");
    return 0;
  }
  cb->target = (*env)->NewGlobalRef(env, callback);
  if (cb->target == NULL) {
    free(cb);
    if (!(*env)->ExceptionCheck(env)) vpj_throw(env, "java/lang/OutOfMemoryError", "cannot reference the callback");
    return 0;
  }
  return (jlong)(intptr_t)cb;
}

void vpj_callback_free(JNIEnv *env, jlong context) {
  vpj_callback *cb = (vpj_callback *)(intptr_t)context;
  if (cb == NULL) return;
  (*env)->DeleteGlobalRef(env, cb->target);
  free(cb);
}

vectorpin_status vpj_signer_external(vectorpin_signer **out_signer, const char *kid, size_t kid_len,
                                     const uint8_t *public_key, size_t public_key_len, jlong context,
                                     vectorpin_error *err) {
  void *cb = (void *)(intptr_t)context;
  return vectorpin_signer_external(out_signer, kid, kid_len, public_key, public_key_len,
                                   cb != NULL ? sign_trampoline : NULL, cb, err);
}

uint32_t vpj_compiled_abi_version(void) { return VECTORPIN_ABI_VERSION; }

/* ---- whole-batch verification ------------------------------------------------------ */

static int batch_lend(JNIEnv *env, vpj_arg *a, jobject value, int kind) {
  if (!vpj_arg_prepare(env, a, value, kind, "vpj_verify_batch")) return 0;
  if (a->array != NULL) a->mode = VPJ_ELEMENTS;
  return vpj_pin(env, a);
}

static int same_length(JNIEnv *env, jarray a, jsize n) {
  return a != NULL && (*env)->GetArrayLength(env, a) == n;
}

vectorpin_status vpj_verify_batch(JNIEnv *env, const vectorpin_verifier *verifier, jobjectArray pins,
                                  jobjectArray sources, jobjectArray vectors, jlongArray expectations,
                                  uint32_t threads, jintArray codes, jlongArray offsets, jobjectArray messages,
                                  vectorpin_error *err) {
  if (pins == NULL) {
    vpj_throw(env, "java/lang/IllegalArgumentException", "batch arrays must not be null");
    return VECTORPIN_INVALID_ARGUMENT;
  }
  jsize n = (*env)->GetArrayLength(env, pins);
  if (!same_length(env, sources, n) || !same_length(env, vectors, n) || !same_length(env, expectations, n) ||
      !same_length(env, codes, n) || !same_length(env, offsets, n) || !same_length(env, messages, n)) {
    vpj_throw(env, "java/lang/IllegalArgumentException", "batch arrays must all have the same length");
    return VECTORPIN_INVALID_ARGUMENT;
  }
  size_t count = (size_t)n;
  /* Three lent arguments per item, each kept alive by a local reference
   * until it is released. */
  if ((*env)->PushLocalFrame(env, n > (INT32_MAX - 16) / 3 ? INT32_MAX : 3 * n + 16) != 0) return VECTORPIN_OUT_OF_MEMORY;
  vectorpin_status rc = VECTORPIN_OUT_OF_MEMORY;
  vpj_arg *lent = (vpj_arg *)calloc(count * 3 + 1, sizeof *lent);
  vectorpin_batch_item *items = (vectorpin_batch_item *)calloc(count + 1, sizeof *items);
  vectorpin_error *results = (vectorpin_error *)calloc(count + 1, sizeof *results);
  jlong *handles = (jlong *)calloc(count + 1, sizeof *handles);
  if (lent == NULL || items == NULL || results == NULL || handles == NULL) {
    vpj_throw(env, "java/lang/OutOfMemoryError", "cannot allocate the batch");
    goto done;
  }
  if (n > 0) (*env)->GetLongArrayRegion(env, expectations, 0, n, handles);
  vpj_pins_begin_call();
  for (size_t i = 0; i < count; i++) {
    jobject pin = (*env)->GetObjectArrayElement(env, pins, (jsize)i);
    jobject source = (*env)->GetObjectArrayElement(env, sources, (jsize)i);
    jobject vector = (*env)->GetObjectArrayElement(env, vectors, (jsize)i);
    if ((*env)->ExceptionCheck(env)) goto unpin;
    if (pin == NULL) {
      vpj_throw(env, "java/lang/IllegalArgumentException", "a batch item has no pin");
      goto unpin;
    }
    int f64 = vector != NULL && ((*env)->IsInstanceOf(env, vector, g_double_array) ||
                                 (*env)->IsInstanceOf(env, vector, g_double_buffer));
    vpj_arg *p = &lent[3 * i], *s = &lent[3 * i + 1], *v = &lent[3 * i + 2];
    if (!batch_lend(env, p, pin, VPJ_BYTES) || !batch_lend(env, s, source, VPJ_BYTES) ||
        !batch_lend(env, v, vector, f64 ? VPJ_F64 : VPJ_F32))
      goto unpin;
    items[i].version = VECTORPIN_BATCH_ITEM_VERSION;
    items[i].pin_json = (const char *)p->ptr;
    items[i].pin_json_len = p->len;
    items[i].source = (const char *)s->ptr; /* NULL when not supplied */
    items[i].source_len = s->len;
    items[i].vector = v->ptr;
    items[i].dim = v->len;
    items[i].vector_dtype = f64 ? VECTORPIN_DTYPE_F64 : VECTORPIN_DTYPE_F32;
    items[i].expectations = (const vectorpin_expectations *)(intptr_t)handles[i];
  }
  vpj_pins_begin_call(); /* released below, one by one */
  rc = vectorpin_verify_batch(verifier, results, items, count, threads, err);
  for (size_t i = 0; i < 3 * count; i++) vpj_release(env, &lent[i]);
  if (rc == VECTORPIN_OK) {
    for (size_t i = 0; i < count; i++) {
      jint code = results[i].code;
      jlong offset = results[i].offset;
      (*env)->SetIntArrayRegion(env, codes, (jsize)i, 1, &code);
      (*env)->SetLongArrayRegion(env, offsets, (jsize)i, 1, &offset);
      size_t len = bounded_len(results[i].message, sizeof results[i].message);
      if (len > 0) {
        jbyteArray m = vpj_new_bytes(env, results[i].message, len);
        if (m == NULL) break;
        (*env)->SetObjectArrayElement(env, messages, (jsize)i, m);
        (*env)->DeleteLocalRef(env, m);
      }
    }
  }
  goto done;
unpin:
  /* vpj_pin already released everything if it was the one that failed;
   * otherwise release what was lent so far. */
  for (size_t i = 0; i < 3 * count; i++) vpj_release(env, &lent[i]);
  vpj_pins_begin_call();
  rc = VECTORPIN_INVALID_ARGUMENT;
done:
  free(lent);
  free(items);
  free(results);
  free(handles);
  (*env)->PopLocalFrame(env, NULL);
  return rc;
}
