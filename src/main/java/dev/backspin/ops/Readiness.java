package dev.backspin.ops;

import dev.backspin.front.ServiceDrain;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What {@code /health} and {@code /ready} report. Alive: an event loop answered. Ready: every
 * verticle is deployed, the cluster (if any) is joined, large enough and safe, and no service is draining.
 */
public final class Readiness {

  private final Vertx vertx;
  private final int minMembers;
  private final List<ServiceDrain> drains = new CopyOnWriteArrayList<>();
  private final Map<String, IntSupplier> openConnections = new ConcurrentHashMap<>();
  private volatile boolean deployed;

  /** {@code minMembers}: the fewest cluster members this node must see to be ready (config {@code cluster.minMembers}). */
  public Readiness(Vertx vertx, int minMembers) {
    this.vertx = vertx;
    this.minMembers = minMembers;
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
      checks.register("cluster", cluster());
    }
    return checks;
  }

  /**
   * Up while this node is a member, sees {@code cluster.minMembers} members or more, and the cluster is safe: vertx-hazelcast's
   * {@link ClusterHealthCheck} (no partition migrating, every backup in sync). A rolling restart
   * that waits for {@code /ready} on the restarted node before stopping the next one never takes
   * down the last copy of the cluster's data (Vert.x's subscriptions). Kept under the id
   * {@code cluster}, with a reason when down; 5.1.5's procedure has no "detailed" variant.
   */
  private Handler<Promise<Status>> cluster() {
    ClusterManager cm = ((VertxInternal) vertx).clusterManager();
    return clusterCheck(cm::isActive, () -> cm.getNodes().size(), minMembers, ClusterHealthCheck.createProcedure(vertx));
  }

  /**
   * Down when not a member, or when it sees fewer than {@code minMembers} members (cut off from
   * the others, it is a cluster of its own); else what {@code safe} says, with a reason when down.
   */
  static Handler<Promise<Status>> clusterCheck(BooleanSupplier member, IntSupplier members, int minMembers, Handler<Promise<Status>> safe) {
    return p -> {
      if (!member.getAsBoolean()) {
        p.complete(Status.KO(new JsonObject().put("reason", "not a member of the cluster")));
        return;
      }
      int seen = members.getAsInt();
      if (seen < minMembers) {
        p.complete(Status.KO(new JsonObject().put("reason", "sees " + seen + " member(s), fewer than cluster.minMembers (" + minMembers + ")")
          .put("members", seen)));
        return;
      }
      Promise<Status> inner = Promise.promise();
      safe.handle(inner);
      inner.future().onComplete(s -> p.complete(s.isOk() ? Status.OK(new JsonObject().put("members", seen))
          : Status.KO(new JsonObject().put("reason", "cluster not safe: partitions migrating or backups not in sync").put("members", seen))),
        e -> p.complete(Status.KO(new JsonObject().put("reason", "cluster state unknown: " + e))));
    };
  }
}
