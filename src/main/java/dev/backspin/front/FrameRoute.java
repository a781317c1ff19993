package dev.backspin.front;

import dev.backspin.framing.Frames;

/** Where a service sends the frames a connection read. Each route acknowledges what it finished. */
interface FrameRoute {
  void send(Connection connection, Frames frames);
}
