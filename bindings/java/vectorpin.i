/*
 * SWIG interface for the JNI layer of the Java binding. SWIG turns it into
 * io.vectorpin.internal.VectorPinNative (+ ...JNI) and vectorpin_wrap.c at
 * build time; the hand-written facade in io.vectorpin is the public API.
 *
 * Conventions of the generated layer (one Java shape per C shape):
 *   handle pointers                 long (0 is NULL)
 *   T **out_handle                  long[1] receiving the handle
 *   (const char*|uint8_t*, size_t)  Object: byte[] or direct ByteBuffer (null: NULL, 0)
 *   (const float*, size_t)          Object: float[] or direct FloatBuffer
 *   (const double*, size_t)         Object: double[] or direct DoubleBuffer
 *   (char *out, size_t cap)         String[1] receiving the text
 *   (char|uint8_t **out, size_t *)  byte[][1] receiving a copy (library memory freed here)
 *   (const char **out, size_t *)    byte[][1] receiving a copy of the borrowed bytes
 *   (uint8_t *out, size_t len)      byte[] filled in place
 *   vectorpin_error *               NativeError (null: not requested)
 *   enums                           int constants
 *   jobjectArray / jlongArray / ... the Java array itself (glue helpers only)
 *
 * Inputs are lent in two phases (see vectorpin_jni_support.h): the "in" code
 * only inspects them, the "check" code pins heap arrays once nothing else
 * needs the JNI environment, "argout" releases them, and everything handed
 * back to Java is written in "freearg", which SWIG emits after every
 * "argout" — that is, after the last critical region is closed.
 */
%module VectorPinNative

%{
#include <string.h>
#include "vectorpin.h"
#include "vectorpin_jni_support.h"
%}

%include <stdint.i>
%include "enumtypeunsafe.swg"
%javaconst(1);
/* Java has no unsigned suffix. */
%javaconstvalue("1") VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS;
%javaconstvalue("1") VECTORPIN_SAVE_PEM;

%pragma(java) jniclasscode=%{
  static {
    NativeLoader.load();
  }
%}

/* A pin made for a call must not outlive it, even in a nested call. */
%exception %{
  vpj_pins_begin_call();
  $action
%}

/* ---- handles -------------------------------------------------------------- */

%define VPJ_HANDLE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}

%typemap(jni) TYPE ** "jlongArray"
%typemap(jtype) TYPE ** "long[]"
%typemap(jstype) TYPE ** "long[]"
%typemap(javain) TYPE ** "$javainput"
%typemap(in) TYPE ** (TYPE *handle = NULL) %{
  if (!vpj_check_holder(jenv, (jarray)$input, "handle holder must be a long[1]")) return $null;
  $1 = &handle;
%}
%typemap(freearg) TYPE ** %{
  if (handle$argnum != NULL) {
    jlong value = (jlong)(intptr_t)handle$argnum;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &value);
  }
%}
%enddef

VPJ_HANDLE(vectorpin_signer)
VPJ_HANDLE(vectorpin_pin)
VPJ_HANDLE(vectorpin_pin_options)
VPJ_HANDLE(vectorpin_verifier)
VPJ_HANDLE(vectorpin_expectations)
VPJ_HANDLE(vectorpin_batch)

/* ---- inputs --------------------------------------------------------------- */

%define VPJ_INPUT(CTYPE, KIND)
%typemap(jni) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) "jobject"
%typemap(jtype) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) "Object"
%typemap(jstype) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) "Object"
%typemap(javain) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) "$javainput"
%typemap(in) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) (vpj_arg lent) %{
  if (!vpj_arg_prepare(jenv, &lent, $input, KIND, "$symname")) return $null;
%}
%typemap(check) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) %{
  if (!vpj_pin(jenv, &lent$argnum)) return $null;
  $1 = ($1_ltype)lent$argnum.ptr;
  $2 = lent$argnum.len;
%}
%typemap(argout) (CTYPE *VPJ_IN, size_t VPJ_IN_LEN) %{ vpj_release(jenv, &lent$argnum); %}
%enddef

VPJ_INPUT(const char, VPJ_BYTES)
VPJ_INPUT(const uint8_t, VPJ_BYTES)
VPJ_INPUT(const float, VPJ_F32)
VPJ_INPUT(const double, VPJ_F64)

/* SWIG matches multi-argument typemaps by name: every (pointer, length) pair
 * of the header is listed here. The build fails if one is missed (it would
 * show up as a SWIGTYPE_p_ class). */
%apply (const char *VPJ_IN, size_t VPJ_IN_LEN) {
  (const char *dir, size_t dir_len), (const char *json, size_t json_len), (const char *key, size_t key_len),
  (const char *kid, size_t kid_len), (const char *model, size_t model_len),
  (const char *model_hash, size_t model_hash_len), (const char *path, size_t path_len),
  (const char *pin_json, size_t pin_json_len), (const char *source, size_t source_len),
  (const char *text, size_t text_len), (const char *ts, size_t ts_len),
  (const char *valid_from, size_t valid_from_len), (const char *valid_until, size_t valid_until_len),
  (const char *value, size_t value_len)
}
%apply (const uint8_t *VPJ_IN, size_t VPJ_IN_LEN) {
  (const uint8_t *data, size_t data_len), (const uint8_t *key_data, size_t key_data_len),
  (const uint8_t *public_key, size_t public_key_len), (const uint8_t *seed, size_t seed_len)
}
%apply (const float *VPJ_IN, size_t VPJ_IN_LEN) { (const float *vector, size_t dim) }
%apply (const double *VPJ_IN, size_t VPJ_IN_LEN) { (const double *vector, size_t dim) }

/* ---- outputs -------------------------------------------------------------- */

/* Fixed-size text (hashes, fingerprints, timestamps): ASCII by contract. */
%typemap(jni) (char *out, size_t out_cap) "jobjectArray"
%typemap(jtype) (char *out, size_t out_cap) "String[]"
%typemap(jstype) (char *out, size_t out_cap) "String[]"
%typemap(javain) (char *out, size_t out_cap) "$javainput"
%typemap(in) (char *out, size_t out_cap) (char text[128]) %{
  if (!vpj_check_holder(jenv, (jarray)$input, "text holder must be a String[1]")) return $null;
  text[0] = 0;
  $1 = text;
  $2 = sizeof text;
%}
%typemap(freearg) (char *out, size_t out_cap) %{
  if (text$argnum[0] != 0) {
    jstring s = (*jenv)->NewStringUTF(jenv, text$argnum);
    if (s != NULL) vpj_store_object(jenv, $input, s);
  }
%}

/* Memory the library allocates: copied into a byte[], then released. */
%define VPJ_ALLOCATED_OUTPUT(CTYPE)
%typemap(jni) (CTYPE **out, size_t *out_len) "jobjectArray"
%typemap(jtype) (CTYPE **out, size_t *out_len) "byte[][]"
%typemap(jstype) (CTYPE **out, size_t *out_len) "byte[][]"
%typemap(javain) (CTYPE **out, size_t *out_len) "$javainput"
%typemap(in) (CTYPE **out, size_t *out_len) (CTYPE *data = NULL, size_t size = 0) %{
  if (!vpj_check_holder(jenv, (jarray)$input, "output holder must be a byte[1][]")) return $null;
  $1 = &data;
  $2 = &size;
%}
%typemap(freearg) (CTYPE **out, size_t *out_len) %{
  if (data$argnum != NULL) {
    jbyteArray bytes = vpj_new_bytes(jenv, data$argnum, size$argnum);
    vectorpin_free(data$argnum);
    if (bytes != NULL) vpj_store_object(jenv, $input, bytes);
  }
%}
%enddef

VPJ_ALLOCATED_OUTPUT(char)
VPJ_ALLOCATED_OUTPUT(uint8_t)

/* Bytes borrowed from a handle (kid, pin fields, extras): copied while the
 * handle is certainly alive. */
%typemap(jni) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) "jobjectArray"
%typemap(jtype) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) "byte[][]"
%typemap(jstype) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) "byte[][]"
%typemap(javain) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) "$javainput"
%typemap(in) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) (const char *view = NULL, size_t size = 0) %{
  if (!vpj_check_holder(jenv, (jarray)$input, "output holder must be a byte[1][]")) return $null;
  /* SWIG declares the argument without its const. */
  $1 = ($1_ltype)&view;
  $2 = &size;
%}
%typemap(freearg) (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) %{
  if (view$argnum != NULL) {
    jbyteArray bytes = vpj_new_bytes(jenv, view$argnum, size$argnum);
    if (bytes != NULL) vpj_store_object(jenv, $input, bytes);
  }
%}
%apply (const char **VPJ_VIEW, size_t *VPJ_VIEW_LEN) {
  (const char **out, size_t *out_len), (const char **out_key, size_t *out_key_len),
  (const char **out_value, size_t *out_value_len)
}

/* Small fixed-size binary results (keys, digests, signatures). */
%typemap(jni) (uint8_t *out, size_t out_cap) "jbyteArray"
%typemap(jtype) (uint8_t *out, size_t out_cap) "byte[]"
%typemap(jstype) (uint8_t *out, size_t out_cap) "byte[]"
%typemap(javain) (uint8_t *out, size_t out_cap) "$javainput"
%typemap(in) (uint8_t *out, size_t out_cap) (uint8_t buffer[VECTORPIN_SIGNATURE_BYTES], size_t wanted = 0) %{
  if ($input == NULL) {
    vpj_throw(jenv, "java/lang/IllegalArgumentException", "output array is null");
    return $null;
  }
  memset(buffer, 0, sizeof buffer);
  wanted = (size_t)(*jenv)->GetArrayLength(jenv, $input);
  $1 = buffer;
  $2 = wanted < sizeof buffer ? wanted : sizeof buffer;
%}
%typemap(freearg) (uint8_t *out, size_t out_cap) %{
  (*jenv)->SetByteArrayRegion(jenv, $input, 0, (jsize)$2, (const jbyte *)buffer$argnum);
%}

%typemap(jni) uint64_t *out_cookie "jlongArray"
%typemap(jtype) uint64_t *out_cookie "long[]"
%typemap(jstype) uint64_t *out_cookie "long[]"
%typemap(javain) uint64_t *out_cookie "$javainput"
%typemap(in) uint64_t *out_cookie (uint64_t cookie = 0) %{
  if (!vpj_check_holder(jenv, (jarray)$input, "cookie holder must be a long[1]")) return $null;
  $1 = &cookie;
%}
%typemap(freearg) uint64_t *out_cookie %{
  {
    jlong value = (jlong)cookie$argnum;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &value);
  }
%}

/* Plain 64-bit cookies travel as Java long (same bits). */
%typemap(jni) uint64_t "jlong"
%typemap(jtype) uint64_t "long"
%typemap(jstype) uint64_t "long"
%typemap(javain) uint64_t "$javainput"
%typemap(in) uint64_t %{ $1 = (uint64_t)$input; %}

/* ---- errors --------------------------------------------------------------- */

%typemap(jni) vectorpin_error * "jobject"
%typemap(jtype) vectorpin_error * "NativeError"
%typemap(jstype) vectorpin_error * "NativeError"
%typemap(javain) vectorpin_error * "$javainput"
%typemap(in) vectorpin_error * (vectorpin_error error) %{
  memset(&error, 0, sizeof error);
  $1 = $input != NULL ? &error : NULL;
%}
%typemap(freearg) vectorpin_error * %{ vpj_store_error(jenv, $input, &error$argnum); %}

/* ---- the JNI environment, for the helpers below ------------------------------ */

%typemap(in, numinputs=0) JNIEnv *jenv_arg %{ $1 = jenv; %}
%typemap(jni) jobject callback "jobject"
%typemap(jtype) jobject callback "SignCallback"
%typemap(jstype) jobject callback "SignCallback"
%typemap(javain) jobject callback "$javainput"
%typemap(in) jobject callback %{ $1 = $input; %}
%define VPJ_JNI_ARRAY(JTYPE, JAVATYPE)
%typemap(jni) JTYPE "JTYPE"
%typemap(jtype) JTYPE "JAVATYPE"
%typemap(jstype) JTYPE "JAVATYPE"
%typemap(javain) JTYPE "$javainput"
%typemap(in) JTYPE %{ $1 = $input; %}
%enddef
VPJ_JNI_ARRAY(jobjectArray, Object[])
VPJ_JNI_ARRAY(jlongArray, long[])
VPJ_JNI_ARRAY(jintArray, int[])
%typemap(jni) jlong "jlong"
%typemap(jtype) jlong "long"
%typemap(jstype) jlong "long"
%typemap(javain) jlong "$javainput"
%typemap(in) jlong %{ $1 = $input; %}
%typemap(out) jlong %{ $result = $1; %}
%typemap(javaout) jlong { return $jnicall; }

/* ---- what is wrapped -------------------------------------------------------- */

/* Structs travel through the typemaps above, not as proxy classes. */
%ignore vectorpin_error;
%ignore vectorpin_batch_item;
/* Function pointers and caller-laid-out structs have no Java form: the
 * external signer goes through vpj_signer_external and the whole-batch call
 * through vpj_verify_batch, which lay them out from Java values. */
%ignore vectorpin_signer_external;
%ignore vectorpin_verify_batch;
/* Every library allocation is released inside the wrappers. */
%ignore vectorpin_free;

%include "vectorpin.h"

/* Glue-side helpers. */
jlong vpj_callback_new(JNIEnv *jenv_arg, jobject callback);
void vpj_callback_free(JNIEnv *jenv_arg, jlong context);
vectorpin_status vpj_signer_external(vectorpin_signer **out_signer, const char *kid, size_t kid_len,
                                     const uint8_t *public_key, size_t public_key_len, jlong context,
                                     vectorpin_error *err);
vectorpin_status vpj_verify_batch(JNIEnv *jenv_arg, const vectorpin_verifier *verifier, jobjectArray pins,
                                  jobjectArray sources, jobjectArray vectors, jlongArray expectations,
                                  uint32_t threads, jintArray codes, jlongArray offsets, jobjectArray messages,
                                  vectorpin_error *err);
uint32_t vpj_compiled_abi_version(void);
