package dev.backspin.it;

import dev.backspin.BackspinVerticle;
import dev.backspin.support.TestServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad config stops the deployment with a message that names the key. */
@ExtendWith(VertxExtension.class)
class ConfigIT {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = TestServer.epollVertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void portOutOfRangeFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, TestServer.reverseConfig(new JsonObject()).put("reverse", new JsonObject().put("port", 70000)),
      "reverse.port must be 0..65535, got 70000");
  }

  @Test
  void noServiceFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, new JsonObject().put("transport", "epoll"), "no service is configured");
  }

  @Test
  void noWorkersOnAStandaloneNodeFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, TestServer.reverseConfig(new JsonObject().put("workers", 0)), "reverse.workers is 0 on a node that is not clustered");
  }

  private void expectFailure(VertxTestContext ctx, JsonObject conf, String message) throws Throwable {
    vertx.deployVerticle(new BackspinVerticle(), new DeploymentOptions().setConfig(conf))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e.getMessage()).contains(message);
        assertThat(vertx.deploymentIDs()).isEmpty();
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }
}
