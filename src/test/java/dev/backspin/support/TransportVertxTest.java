package dev.backspin.support;

import dev.backspin.transport.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An integration test run once on each transport ({@link EachTransport}), with its own Vert.x on
 * that transport and a client in it, both new for each test. The server a test deploys must ask
 * for the same transport: {@code TestServer.reverseConfig(transport, ...)}. The client is a
 * field: an unreferenced NetClient can be collected.
 */
@ExtendWith(VertxExtension.class)
public abstract class TransportVertxTest extends EachTransport {

  protected Vertx vertx;
  protected NetClient client;

  @BeforeEach
  void startVertx() {
    vertx = TestServer.vertx(transport);
    // Vert.x falls back to NIO without a word: make sure this run is on the transport it names
    assertThat(Transports.inUse(vertx)).as("transport of the test's Vert.x").isEqualTo(transport.id());
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
  }

  @AfterEach
  void stopVertx() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Waits for the test context; fails on a timeout, and rethrows what failed it. */
  protected static void await(VertxTestContext ctx, int seconds) throws Throwable {
    if (!ctx.awaitCompletion(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the test did not complete within " + seconds + " s");
    }
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }
}
