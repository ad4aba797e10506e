// ED25519_INLINE: the field multiplication and squaring are small enough
// that a call costs a noticeable share of them, and large enough that
// compilers decline to inline them on their own; every point operation is a
// handful of them.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define ED25519_INLINE inline __attribute__((always_inline))
#else
#define ED25519_INLINE inline
#endif
