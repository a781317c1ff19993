package dev.backspin.config;

import dev.backspin.framing.Framing;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** One service's section of the config, validated. Immutable. */
public final class ServiceConfig {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_MAX_FRAME_BYTES = 65536;
  public static final int DEFAULT_RING_CAPACITY = 1024;
  public static final int DEFAULT_MAX_IN_FLIGHT_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 0;
  // a burst of a few thousand connects waits in the kernel whatever the accepting loop is doing
  // (a 2000-connect burst overflowed 1024 on a loaded machine); Linux caps it at net.core.somaxconn
  public static final int DEFAULT_ACCEPT_BACKLOG = 4096;
  public static final int DEFAULT_MAX_QUEUED_BYTES = 1 << 20;
  public static final int DEFAULT_REMOTE_TIMEOUT_MILLIS = 5000;
  // a frame's answer normally takes microseconds; a remote worker's three tries take 15 s at most by default
  public static final int DEFAULT_ANSWER_TIMEOUT_SECONDS = 30;
  // a client on a poor link still takes some bytes within seconds; one that takes none is gone or stuck
  public static final int DEFAULT_CLOSING_STALL_MILLIS = 5000;
  /** How many times a front asks a remote worker for one read. */
  public static final int REMOTE_ATTEMPTS = 3;

  /**
   * Front and worker threads both stay busy under load, and the host needs a core for itself (or
   * a load generator): one of each per two cores. Measured on 2 cores, 1+1 beat 2+2 by 38%.
   */
  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  private static final List<String> COMMON_KEYS = List.of(
    "host", "port", "instances", "framing", "maxFrameBytes", "maxInFlightBytes", "maxConnections",
    "idleTimeoutSeconds", "closingStallMillis", "acceptBacklog", "answerTimeoutSeconds", "tls");

  /** The keys a service's section may hold: the shared front's, plus its own. */
  static Set<String> keys(ServiceKind kind) {
    Set<String> keys = new LinkedHashSet<>(COMMON_KEYS);
    switch (kind) {
      case REVERSE -> keys.addAll(List.of("unit", "workers", "ringCapacity", "remoteTimeoutMillis", "writeBack"));
      case BROADCAST -> keys.add("maxQueuedBytes");
      case ECHO -> { }
    }
    return keys;
  }

  private final ServiceKind kind;
  private final String host;
  private final int port;
  private final int instances;
  private final Framing framing;
  private final ReverseUnit unit;
  private final int maxFrameBytes;
  private final int workers;
  private final int ringCapacity;
  private final int maxInFlightBytes;
  private final int maxConnections;
  private final int idleTimeoutSeconds;
  private final int closingStallMillis;
  private final int answerTimeoutSeconds;
  private final int acceptBacklog;
  private final int maxQueuedBytes;
  private final int remoteTimeoutMillis;
  private final WriteBack writeBack;
  private final TlsConfig tls;

  private ServiceConfig(ServiceKind kind, JsonFields f, Consumer<String> warnings) {
    this.kind = kind;
    this.host = f.string("host", DEFAULT_HOST);
    this.port = f.intIn("port", kind.defaultPort(), 0, 65535);
    this.instances = f.intIn("instances", defaultThreads(), 0, 1024);
    this.framing = f.oneOf("framing", Framing.class, Framing.LINE);
    // keys of other kinds are warned about and ignored, never validated
    boolean reverse = kind == ServiceKind.REVERSE;
    this.unit = reverse ? f.oneOf("unit", ReverseUnit.class, ReverseUnit.BYTE) : ReverseUnit.BYTE;
    // below 16 bytes not even an ERR line fits a frame; above 64 MiB one frame could starve the heap
    this.maxFrameBytes = f.intIn("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 16, 64 << 20);
    // only reverse takes the worker hop
    this.workers = kind == ServiceKind.REVERSE ? f.intIn("workers", defaultThreads(), 0, 1024) : 0;
    this.ringCapacity = reverse ? f.intIn("ringCapacity", DEFAULT_RING_CAPACITY, 1, 1 << 20) : DEFAULT_RING_CAPACITY;
    this.maxInFlightBytes = f.intIn("maxInFlightBytes", DEFAULT_MAX_IN_FLIGHT_BYTES, 1, 1 << 30);
    this.maxConnections = f.intIn("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 10_000_000);
    this.idleTimeoutSeconds = f.intIn("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400 * 365);
    this.closingStallMillis = f.intIn("closingStallMillis", DEFAULT_CLOSING_STALL_MILLIS, 100, 600_000);
    this.acceptBacklog = f.intIn("acceptBacklog", DEFAULT_ACCEPT_BACKLOG, 1, 1 << 20);
    this.maxQueuedBytes = kind == ServiceKind.BROADCAST
      ? f.intIn("maxQueuedBytes", DEFAULT_MAX_QUEUED_BYTES, 1, 1 << 30) : DEFAULT_MAX_QUEUED_BYTES;
    this.remoteTimeoutMillis = reverse
      ? f.intIn("remoteTimeoutMillis", DEFAULT_REMOTE_TIMEOUT_MILLIS, 100, 600_000) : DEFAULT_REMOTE_TIMEOUT_MILLIS;
    this.writeBack = reverse ? f.oneOf("writeBack", WriteBack.class, WriteBack.SOCKET) : WriteBack.SOCKET;
    this.answerTimeoutSeconds = f.intIn("answerTimeoutSeconds", DEFAULT_ANSWER_TIMEOUT_SECONDS, 1, 86_400);
    if (reverse && workers == 0 && answerTimeoutSeconds * 1000L <= (long) REMOTE_ATTEMPTS * remoteTimeoutMillis) {
      warnings.accept(f.key("answerTimeoutSeconds") + " (" + answerTimeoutSeconds + " s) is not above " + REMOTE_ATTEMPTS
        + " tries of remoteTimeoutMillis (" + remoteTimeoutMillis + " ms): a frame may get ERR no answer in time before its last try");
    }
    JsonObject tlsJson = f.object("tls");
    this.tls = tlsJson == null ? null : TlsConfig.fromJson(tlsJson, f.key("tls"), warnings);
  }

  /** Parses and validates a service section; unknown keys go to {@code warnings}. */
  public static ServiceConfig fromJson(ServiceKind kind, JsonObject json, Consumer<String> warnings) {
    JsonFields f = new JsonFields(json, kind.id());
    f.warnUnknown(keys(kind), warnings);
    return new ServiceConfig(kind, f, warnings);
  }

  /** Reads back what {@link #toJson()} wrote, as deployed verticles receive it. */
  public static ServiceConfig fromJson(ServiceKind kind, JsonObject json) {
    return fromJson(kind, json, w -> { });
  }

  /** This section as JSON: only the keys its kind has. */
  public JsonObject toJson() {
    JsonObject all = new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("instances", instances)
      .put("framing", framing.name().toLowerCase(Locale.ROOT))
      .put("unit", unit.name().toLowerCase(Locale.ROOT))
      .put("maxFrameBytes", maxFrameBytes)
      .put("workers", workers)
      .put("ringCapacity", ringCapacity)
      .put("maxInFlightBytes", maxInFlightBytes)
      .put("maxConnections", maxConnections)
      .put("idleTimeoutSeconds", idleTimeoutSeconds)
      .put("closingStallMillis", closingStallMillis)
      .put("answerTimeoutSeconds", answerTimeoutSeconds)
      .put("acceptBacklog", acceptBacklog)
      .put("maxQueuedBytes", maxQueuedBytes)
      .put("remoteTimeoutMillis", remoteTimeoutMillis)
      .put("writeBack", writeBack.name().toLowerCase(Locale.ROOT));
    if (tls != null) {
      all.put("tls", tls.toJson());
    }
    JsonObject json = new JsonObject();
    keys(kind).stream().filter(all::containsKey).forEach(k -> json.put(k, all.getValue(k)));
    return json;
  }

  /** The same section with another front instance count (the launcher's {@code -instances}). */
  public ServiceConfig withInstances(int n) {
    return fromJson(kind, toJson().put("instances", n));
  }

  public ServiceKind kind() { return kind; }
  public String host() { return host; }
  public int port() { return port; }
  public int instances() { return instances; }
  public Framing framing() { return framing; }
  public ReverseUnit unit() { return unit; }
  public int maxFrameBytes() { return maxFrameBytes; }
  public int workers() { return workers; }
  public int ringCapacity() { return ringCapacity; }
  public int maxInFlightBytes() { return maxInFlightBytes; }
  public int maxConnections() { return maxConnections; }
  public int idleTimeoutSeconds() { return idleTimeoutSeconds; }
  /** How long a closing connection may take none of its output before it is closed, the rest dropped. */
  public int closingStallMillis() { return closingStallMillis; }
  public int acceptBacklog() { return acceptBacklog; }
  /** How long a frame may go without an answer before its client gets {@code ERR no answer in time} and is closed. */
  public int answerTimeoutSeconds() { return answerTimeoutSeconds; }
  /** Broadcast: bytes one receiver may have waiting before it is cut off as too slow. */
  public int maxQueuedBytes() { return maxQueuedBytes; }
  /** Reverse on a node with no workers: how long a worker elsewhere may take before a retry. */
  public int remoteTimeoutMillis() { return remoteTimeoutMillis; }
  /** Reverse: how workers on this node write replies back (a worker elsewhere always replies by request). */
  public WriteBack writeBack() { return writeBack; }
  /** TLS for this service's clients, or null for plain TCP. */
  public TlsConfig tls() { return tls; }
}
