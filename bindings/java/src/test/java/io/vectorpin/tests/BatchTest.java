package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.BatchItem;
import io.vectorpin.VerificationInput;
import io.vectorpin.VerificationResult;
import io.vectorpin.VerificationStream;
import io.vectorpin.Verifier;
import io.vectorpin.tools.Json;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole-batch and streaming verification give exactly the one-at-a-time results. */
class BatchTest {
  private static List<BatchItem> items(List<VerificationResult> expected, Verifier v) {
    List<BatchItem> items = new ArrayList<>();
    for (String file : new String[] {"v2.json", "negative_v2.json", "upstream/negative_v2.json"}) {
      Map<String, Object> doc = TestSupport.load(file);
      for (Object o : Json.array(doc.get("fixtures"))) {
        Map<String, Object> f = Json.object(o);
        VerificationInput in = new VerificationInput();
        Map<String, Object> input = f.get("input") == null ? null : Json.object(f.get("input"));
        if (input != null) {
          in.source((String) input.get("source"));
          Object vec = TestSupport.vector(input.get("vec_b64"), input.get("vec_dtype"));
          // Every other item as a direct buffer.
          if (items.size() % 2 == 0) {
            Object d = TestSupport.direct(vec);
            if (d instanceof FloatBuffer) in.vector((FloatBuffer) d);
            else in.vector((DoubleBuffer) d);
          } else if (vec instanceof float[]) {
            in.vector((float[]) vec);
          } else {
            in.vector((double[]) vec);
          }
          in.expectModel((String) input.get("model"));
        }
        if (f.containsKey("tampered_vec_b64")) {
          Object vec = TestSupport.vector(f.get("tampered_vec_b64"), f.get("vec_dtype"));
          if (vec instanceof float[]) in.vector((float[]) vec);
          else in.vector((double[]) vec);
        }
        if (f.containsKey("nan_vec_b64")) {
          Object vec = TestSupport.vector(f.get("nan_vec_b64"), f.get("vec_dtype"));
          if (vec instanceof float[]) in.vector((float[]) vec);
          else in.vector((double[]) vec);
        }
        if (f.containsKey("tampered_source")) in.source((String) f.get("tampered_source"));
        if (f.containsKey("expected_model")) in.expectModel((String) f.get("expected_model"));
        if (f.containsKey("expected_record_id")) in.expectRecordId((String) f.get("expected_record_id"));
        byte[] pin = ((String) f.get("pin_json")).getBytes(StandardCharsets.UTF_8);
        items.add(BatchItem.of(pin, in));
        expected.add(v.verifyJson(pin, in));
      }
    }
    // A pin that is not even JSON, and one with no checks at all.
    items.add(BatchItem.of(new byte[] {(byte) 0xff, '{'}, null));
    expected.add(v.verifyJson(new byte[] {(byte) 0xff, '{'}, null));
    return items;
  }

  private static void assertSame(List<VerificationResult> expected, List<VerificationResult> got) {
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).code(), got.get(i).code(), "item " + i);
      assertEquals(expected.get(i).message(), got.get(i).message(), "item " + i);
      assertEquals(expected.get(i).offset(), got.get(i).offset(), "item " + i);
    }
  }

  @Test
  void verifyBatchEqualsOneAtATime() {
    try (Verifier v = new Verifier()) {
      v.addKey("test-vectors-v2-2026-05", TestSupport.TEST_PUBLIC_KEY);
      List<VerificationResult> expected = new ArrayList<>();
      List<BatchItem> items = items(expected, v);
      assertTrue(items.size() > 30);
      long ok = expected.stream().filter(VerificationResult::isOk).count();
      assertTrue(ok >= 4 && ok < expected.size(), "the batch mixes passes and failures");
      for (int threads : new int[] {0, 1, 3}) assertSame(expected, v.verifyBatch(items, threads));
      assertEquals(List.of(), v.verifyBatch(List.of(), 2));
      assertThrows(io.vectorpin.VectorPinException.class, () -> v.verifyBatch(items, 100000));
    }
  }

  @Test
  void streamEqualsOneAtATime() {
    try (Verifier v = new Verifier()) {
      v.addKey("test-vectors-v2-2026-05", TestSupport.TEST_PUBLIC_KEY);
      List<VerificationResult> expected = new ArrayList<>();
      List<BatchItem> items = items(expected, v);
      // Re-derive inputs by submitting the same items through the stream.
      List<VerificationResult> got = new ArrayList<>();
      try (VerificationStream s = v.openStream(2)) {
        assertEquals(2, s.threads());
        assertEquals(Optional.empty(), s.next(false));
        int submitted = 0;
        for (BatchItem item : items) {
          s.submit(submitted++, item);
          // Keep at most 5 in flight.
          while (s.pending() > 5) got.add(take(s, got.size()));
        }
        while (s.pending() > 0) got.add(take(s, got.size()));
        assertEquals(Optional.empty(), s.next(true));
        // Keys cannot change under the workers.
        assertThrows(IllegalStateException.class, () -> v.addKey("x", TestSupport.TEST_PUBLIC_KEY));
      }
      assertSame(expected, got);
      v.addKey("x", TestSupport.TEST_PUBLIC_KEY); // allowed again once the stream is closed
    }
  }

  private static VerificationResult take(VerificationStream s, long expectedCookie) {
    VerificationStream.Result r = s.next(true).orElseThrow();
    assertEquals(expectedCookie, r.cookie(), "results come back in submission order");
    return r.result();
  }

  @Test
  void closingTheVerifierClosesItsStreams() {
    Verifier v = new Verifier();
    v.addKey("test-vectors-v2-2026-05", TestSupport.TEST_PUBLIC_KEY);
    VerificationStream s = v.openStream(1);
    s.submit(1, "{}", null);
    v.close();
    assertTrue(s.isClosed());
    assertThrows(IllegalStateException.class, () -> s.next(true));
    s.close();
  }
}
