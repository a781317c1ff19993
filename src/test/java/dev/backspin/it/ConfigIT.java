package dev.backspin.it;

import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad config stops the deployment with a message that names the key, and leaves nothing deployed. */
class ConfigIT extends TransportVertxTest {

  @Test
  void portOutOfRangeFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, TestServer.reverseConfig(transport, new JsonObject()).put("reverse", new JsonObject().put("port", 70000)),
      "reverse.port must be 0..65535, got 70000");
  }

  @Test
  void noServiceFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, new JsonObject().put("transport", transport.id()), "no service is configured");
  }

  @Test
  void noWorkersOnAStandaloneNodeFailsStart(VertxTestContext ctx) throws Throwable {
    expectFailure(ctx, TestServer.reverseConfig(transport, new JsonObject().put("workers", 0)), "reverse.workers is 0 on a node that is not clustered");
  }

  private void expectFailure(VertxTestContext ctx, JsonObject conf, String message) throws Throwable {
    TestServer.deploy(vertx, conf)
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e.getMessage()).contains(message);
        assertThat(vertx.deploymentIDs()).isEmpty();
        ctx.completeNow();
      })));
    await(ctx, 20);
  }
}
