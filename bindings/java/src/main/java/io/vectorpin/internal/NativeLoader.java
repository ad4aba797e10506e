package io.vectorpin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Loads the native libraries once per class loader and checks that the C
 * library speaks the ABI this binding was written for.
 *
 * <p>By default the libraries come out of the jar
 * ({@code io/vectorpin/native/<os>-<arch>/}): they are copied into a fresh
 * directory that only the current user may enter, loaded, and deleted again
 * (a loaded library stays mapped on POSIX systems). With the system property
 * {@code vectorpin.native=library-path} the JNI library is loaded with
 * {@link System#loadLibrary} instead, from {@code java.library.path}, and it
 * finds libvectorpin through the dynamic linker.
 *
 * <p>Internal; not part of the public API.
 */
public final class NativeLoader {
  /** The C ABI version this binding was written for. */
  public static final long EXPECTED_ABI_VERSION = 2;

  private static final String CORE = "libvectorpin.so." + EXPECTED_ABI_VERSION;
  private static final String JNI = "libvectorpin_jni.so";

  private static boolean loaded;
  private static String origin = "";

  private NativeLoader() {}

  /** Loads the libraries unless already done; throws UnsatisfiedLinkError on failure. */
  public static synchronized void load() {
    if (loaded) return;
    String mode = System.getProperty("vectorpin.native", "jar");
    if (mode.equals("library-path")) {
      System.loadLibrary("vectorpin_jni");
      origin = "java.library.path";
    } else if (mode.equals("jar")) {
      loadFromJar();
    } else {
      throw new UnsatisfiedLinkError(
          "vectorpin.native must be \"jar\" or \"library-path\", not \"" + mode + "\"");
    }
    // The glue and the library must both be on EXPECTED_ABI_VERSION: a mismatched system
    // copy would otherwise corrupt memory instead of failing. The native
    // methods may be called here although VectorPinNativeJNI is still being
    // initialised: it is this thread that initialises it.
    long glue = VectorPinNativeJNI.vpj_compiled_abi_version();
    long library = VectorPinNativeJNI.vectorpin_abi_version();
    if (glue != EXPECTED_ABI_VERSION || library != EXPECTED_ABI_VERSION) {
      throw new UnsatisfiedLinkError(
          "libvectorpin ABI version " + library + " (JNI glue built for " + glue
              + "), but this binding needs ABI version " + EXPECTED_ABI_VERSION
              + "; loaded from " + origin);
    }
    loaded = true;
  }

  /** Where the libraries were loaded from: "jar" or "java.library.path" (empty before loading). */
  public static synchronized String origin() {
    return origin;
  }

  /** The resource folder for this platform, e.g. "linux-x86_64". */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64")) arch = "x86_64";
    if (arch.equals("arm64")) arch = "aarch64";
    if (os.startsWith("linux")) os = "linux";
    return os + "-" + arch;
  }

  private static void loadFromJar() {
    String folder = "/io/vectorpin/native/" + platform() + "/";
    if (NativeLoader.class.getResource(folder + JNI) == null) {
      throw new UnsatisfiedLinkError(
          "this vectorpin jar carries no native library for " + platform()
              + "; build it on this platform or use -Dvectorpin.native=library-path");
    }
    Path dir = null;
    try {
      // Owner-only from the start: another local user must never get the
      // chance to swap a library between extraction and loading.
      dir = Files.createTempDirectory("vectorpin-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path core = extract(folder + CORE, dir.resolve(CORE));
      Path jni = extract(folder + JNI, dir.resolve(JNI));
      // The core first: the glue's dependency on libvectorpin.so.N is then
      // satisfied by the library already loaded under that soname.
      System.load(core.toString());
      System.load(jni.toString());
      origin = "jar";
    } catch (IOException e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError("cannot unpack the vectorpin native libraries: " + e.getMessage());
      error.initCause(e);
      throw error;
    } finally {
      if (dir != null) deleteQuietly(dir);
    }
  }

  private static Path extract(String resource, Path target) throws IOException {
    try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
      if (in == null) throw new IOException("resource " + resource + " missing from the jar");
      Files.createFile(target,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
        in.transferTo(out);
      }
    }
    return target;
  }

  private static void deleteQuietly(Path dir) {
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: a leftover private directory in the temp dir is harmless.
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      dir.toFile().deleteOnExit();
    }
  }
}
