package dev.backspin.support;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A logback appender that keeps only the last {@code capacity} events, in memory, so that a test
 * run can stay quiet and still show a failing test's server log ({@link LogOnFailure}).
 */
public final class RecentLogEvents extends AppenderBase<ILoggingEvent> {

  // formatted at once: a kept event would hold on to its arguments, which may be large
  private final ArrayDeque<String> ring = new ArrayDeque<>();
  private int capacity = 2000;
  private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
  private PatternLayout layout;
  private long dropped;

  /** The most events kept; older ones are dropped (and counted). */
  public void setCapacity(int capacity) {
    this.capacity = capacity;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    if (capacity < 1) {
      addError("capacity must be at least 1, got " + capacity);
      return;
    }
    layout = new PatternLayout();
    layout.setContext(getContext());
    layout.setPattern(pattern);
    layout.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (ring.size() == capacity) {
      ring.removeFirst();
      dropped++;
    }
    ring.addLast(layout.doLayout(event));
  }

  /** The events kept, formatted, and forgets them. */
  public synchronized List<String> drain() {
    List<String> lines = new ArrayList<>(ring.size() + 1);
    if (dropped > 0) {
      lines.add("(" + dropped + " earlier event(s) dropped: only the last " + capacity + " are kept)\n");
    }
    lines.addAll(ring);
    clear();
    return lines;
  }

  /** Forgets the events kept. */
  public synchronized void clear() {
    ring.clear();
    dropped = 0;
  }

  /** The appenders of this kind on the root logger (none if logback is configured without one). */
  public static List<RecentLogEvents> installed() {
    List<RecentLogEvents> found = new ArrayList<>();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      Iterator<?> it = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
      while (it.hasNext()) {
        if (it.next() instanceof RecentLogEvents r) {
          found.add(r);
        }
      }
    }
    return found;
  }
}
