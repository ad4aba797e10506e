# Cross-compiling for s390x Linux with Debian's cross toolchain
# (g++-s390x-linux-gnu) and multiarch libraries (libsodium-dev:s390x etc.).
#   cmake -S . -B build-s390x --toolchain cmake/toolchains/linux-s390x.cmake
# Test programs run through qemu-s390x (CMAKE_CROSSCOMPILING_EMULATOR), so
# ctest and gtest's test discovery work as on the host.
set(VECTORPIN_CROSS_TRIPLE s390x-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
