package dev.backspin.tools;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/** The Vert.x a load tool runs on: one event loop, so it leaves the other cores to the server; native if it loads. */
final class ToolVertx {

  private ToolVertx() {
  }

  static Vertx oneEventLoop() {
    Transport native_ = Transport.nativeTransport();
    return Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1))
      .withTransport(native_ != null && native_.available() ? native_ : Transport.NIO).build();
  }
}
