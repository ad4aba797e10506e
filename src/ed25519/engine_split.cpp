// The engine with its field products built from 64-bit multiplies only
// (field_split.hpp): the default on WebAssembly, where a 128-bit product
// is a library call, and compiled on every target so the same differential
// tests and fuzzing check it on every run (VECTORPIN_ED25519_IMPL=split
// chooses it elsewhere).
#define ED25519_VARIANT split
#define ED25519_SPLIT_PRODUCTS
#include "ed25519/engine_impl.hpp"

namespace vectorpin {
namespace ed25519 {

const VariantOps kSplitOps = split::make_ops(Impl::Split);

}  // namespace ed25519
}  // namespace vectorpin
