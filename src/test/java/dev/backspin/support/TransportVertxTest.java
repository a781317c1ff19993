package dev.backspin.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/**
 * An integration test with its own Vert.x on epoll (as production runs) and a client in it,
 * both new for each test. The client is a field: an unreferenced NetClient can be collected.
 */
@ExtendWith(VertxExtension.class)
public abstract class EpollVertxTest {

  protected Vertx vertx;
  protected NetClient client;

  @BeforeEach
  void startVertx() {
    vertx = TestServer.epollVertx();
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
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
