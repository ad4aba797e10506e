# Cross-compiling for aarch64 Linux with Debian's cross toolchain
# (g++-aarch64-linux-gnu) and multiarch libraries (libsodium-dev:arm64 etc.).
#   cmake -S . -B build-aarch64 --toolchain cmake/toolchains/linux-aarch64.cmake
# Test programs run through qemu-aarch64 (CMAKE_CROSSCOMPILING_EMULATOR), so
# ctest and gtest's test discovery work as on the host.
set(VECTORPIN_CROSS_TRIPLE aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
