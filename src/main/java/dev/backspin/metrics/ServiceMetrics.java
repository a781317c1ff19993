package dev.backspin.metrics;

import dev.backspin.errors.RejectReason;

import dev.backspin.errors.ErrorKind;

import dev.backspin.config.ServiceKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * One service's meters. Every meter is created here, up front, so the hot path only adds to a
 * counter it already holds. Thread-safe: the fronts' event loops and the workers share it.
 */
public final class ServiceMetrics {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter accepted;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Map<ErrorKind, Counter> errors = new EnumMap<>(ErrorKind.class);
  private final Counter framesIn;
  private final Counter framesOut;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter slowDisconnects;
  private final Counter remoteRetries;
  private final Timer workerLatency;

  public ServiceMetrics(MeterRegistry registry, ServiceKind kind, IntSupplier openConnections) {
    this.registry = registry;
    this.tags = Tags.of("service", kind.id());
    Gauge.builder("backspin.connections.open", openConnections::getAsInt).tags(tags)
      .description("Connections open now").register(registry);
    accepted = Counter.builder("backspin.connections.accepted").tags(tags)
      .description("Connections accepted and served").register(registry);
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, Counter.builder("backspin.connections.rejected").tags(tags).tag("reason", r.label())
        .description("Connections turned away before they were served").register(registry));
    }
    for (ErrorKind k : ErrorKind.values()) {
      errors.put(k, Counter.builder("backspin.errors").tags(tags).tag("kind", k.label())
        .description("Connections that failed, once each, by what went wrong (io and tls: each socket error)").register(registry));
    }
    framesIn = Counter.builder("backspin.frames.in").tags(tags).description("Complete frames read from clients").register(registry);
    framesOut = Counter.builder("backspin.frames.out").tags(tags).description("Frames sent to clients (replies, deliveries)").register(registry);
    bytesIn = Counter.builder("backspin.bytes.in").tags(tags).description("Bytes read from clients").register(registry);
    bytesOut = Counter.builder("backspin.bytes.out").tags(tags).description("Bytes handed to client sockets").register(registry);
    // the meters of one kind only: no series that would stay 0 forever
    slowDisconnects = kind != ServiceKind.BROADCAST ? null : Counter.builder("backspin.broadcast.slow.disconnects").tags(tags)
      .description("Broadcast receivers cut off because their backlog passed maxQueuedBytes").register(registry);
    remoteRetries = kind != ServiceKind.REVERSE ? null : Counter.builder("backspin.remote.retries").tags(tags)
      .description("Requests to a remote worker (workers: 0) asked again after no answer came in remoteTimeoutMillis")
      .register(registry);
    workerLatency = kind != ServiceKind.REVERSE ? null : Timer.builder("backspin.worker.latency").tags(tags)
      .description("From a batch reaching a worker shard to its reply leaving it: ring wait and reversal")
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(10))
      .register(registry);
  }

  public void accepted() { accepted.increment(); }
  public void rejected(RejectReason reason) { rejected.get(reason).increment(); }
  public void error(ErrorKind kind) { errors.get(kind).increment(); }
  public void framesIn(int n) { framesIn.increment(n); }
  public void framesOut(int n) { framesOut.increment(n); }
  public void bytesIn(int n) { bytesIn.increment(n); }
  public void bytesOut(int n) { bytesOut.increment(n); }
  /** Broadcast only. */
  public void slowReceiverDisconnected() { slowDisconnects.increment(); }
  /** Reverse only. */
  public void remoteRetried() { remoteRetries.increment(); }
  /** Reverse only. */
  public Timer workerLatency() { return workerLatency; }

  /** Publishes how many batches wait in worker shard {@code shard}'s ring. */
  public void ringOccupancy(int shard, IntSupplier size, int capacity) {
    Gauge.builder("backspin.ring.occupancy", size::getAsInt).tags(tags).tag("shard", Integer.toString(shard))
      .description("Batches waiting in a worker shard's ring (capacity in backspin_ring_capacity)").register(registry);
    Gauge.builder("backspin.ring.capacity", () -> capacity).tags(tags).tag("shard", Integer.toString(shard))
      .description("A worker shard's ring capacity").register(registry);
  }
}
