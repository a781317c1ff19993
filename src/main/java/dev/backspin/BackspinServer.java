package dev.backspin;

import dev.backspin.config.BackspinConfig;
import dev.backspin.config.ServiceKind;
import dev.backspin.front.DrainSummary;
import dev.backspin.front.FrontVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Backspin inside an application's own Vert.x, shaped like vertx-mqtt's {@code MqttServer}:
 * {@code BackspinServer.create(vertx, config).listen()}, then {@link #actualPort}, then
 * {@link #close()}, which drains as a stopping server does. The launcher runs the same server.
 */
public final class BackspinServer {

  private final Vertx vertx;
  private final BackspinVerticle verticle;
  private Future<String> deployed; // null until listen()
  private Future<Void> closed; // null until close()

  private BackspinServer(Vertx vertx, BackspinConfig config) {
    this.vertx = vertx;
    this.verticle = new BackspinVerticle(config);
  }

  public static BackspinServer create(Vertx vertx, BackspinConfig config) {
    return new BackspinServer(vertx, config);
  }

  /**
   * As {@link #create(Vertx, BackspinConfig)}, from the JSON a config file holds.
   *
   * @throws dev.backspin.config.ConfigException naming the key, when the config is not valid
   */
  public static BackspinServer create(Vertx vertx, JsonObject config) {
    return create(vertx, BackspinConfig.fromJson(config));
  }

  /** Starts every configured service; succeeds once all of them listen. Call it once. */
  public synchronized Future<BackspinServer> listen() {
    if (deployed != null || closed != null) {
      return Future.failedFuture(new IllegalStateException(closed != null ? "the server was closed" : "listen() was called already"));
    }
    deployed = vertx.deployVerticle(verticle, new DeploymentOptions());
    return deployed.map(id -> this);
  }

  /** The port a service listens on, or -1 when it runs no front here (or before {@link #listen()}). */
  public int actualPort(ServiceKind service) {
    return verticle.port(service);
  }

  /** The operations endpoint's port, or -1 when the config has no http section. */
  public int httpPort() {
    return verticle.httpPort();
  }

  /** What a service's drain did, once {@link #close()} has drained it. */
  public Future<DrainSummary> drainSummary(ServiceKind service) {
    return verticle.drainSummary(service);
  }

  /** A service's front instances on this node, for tests and diagnostics. */
  public List<FrontVerticle> fronts(ServiceKind service) {
    return verticle.fronts(service);
  }

  /**
   * Stops accepting, serves open connections for up to {@code drainSeconds}, answers every frame
   * already read, then stops the workers. A listen still under way is waited for, then undone; a
   * server that never listened closes at once. Calling it again gives the same future.
   */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closed = deployed == null
        ? Future.succeededFuture()
        // a failed start deployed nothing that stays
        : deployed.transform(ar -> ar.succeeded() ? vertx.undeploy(ar.result()) : Future.succeededFuture());
    }
    return closed;
  }
}
