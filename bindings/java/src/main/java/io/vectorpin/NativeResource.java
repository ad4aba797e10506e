package io.vectorpin;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A native handle shared by many threads and freed exactly once.
 *
 * <p>Calls that only read the object hold the shared lock for the length of
 * the native call, so {@link #close()} (and, for a verifier, adding keys,
 * which the C library needs exclusive access for) waits until they are done
 * instead of freeing memory under their feet. After close every call throws
 * {@link IllegalStateException}; a second close does nothing.
 */
abstract class NativeResource implements AutoCloseable {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String what;
  private long handle;

  NativeResource(long handle, String what) {
    if (handle == 0) throw new IllegalStateException("no native " + what);
    this.handle = handle;
    this.what = what;
  }

  /** Takes the shared lock and returns the live handle; pair with {@link #release()}. */
  final long acquire() {
    lock.readLock().lock();
    if (handle == 0) {
      lock.readLock().unlock();
      throw closed();
    }
    return handle;
  }

  final void release() {
    lock.readLock().unlock();
  }

  /** Takes the exclusive lock and returns the live handle; pair with {@link #releaseExclusive()}. */
  final long acquireExclusive() {
    lock.writeLock().lock();
    if (handle == 0) {
      lock.writeLock().unlock();
      throw closed();
    }
    return handle;
  }

  final void releaseExclusive() {
    lock.writeLock().unlock();
  }

  private IllegalStateException closed() {
    return new IllegalStateException("this " + what + " is closed");
  }

  /**
   * True once {@link #close()} has run.
   *
   * @return true once {@link #close()} has run
   */
  public final boolean isClosed() {
    lock.readLock().lock();
    try {
      return handle == 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the native object; waits for calls in progress; idempotent. */
  @Override
  public final void close() {
    lock.writeLock().lock();
    try {
      if (handle == 0) return;
      long h = handle;
      handle = 0;
      free(h);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Releases the native object (called once, under the exclusive lock). */
  abstract void free(long handle);
}
