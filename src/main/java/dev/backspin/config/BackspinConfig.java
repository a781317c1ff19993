package dev.backspin.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole config, parsed and validated once at start. Every error is a {@link ConfigException}
 * that names the key; unknown keys become {@link #warnings()}.
 */
public final class BackspinConfig {

  public static final int DEFAULT_DRAIN_SECONDS = 30;
  public static final String DEFAULT_CLUSTER_NAME = "backspin";
  /** The launcher's shutdown hook waits 2 minutes for the stop; leave room for the last answers. */
  public static final int MAX_DRAIN_SECONDS = 100;
  /** The smallest memory budget: below it, a few connections' buffers would exhaust it. */
  public static final long MIN_BUFFERED_BYTES = 1 << 20;
  public static final long MAX_BUFFERED_BYTES = 1L << 50;
  /**
   * 50 µs takes the hop's wake-up off one connection's round trip, at no more CPU per message at
   * 64 and 1000 connections; streaming pays 7-23% more CPU per GB (docs/performance.md). 0 turns it off.
   */
  public static final int DEFAULT_WORKER_SPIN_MICROS = 50;
  /** Beyond a millisecond a spin is a busy loop, not a wait. */
  public static final int MAX_SPIN_WAIT_MICROS = 1000;

  private final TransportKind transport;
  private final int spinWaitMicros;
  private final int workerSpinMicros;
  private final int drainSeconds;
  private final Long maxBufferedBytes;
  private final ClusterConfig cluster;
  private final HttpConfig http;
  private final Map<ServiceKind, ServiceConfig> services;
  private final List<String> warnings;

  private BackspinConfig(TransportKind transport, int spinWaitMicros, int workerSpinMicros, int drainSeconds, Long maxBufferedBytes, ClusterConfig cluster, HttpConfig http, Map<ServiceKind, ServiceConfig> services, List<String> warnings) {
    this.transport = transport;
    this.spinWaitMicros = spinWaitMicros;
    this.workerSpinMicros = workerSpinMicros;
    this.drainSeconds = drainSeconds;
    this.maxBufferedBytes = maxBufferedBytes;
    this.cluster = cluster;
    this.http = http;
    this.services = services;
    this.warnings = warnings;
  }

  public static BackspinConfig fromJson(JsonObject json) {
    if (json == null) {
      json = new JsonObject();
    }
    List<String> warnings = new ArrayList<>();
    JsonFields f = new JsonFields(json, "");
    Set<String> known = new LinkedHashSet<>(List.of("transport", "spinWaitMicros", "workerSpinMicros", "drainSeconds", "maxBufferedBytes", "cluster", "http"));
    for (ServiceKind kind : ServiceKind.values()) {
      known.add(kind.id());
    }
    f.warnUnknown(known, warnings::add);
    TransportKind transport = f.oneOf("transport", TransportKind.class, TransportKind.EPOLL);
    int spinWaitMicros = f.intIn("spinWaitMicros", 0, 0, MAX_SPIN_WAIT_MICROS);
    int workerSpinMicros = f.intIn("workerSpinMicros", DEFAULT_WORKER_SPIN_MICROS, 0, MAX_SPIN_WAIT_MICROS);
    int drainSeconds = f.intIn("drainSeconds", DEFAULT_DRAIN_SECONDS, 0, MAX_DRAIN_SECONDS);
    Long maxBufferedBytes = f.longIn("maxBufferedBytes", MIN_BUFFERED_BYTES, MAX_BUFFERED_BYTES);
    ClusterConfig cluster = ClusterConfig.fromJson(f.object("cluster"), warnings::add);
    JsonObject httpJson = f.object("http");
    HttpConfig http = httpJson == null ? null : HttpConfig.fromJson(httpJson, warnings::add);
    Map<ServiceKind, ServiceConfig> services = new EnumMap<>(ServiceKind.class);
    for (ServiceKind kind : ServiceKind.values()) {
      JsonObject section = f.object(kind.id());
      if (section != null) {
        services.put(kind, ServiceConfig.fromJson(kind, section, warnings::add));
      }
    }
    return new BackspinConfig(transport, spinWaitMicros, workerSpinMicros, drainSeconds, maxBufferedBytes, cluster, http, services, Collections.unmodifiableList(warnings));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("transport", transport.name().toLowerCase(Locale.ROOT))
      .put("spinWaitMicros", spinWaitMicros)
      .put("workerSpinMicros", workerSpinMicros)
      .put("drainSeconds", drainSeconds)
      .put("cluster", cluster.toJson());
    if (maxBufferedBytes != null) {
      json.put("maxBufferedBytes", maxBufferedBytes); // absent: each JVM takes a share of its own heap
    }
    if (http != null) {
      json.put("http", http.toJson());
    }
    services.forEach((kind, svc) -> json.put(kind.id(), svc.toJson()));
    return json;
  }

  /**
   * Checks what only the node it runs on decides: a config may parse and still be unable to serve.
   *
   * @param clustered whether this node is in a cluster, where other nodes may run the workers
   */
  public void checkRunnable(boolean clustered) {
    if (services.isEmpty()) {
      throw new ConfigException("no service is configured: add a \"reverse\", \"echo\" or \"broadcast\" section (see conf/config.json)");
    }
    ServiceConfig reverse = services.get(ServiceKind.REVERSE);
    if (reverse != null && reverse.instances() > 0 && reverse.workers() == 0 && !clustered) {
      throw new ConfigException("reverse.workers is 0 on a node that is not clustered: no worker would answer");
    }
  }

  /** The same config with every service's front instance count replaced. */
  public BackspinConfig withFrontInstances(int n) {
    Map<ServiceKind, ServiceConfig> changed = new EnumMap<>(ServiceKind.class);
    services.forEach((kind, svc) -> changed.put(kind, svc.withInstances(n)));
    return new BackspinConfig(transport, spinWaitMicros, workerSpinMicros, drainSeconds, maxBufferedBytes, cluster, http, changed, warnings);
  }

  public TransportKind transport() { return transport; }
  /** How long an epoll event loop polls for work before it blocks (0: it blocks at once). */
  public int spinWaitMicros() { return spinWaitMicros; }
  /** How long one idle worker-pool thread polls for a task before it parks (0: all park at once). */
  public int workerSpinMicros() { return workerSpinMicros; }
  public int drainSeconds() { return drainSeconds; }
  /** The bytes all connections together may hold, or null for the default (a share of the max heap). */
  public Long maxBufferedBytes() { return maxBufferedBytes; }
  /** How {@code -cluster} joins: the whole {@code cluster} section. */
  public ClusterConfig cluster() { return cluster; }
  /** The operations endpoint, or null: then none runs. */
  public HttpConfig http() { return http; }
  public Map<ServiceKind, ServiceConfig> services() { return Collections.unmodifiableMap(services); }
  public List<String> warnings() { return warnings; }
}
