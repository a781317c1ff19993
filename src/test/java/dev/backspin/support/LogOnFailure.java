package dev.backspin.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints the log kept by {@link RecentLogEvents} when a test fails, and forgets it when a test
 * ends otherwise: the console stays quiet, and a failure still shows what its server said.
 * Registered for every test by autodetection (META-INF/services, junit-platform.properties).
 * What was kept is forgotten only when a test ends, so a failing test's log starts with its
 * class's {@code @BeforeAll} start-up.
 */
public final class LogOnFailure implements TestWatcher, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    print(context);
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    forget();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    forget();
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    forget();
  }

  // a class whose set-up or tear-down fails has no test to watch
  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    print(context);
    throw failure;
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    print(context);
    throw failure;
  }

  private static void print(ExtensionContext context) {
    PrintStream out = System.out;
    for (RecentLogEvents events : RecentLogEvents.installed()) {
      List<String> lines = events.drain();
      out.println("---- log of " + name(context) + " (" + lines.size() + " event(s), failed) ----");
      lines.forEach(out::print);
      out.println("---- end of log ----");
    }
    out.flush();
  }

  /** The class, the test and its run, as the report names them: {@code EchoIT > [nio] > lines()}. */
  private static String name(ExtensionContext context) {
    List<String> names = new ArrayList<>();
    for (ExtensionContext c = context; c.getParent().isPresent(); c = c.getParent().get()) {
      names.add(0, c.getDisplayName());
    }
    return String.join(" > ", names);
  }

  private static void forget() {
    RecentLogEvents.installed().forEach(RecentLogEvents::clear);
  }
}
