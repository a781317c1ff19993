package dev.backspin.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Prefixes a failure's message with the transport it failed on. The display names say
 * {@code [epoll]}, but Maven's reports number a class's runs {@code [1]}, {@code [2]},
 * {@code [3]} instead, and its failure summary drops even that.
 */
final class TransportInFailures implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw named(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw named(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw named(context, failure);
  }

  private static Throwable named(ExtensionContext context, Throwable failure) {
    if (failure instanceof TestAbortedException || !(context.getTestInstance().orElse(null) instanceof EachTransport test)) {
      return failure; // a skip stays a skip
    }
    return new AssertionError("[" + test.transport.id() + "] " + failure, failure);
  }
}
