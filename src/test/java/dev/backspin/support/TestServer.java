package dev.backspin.support;

import dev.backspin.BackspinVerticle;
import dev.backspin.config.ServiceKind;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;

/** A Backspin deployment inside a test's own Vert.x, on epoll, bound to a free port. */
public final class TestServer {

  private final BackspinVerticle verticle;
  private final String deploymentId;

  private TestServer(BackspinVerticle verticle, String deploymentId) {
    this.verticle = verticle;
    this.deploymentId = deploymentId;
  }

  /** A Vert.x on the native epoll transport, as the server runs in production. */
  public static Vertx epollVertx() {
    return Vertx.builder().withTransport(Transport.EPOLL).build();
  }

  /**
   * A config with one reverse service on port 0 and the given extra reverse keys. No drain time:
   * the test's own clients live in the Vert.x that closes, so a drain would only wait for them.
   */
  public static JsonObject reverseConfig(JsonObject reverse) {
    return new JsonObject().put("transport", "epoll").put("drainSeconds", 0)
      .put("reverse", new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(reverse));
  }

  public static Future<TestServer> deploy(Vertx vertx, JsonObject config) {
    BackspinVerticle v = new BackspinVerticle();
    return vertx.deployVerticle(v, new DeploymentOptions().setConfig(config)).map(id -> new TestServer(v, id));
  }

  public int port() {
    return verticle.port(ServiceKind.REVERSE);
  }

  public int port(ServiceKind kind) {
    return verticle.port(kind);
  }

  /** The operations endpoint's port, or -1 when the config has no http section. */
  public int httpPort() {
    return verticle.httpPort();
  }

  /** A config with one service of {@code kind} on port 0 and the given extra keys. */
  public static JsonObject serviceConfig(ServiceKind kind, JsonObject keys) {
    return new JsonObject().put("transport", "epoll").put("drainSeconds", 0)
      .put(kind.id(), new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(keys));
  }

  public String deploymentId() {
    return deploymentId;
  }
}
