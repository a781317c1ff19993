package dev.backspin.front;

import dev.backspin.config.ServiceConfig;
import dev.backspin.framing.Frames;
import io.vertx.core.Future;

/**
 * What a service does with the frames a connection read; the front does everything else
 * (framing, limits, credits, closing, drain). A route either answers each frame with a reply of
 * exactly the frame's length, which the connection counts as it reaches the socket, or settles
 * the frame's bytes itself ({@link Connection#settled}) or rejects them ({@link Connection#rejected}).
 */
public interface ServiceRoute {

  /** Called on the front's context before it listens. */
  Future<Void> start(Front front);

  void send(Connection connection, Frames frames);

  /** The connection closed: forget whatever the route kept for it. */
  default void closed(Connection connection) {
  }

  /** Whether the service's sockets need a writeHandlerID: something writes to them over the event bus. */
  default boolean writeHandlers(ServiceConfig service) {
    return false;
  }

  /** Whether bytes written to a connection are replies to its own frames (credits come back). */
  default boolean repliesAreCredits() {
    return true;
  }

  Future<Void> stop();
}
