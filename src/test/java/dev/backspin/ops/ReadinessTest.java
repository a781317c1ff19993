package dev.backspin.ops;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code cluster} readiness check: a member, enough members seen, and the cluster safe (vertx-hazelcast's check). */
class ReadinessTest {

  private static Status run(boolean member, Handler<Promise<Status>> safe) {
    return run(member, 1, 1, safe);
  }

  private static Status run(boolean member, int members, int minMembers, Handler<Promise<Status>> safe) {
    Promise<Status> p = Promise.promise();
    Readiness.clusterCheck(() -> member, () -> members, minMembers, safe).handle(p);
    assertThat(p.future().isComplete()).isTrue();
    return p.future().result();
  }

  @Test
  void upOnlyWhenAMemberAndTheClusterIsSafe() {
    assertThat(run(true, p -> p.complete(Status.OK())).isOk()).isTrue();

    Status migrating = run(true, p -> p.complete(new Status().setOk(false)));
    assertThat(migrating.isOk()).isFalse();
    assertThat(migrating.getData()).isEqualTo(new JsonObject().put("reason", "cluster not safe: partitions migrating or backups not in sync").put("members", 1));

    Status failed = run(true, p -> p.fail(new IllegalStateException("Hazelcast instance is not active")));
    assertThat(failed.isOk()).isFalse();
    assertThat(failed.getData().getString("reason")).startsWith("cluster state unknown: ").contains("not active");
  }

  @Test
  void notAMemberIsDownWithoutAskingTheCluster() {
    AtomicBoolean asked = new AtomicBoolean();
    Status s = run(false, p -> {
      asked.set(true);
      p.complete(Status.OK());
    });
    assertThat(s.isOk()).isFalse();
    assertThat(s.getData()).isEqualTo(new JsonObject().put("reason", "not a member of the cluster"));
    assertThat(asked).isFalse();
  }

  @Test
  void fewerMembersThanTheMinimumIsDownWithoutAskingTheCluster() {
    AtomicBoolean asked = new AtomicBoolean();
    Handler<Promise<Status>> safe = p -> {
      asked.set(true);
      p.complete(Status.OK());
    };
    Status alone = run(true, 1, 2, safe);
    assertThat(alone.isOk()).isFalse();
    assertThat(alone.getData()).isEqualTo(new JsonObject().put("reason", "sees 1 member(s), fewer than cluster.minMembers (2)").put("members", 1));
    assertThat(asked).isFalse();

    Status enough = run(true, 2, 2, safe);
    assertThat(enough.isOk()).isTrue();
    assertThat(enough.getData()).isEqualTo(new JsonObject().put("members", 2));
    assertThat(asked).isTrue();
  }
}
