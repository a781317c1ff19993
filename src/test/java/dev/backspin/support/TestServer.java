package dev.backspin.support;

import dev.backspin.BackspinServer;
import dev.backspin.config.ConfigException;
import dev.backspin.config.ServiceKind;
import dev.backspin.config.TransportKind;
import dev.backspin.front.FrontVerticle;
import dev.backspin.transport.Transports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A Backspin deployment inside a test's own Vert.x, on the test's transport, bound to a free port. */
public final class TestServer {

  private final BackspinServer server;

  private TestServer(BackspinServer server) {
    this.server = server;
  }

  /**
   * A Vert.x on {@code transport}, chosen as Backspin's launcher chooses it: a native transport
   * this machine lacks throws, naming the reason, instead of running on NIO.
   */
  public static Vertx vertx(TransportKind transport) {
    return Vertx.builder().withTransport(Transports.select(transport)).build();
  }

  /**
   * A config on {@code transport} with one reverse service on port 0 and the given extra reverse
   * keys. No drain time: the test's own clients live in the Vert.x that closes, so a drain would
   * only wait for them.
   */
  public static JsonObject reverseConfig(TransportKind transport, JsonObject reverse) {
    return serviceConfig(transport, ServiceKind.REVERSE, reverse);
  }

  /** A config on {@code transport} with one service of {@code kind} on port 0 and the given extra keys. */
  public static JsonObject serviceConfig(TransportKind transport, ServiceKind kind, JsonObject keys) {
    return new JsonObject().put("transport", transport.id()).put("drainSeconds", 0)
      .put(kind.id(), new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(keys));
  }

  public static Future<TestServer> deploy(Vertx vertx, JsonObject config) {
    try {
      return BackspinServer.create(vertx, config).listen().map(TestServer::new);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  public int port() {
    return server.actualPort(ServiceKind.REVERSE);
  }

  public int port(ServiceKind kind) {
    return server.actualPort(kind);
  }

  /** The front instances of a service. */
  public List<FrontVerticle> fronts(ServiceKind kind) {
    return server.fronts(kind);
  }

  /** What a service's drain did, once the deployment has been undeployed with a drain time. */
  public Future<dev.backspin.front.DrainSummary> drainSummary(ServiceKind kind) {
    return server.drainSummary(kind);
  }

  /** The operations endpoint's port, or -1 when the config has no http section. */
  public int httpPort() {
    return server.httpPort();
  }

  /** Stops it as SIGTERM would: drains for the config's drainSeconds. */
  public Future<Void> close() {
    return server.close();
  }
}
