# Shared part of the Linux cross toolchain files: the including file sets
# VECTORPIN_CROSS_TRIPLE (e.g. aarch64-linux-gnu) and nothing else.
#
# The foreign architecture's libraries (libsodium, utf8proc, sqlite3,
# googletest) come either from multiarch packages installed on the host
# (apt-get install libsodium-dev:arm64 ...), or from a directory the Debian
# packages were unpacked into, given as -DVECTORPIN_CROSS_SYSROOT=DIR
# (scripts/test-cross.sh does the latter).
string(REGEX MATCH "^[^-]+" VECTORPIN_CROSS_CPU "${VECTORPIN_CROSS_TRIPLE}")
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${VECTORPIN_CROSS_CPU})
set(CMAKE_C_COMPILER ${VECTORPIN_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${VECTORPIN_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${VECTORPIN_CROSS_TRIPLE})
set(VECTORPIN_CROSS_SYSROOT "" CACHE PATH "Directory holding the target's unpacked library packages (optional)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES VECTORPIN_CROSS_SYSROOT)

# The cross compiler's own runtime is in /usr/<triple>; multiarch libraries
# are in /usr/lib/<triple>, found below /usr through CMAKE_LIBRARY_ARCHITECTURE.
set(CMAKE_FIND_ROOT_PATH /usr/${VECTORPIN_CROSS_TRIPLE})
set(VECTORPIN_CROSS_LIBDIRS /usr/lib/${VECTORPIN_CROSS_TRIPLE})
if(VECTORPIN_CROSS_SYSROOT)
  list(PREPEND CMAKE_FIND_ROOT_PATH ${VECTORPIN_CROSS_SYSROOT})
  list(PREPEND VECTORPIN_CROSS_LIBDIRS ${VECTORPIN_CROSS_SYSROOT}/usr/lib/${VECTORPIN_CROSS_TRIPLE})
  # Headers of the unpacked packages; the host's /usr/include stays visible
  # for the architecture-independent ones (nlohmann-json).
  include_directories(SYSTEM ${VECTORPIN_CROSS_SYSROOT}/usr/include)
  set(ENV{PKG_CONFIG_SYSROOT_DIR} ${VECTORPIN_CROSS_SYSROOT})
  set(ENV{PKG_CONFIG_LIBDIR} ${VECTORPIN_CROSS_SYSROOT}/usr/lib/${VECTORPIN_CROSS_TRIPLE}/pkgconfig)
else()
  # pkg-config must read the foreign architecture's .pc files only.
  set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${VECTORPIN_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
endif()
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Test programs run through qemu-user: -L points it at the cross runtime
# (ld.so, libc, libstdc++), LD_LIBRARY_PATH at the target's libraries. The
# cross runtime's own directory comes first: on a host that also has the
# target's libc installed as a multiarch package, ld.so would otherwise take
# that libc from the host's ld.so.cache, of another build than the cross
# ld.so, and the two disagree about their shared structures (new threads
# then hang in pthread_create).
find_program(VECTORPIN_QEMU qemu-${VECTORPIN_CROSS_CPU})
if(VECTORPIN_QEMU)
  list(JOIN VECTORPIN_CROSS_LIBDIRS ":" VECTORPIN_CROSS_LD_PATH)
  set(VECTORPIN_CROSS_LD_PATH /usr/${VECTORPIN_CROSS_TRIPLE}/lib:${VECTORPIN_CROSS_LD_PATH})
  set(CMAKE_CROSSCOMPILING_EMULATOR ${VECTORPIN_QEMU} -L /usr/${VECTORPIN_CROSS_TRIPLE}
      -E LD_LIBRARY_PATH=${VECTORPIN_CROSS_LD_PATH})
endif()
