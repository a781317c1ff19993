package dev.backspin.ops;

import dev.backspin.ServiceDrain;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * What {@code /health} and {@code /ready} report. Alive: an event loop answered. Ready: every
 * verticle is deployed, the cluster (if any) is joined, and no service is draining.
 */
public final class Readiness {

  private final Vertx vertx;
  private final List<ServiceDrain> drains = new CopyOnWriteArrayList<>();
  private final Map<String, IntSupplier> openConnections = new ConcurrentHashMap<>();
  private volatile boolean deployed;

  public Readiness(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A service whose drain and open connections are reported. */
  public void add(String service, ServiceDrain drain, IntSupplier open) {
    drains.add(drain);
    openConnections.put(service, open);
  }

  /** Every service is deployed and listening. */
  public void deployed() {
    deployed = true;
  }

  HealthChecks liveness() {
    return HealthChecks.create(vertx).register("connections", p -> {
      JsonObject open = new JsonObject();
      openConnections.forEach((svc, n) -> open.put(svc, n.getAsInt()));
      p.complete(Status.OK(open));
    });
  }

  HealthChecks readiness() {
    HealthChecks checks = HealthChecks.create(vertx)
      .register("deployed", p -> p.complete(deployed ? Status.OK() : Status.KO(new JsonObject().put("reason", "starting"))))
      .register("draining", p -> p.complete(drains.stream().anyMatch(ServiceDrain::draining)
        ? Status.KO(new JsonObject().put("reason", "draining: not accepting connections")) : Status.OK()));
    if (vertx.isClustered()) {
      checks.register("cluster", p -> p.complete(((VertxInternal) vertx).clusterManager().isActive()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", "not a member of the cluster"))));
    }
    return checks;
  }
}
