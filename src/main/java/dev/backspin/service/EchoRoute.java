package dev.backspin.service;

import dev.backspin.framing.Bytes;
import dev.backspin.front.Connection;
import dev.backspin.front.Front;
import dev.backspin.front.ServiceRoute;
import dev.backspin.framing.Frames;
import io.vertx.core.Future;

/**
 * Echo: each frame back unchanged, written by the front itself. There is no work to hand off,
 * so the worker hop would be pure cost: two thread hand-offs and an event-bus message each way.
 */
public final class EchoRoute implements ServiceRoute {

  private Front front;

  @Override
  public Future<Void> start(Front front) {
    this.front = front;
    return Future.succeededFuture();
  }

  @Override
  public void send(Connection c, Frames frames) {
    // the frames' own wire bytes, delimiters and prefixes included: one write per read
    c.write(Bytes.wrap(frames.data(), frames.length()));
    front.metrics().framesOut(frames.count());
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
