package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.Status;
import io.vectorpin.VerificationInput;
import io.vectorpin.VerificationResult;
import io.vectorpin.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One verifier (and one signer) shared by many threads. */
class ConcurrencyTest {
  @Test
  void oneVerifierManyThreads() throws Exception {
    int threads = 8;
    int rounds = 300;
    try (Signer signer = Signer.fromSeed("shared", TestSupport.seed()); Verifier v = new Verifier()) {
      v.addKey("shared", signer.publicKey());
      List<String> pins = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        float[] vec = {i, i + 0.5f, -i};
        vectors.add(vec);
        try (Pin p = signer.pin("text " + i, "m", vec, new PinOptions().recordId("r" + i))) {
          pins.add(p.toJson());
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger checked = new AtomicInteger();
      List<Future<String>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int seed = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int r = 0; r < rounds; r++) {
            int i = (seed * 7 + r) % pins.size();
            int kind = r % 4;
            VerificationInput in = new VerificationInput().source(kind == 1 ? "wrong" : "text " + i)
                .vector(kind == 2 ? new float[] {9f, 9f, 9f} : vectors.get(i))
                .expectRecordId(kind == 3 ? "other" : "r" + i);
            Status want = kind == 0 ? Status.OK
                : kind == 1 ? Status.SOURCE_MISMATCH : kind == 2 ? Status.VECTOR_TAMPERED : Status.RECORD_MISMATCH;
            VerificationResult got = v.verifyJson(pins.get(i), in);
            if (got.status() != want) return "thread " + seed + " round " + r + ": " + got + " instead of " + want;
            if (r % 50 == 0) {
              // The signer is shared as well.
              try (Pin p = signer.pin("x", "m", new float[] {r})) {
                if (!v.verify(p).isOk()) return "fresh pin did not verify";
              }
            }
            checked.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<String> f : futures) assertEquals(null, f.get());
      pool.shutdown();
      assertEquals(threads * rounds, checked.get());
    }
  }

  /** Closing while other threads verify: they get results or IllegalStateException, never a crash. */
  @Test
  void closeWhileInUse() throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      Signer signer = Signer.fromSeed("k", TestSupport.seed());
      Verifier v = new Verifier();
      v.addKey("k", signer.publicKey());
      String pin;
      try (Pin p = signer.pin("s", "m", new float[] {1f})) {
        pin = p.toJson();
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          boolean seenClosed = false;
          for (int r = 0; r < 2000; r++) {
            try {
              if (!v.verifyJson(pin).isOk()) throw new AssertionError("valid pin refused");
              if (seenClosed) throw new AssertionError("a closed verifier verified again");
              ok.incrementAndGet();
            } catch (IllegalStateException closed) {
              seenClosed = true;
              refused.incrementAndGet();
            }
          }
        }));
      }
      Thread.sleep(2);
      v.close();
      signer.close();
      for (Future<?> f : futures) f.get();
      pool.shutdown();
      assertTrue(v.isClosed());
      // Every call either verified or was refused, and none after the close.
      assertEquals(4 * 2000, ok.get() + refused.get());
      assertThrows(IllegalStateException.class, () -> v.verifyJson(pin));
    }
  }
}
