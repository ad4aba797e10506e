// The engine in plain C++ (64-bit limbs, 128-bit products): every target.
#define ED25519_VARIANT portable
#include "ed25519/engine_impl.hpp"

namespace vectorpin {
namespace ed25519 {

const VariantOps kPortableOps = portable::make_ops(Impl::Portable);

}  // namespace ed25519
}  // namespace vectorpin
