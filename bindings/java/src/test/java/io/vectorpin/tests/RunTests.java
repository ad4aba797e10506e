package io.vectorpin.tests;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the JUnit 5 tests of this package through the JUnit Platform
 * launcher, prints one line per test and ends with the plain
 * "N passed, N failed" line CI reads. Skipped or aborted tests count as
 * failed: nothing here is allowed to be skipped.
 */
public final class RunTests {
  private RunTests() {}

  /** The failure and its frames in this project's code; the JUnit machinery below them is noise. */
  private static void describe(Throwable t, PrintWriter out) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.println((c == t ? "  " : "  caused by: ") + c);
      for (StackTraceElement e : c.getStackTrace()) {
        if (e.getClassName().startsWith("io.vectorpin")) out.println("      at " + e);
      }
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    AtomicInteger passed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionSkipped(TestIdentifier id, String reason) {
        if (!id.isTest()) return;
        failed.incrementAndGet();
        out.println("SKIPPED (counted as failed) " + id.getDisplayName() + ": " + reason);
      }

      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
          if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // A failing container (e.g. @BeforeAll) fails its tests without running them.
            failed.incrementAndGet();
            out.println("FAILED container " + id.getDisplayName());
            result.getThrowable().ifPresent(t -> describe(t, out));
          }
          return;
        }
        String name = id.getLegacyReportingName();
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
          passed.incrementAndGet();
          out.println("ok     " + name);
        } else {
          failed.incrementAndGet();
          out.println("FAILED " + name + " (" + result.getStatus() + ")");
          result.getThrowable().ifPresent(t -> describe(t, out));
        }
      }
    };
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectPackage("io.vectorpin.tests")).build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, listener);
    out.println(passed.get() + " passed, " + failed.get() + " failed");
    out.flush();
    System.exit(failed.get() == 0 && passed.get() > 0 ? 0 : 1);
  }
}
