/*
 * Support code for the SWIG-generated JNI layer (vectorpin.i): how Java
 * memory is lent to the C library, the error struct handed back to Java, and
 * the trampoline that lets a Java object act as an external signer.
 */
#ifndef VECTORPIN_JNI_SUPPORT_H
#define VECTORPIN_JNI_SUPPORT_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include "vectorpin.h"

/* Element kinds a (pointer, length) argument may hold. */
enum { VPJ_BYTES = 1, VPJ_F32 = 2, VPJ_F64 = 3 };

/* How one Java input is lent to C for the duration of a call. */
enum {
  VPJ_NONE = 0,      /* null, empty, or a direct buffer: nothing to release */
  VPJ_CRITICAL = 1,  /* Get/ReleasePrimitiveArrayCritical: no copy */
  VPJ_ELEMENTS = 2   /* Get/Release<T>ArrayElements with JNI_ABORT */
};

typedef struct vpj_arg {
  jarray array;   /* the heap array still to be pinned, or NULL */
  void *ptr;      /* what C receives */
  size_t len;     /* element count */
  int kind;
  int mode;
  int pinned;
  struct vpj_arg *next; /* see vpj_pin */
} vpj_arg;

/* First phase, in the argument-conversion code: checks the Java value and
 * works out its length. May call JNI and throw (returns 0 then); never pins,
 * so an early return leaves nothing behind. */
int vpj_arg_prepare(JNIEnv *env, vpj_arg *a, jobject value, int kind, const char *function);

/* Second phase, once every argument is converted: pins heap arrays. Between
 * the first critical pin and the call no other JNI function may run, which
 * is why pinning is a separate phase. If a pin fails, every argument pinned
 * so far for this call is released and 0 returned with an exception
 * pending. */
int vpj_pin(JNIEnv *env, vpj_arg *a);

/* Forgets the arguments pinned for the call about to be made; called just
 * before the C function runs so that a nested call (from a Java signer
 * callback) starts with an empty list. */
void vpj_pins_begin_call(void);

/* After the call: releases the argument (read-only: changes are dropped). */
void vpj_release(JNIEnv *env, vpj_arg *a);

/* Copies a C error into a io.vectorpin.internal.NativeError (if not null). */
void vpj_store_error(JNIEnv *env, jobject target, const vectorpin_error *err);

/* Returns a new Java byte[] holding len bytes (NULL with an exception pending
 * on failure). */
jbyteArray vpj_new_bytes(JNIEnv *env, const void *data, size_t len);

/* Stores value at holder[0] for an Object[] holder (a no-op for null). */
void vpj_store_object(JNIEnv *env, jobjectArray holder, jobject value);

/* Checks that holder is an array of at least one element; throws otherwise. */
int vpj_check_holder(JNIEnv *env, jarray holder, const char *what);

/* External signing through a Java io.vectorpin.internal.SignCallback. */
jlong vpj_callback_new(JNIEnv *env, jobject callback);
void vpj_callback_free(JNIEnv *env, jlong context);
vectorpin_status vpj_signer_external(vectorpin_signer **out_signer, const char *kid, size_t kid_len,
                                     const uint8_t *public_key, size_t public_key_len, jlong context,
                                     vectorpin_error *err);

/* vectorpin_verify_batch over Java arrays of equal length: pins[i] (byte[]
 * or direct ByteBuffer), sources[i] (the same, or null), vectors[i] (float[],
 * double[], direct FloatBuffer / DoubleBuffer, or null), expectations[i] (a
 * handle or 0). Results go to codes[i], offsets[i], messages[i] (UTF-8 byte[]
 * or null when empty). Heap arrays are lent with Get<T>ArrayElements, not
 * as critical regions: the call lasts as long as the whole batch, and a
 * critical region held that long would stall the garbage collector. */
vectorpin_status vpj_verify_batch(JNIEnv *env, const vectorpin_verifier *verifier, jobjectArray pins,
                                  jobjectArray sources, jobjectArray vectors, jlongArray expectations,
                                  uint32_t threads, jintArray codes, jlongArray offsets, jobjectArray messages,
                                  vectorpin_error *err);

/* The ABI version the glue was compiled against. */
uint32_t vpj_compiled_abi_version(void);

void vpj_throw(JNIEnv *env, const char *class_name, const char *message);

#endif
