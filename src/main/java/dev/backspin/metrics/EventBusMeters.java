package dev.backspin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The event bus's meters, with the names and labels vertx-micrometer-metrics 5.2 gives them
 * ({@code vertx_eventbus_pending{address,side}}, {@code vertx_eventbus_processed_total}, ...), but
 * each meter found once per address and kept. Vert.x's own looks two to four meters up in the
 * registry on every message, through the label filters (a regex): at 64 connections that was 46%
 * of the reverse worker's CPU samples (JFR), and the server ran 20% slower with the metrics on.
 *
 * <p>What is metered: Backspin's addresses ({@code backspin.*}), each front instance's
 * ({@code backspin.reverse.front.<uuid>}, new at every start of a front, on any node of the cluster)
 * folded into {@code backspin.reverse.front.*}, and every socket's write handler
 * ({@code __vertx.net.<uuid>}, one per connection) under the one label value {@link #SOCKETS}. So
 * the series are a fixed few per service, whatever connects or restarts. Vert.x's other made-up
 * addresses ({@code __vertx.*}: request-reply in a cluster) and any other address are not metered.
 */
final class EventBusMeters implements EventBusMetrics<EventBusMeters.Address> {

  static final String SOCKET_PREFIX = "__vertx.net.";
  /** The label value of every socket's write-handler address. */
  static final String SOCKETS = "vertx.net.*";
  private static final String OURS = "backspin.";
  private static final String FRONT = ".front.";
  private static final String NAME = "vertx.eventbus.";

  private final MeterRegistry registry;
  // keyed by label value: a fixed few per service, and SOCKETS for all sockets
  private final ConcurrentHashMap<String, Address> byLabel = new ConcurrentHashMap<>();
  // Backspin's addresses as sent, so a message costs no folding: bounded by the fronts the
  // cluster has started while this node ran (an entry each, the meters shared)
  private final ConcurrentHashMap<String, Address> ours = new ConcurrentHashMap<>();
  private final Function<String, Address> create = Address::new;
  private final Function<String, Address> fold = address -> byLabel.computeIfAbsent(label(address), create);

  EventBusMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The label value an address is metered under, or null if it is not metered. */
  static String label(String address) {
    if (address == null) {
      return null;
    }
    if (address.startsWith(SOCKET_PREFIX)) {
      return SOCKETS;
    }
    if (!address.startsWith(OURS)) {
      return null;
    }
    int front = address.indexOf(FRONT);
    if (front < 0) {
      return address;
    }
    int id = front + FRONT.length();
    int end = address.indexOf('.', id);
    return address.substring(0, id) + "*" + (end < 0 ? "" : address.substring(end));
  }

  private Address of(String address) {
    if (address == null) {
      return null;
    }
    if (address.startsWith(SOCKET_PREFIX)) {
      Address a = byLabel.get(SOCKETS);
      return a != null ? a : byLabel.computeIfAbsent(SOCKETS, create);
    }
    if (!address.startsWith(OURS)) {
      return null;
    }
    Address a = ours.get(address);
    return a != null ? a : ours.computeIfAbsent(address, fold);
  }

  @Override
  public Address handlerRegistered(String address) {
    Address a = of(address);
    if (a != null) {
      a.handlers.increment();
    }
    return a;
  }

  @Override
  public void handlerUnregistered(Address a) {
    if (a != null) {
      a.handlers.decrement();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    Address a = of(address);
    if (a != null) {
      (publish ? a.published : a.sent).side(local).increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlers) {
    Address a = of(address);
    if (a != null) {
      a.received.side(local).increment();
      if (handlers > 0) {
        (local ? a.pendingLocal : a.pendingRemote).add(handlers);
        a.delivered.side(local).increment();
      }
    }
  }

  @Override
  public void messageDelivered(Address a, boolean local) {
    if (a != null) {
      (local ? a.pendingLocal : a.pendingRemote).decrement();
      (local ? a.processedLocal : a.processedRemote).increment();
    }
  }

  @Override
  public void discardMessage(Address a, boolean local, Message<?> msg) {
    if (a != null) {
      (local ? a.pendingLocal : a.pendingRemote).decrement();
      (local ? a.discardedLocal : a.discardedRemote).increment();
    }
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    Address a = of(address);
    if (a != null) {
      a.bytesWritten().record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    Address a = of(address);
    if (a != null) {
      a.bytesRead().record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    String label = label(address);
    if (label != null) { // rare: looked up each time
      Counter.builder(NAME + "reply.failures").description("Number of message reply failures")
        .tags("address", label, "failure", failure.name()).register(registry).increment();
    }
  }

  /**
   * One address's meters. Those of its handlers exist from its first handler on, as in Vert.x;
   * the per-message counters from their first message, so that a series appears once it counts.
   */
  final class Address {
    final String label;
    final LongAdder handlers = new LongAdder();
    final LongAdder pendingLocal = new LongAdder();
    final LongAdder pendingRemote = new LongAdder();
    final Counter processedLocal;
    final Counter processedRemote;
    final Counter discardedLocal;
    final Counter discardedRemote;
    final Sides published = new Sides("published", "Number of messages published (publish / subscribe)");
    final Sides sent = new Sides("sent", "Number of messages sent (point-to-point)");
    final Sides received = new Sides("received", "Number of messages received");
    final Sides delivered = new Sides("delivered", "Number of messages delivered to handlers");
    private volatile DistributionSummary bytesRead;
    private volatile DistributionSummary bytesWritten;

    Address(String label) {
      this.label = label;
      Gauge.builder(NAME + "handlers", handlers, LongAdder::doubleValue).description("Number of event bus handlers in use")
        .tags("address", label).strongReference(true).register(registry);
      gauge("pending", "Number of messages not processed yet", pendingLocal, true);
      gauge("pending", "Number of messages not processed yet", pendingRemote, false);
      processedLocal = counter("processed", "Number of processed messages", true);
      processedRemote = counter("processed", "Number of processed messages", false);
      discardedLocal = counter("discarded", "Number of discarded messages", true);
      discardedRemote = counter("discarded", "Number of discarded messages", false);
    }

    private void gauge(String name, String description, LongAdder value, boolean local) {
      Gauge.builder(NAME + name, value, LongAdder::doubleValue).description(description)
        .tags("address", label, "side", side(local)).strongReference(true).register(registry);
    }

    Counter counter(String name, String description, boolean local) {
      return Counter.builder(NAME + name).description(description).tags("address", label, "side", side(local)).register(registry);
    }

    DistributionSummary bytesRead() {
      DistributionSummary s = bytesRead;
      if (s == null) {
        bytesRead = s = summary("bytes.read", "Number of bytes received while reading messages from event bus cluster peers");
      }
      return s;
    }

    DistributionSummary bytesWritten() {
      DistributionSummary s = bytesWritten;
      if (s == null) {
        bytesWritten = s = summary("bytes.written", "Number of bytes sent while sending messages to event bus cluster peers");
      }
      return s;
    }

    // the registry returns the one meter of a name and tags, so a race here only looks it up twice
    private DistributionSummary summary(String name, String description) {
      return DistributionSummary.builder(NAME + name).description(description).tags("address", label).register(registry);
    }

    /** A counter per side, each registered at its first use. */
    final class Sides {
      private final String name;
      private final String description;
      private volatile Counter local;
      private volatile Counter remote;

      Sides(String name, String description) {
        this.name = name;
        this.description = description;
      }

      Counter side(boolean isLocal) {
        Counter c = isLocal ? local : remote;
        if (c == null) {
          c = counter(name, description, isLocal);
          if (isLocal) {
            local = c;
          } else {
            remote = c;
          }
        }
        return c;
      }
    }
  }

  private static String side(boolean local) {
    return local ? "local" : "remote";
  }

  @Override
  public void close() {
  }
}
