package dev.backspin.front;

import dev.backspin.framing.Frames;

/**
 * Where a service sends the frames a connection read. A route answers each frame with a reply of
 * exactly the frame's length (the connection counts replies as its credits), or rejects it.
 */
interface FrameRoute {
  void send(Connection connection, Frames frames);
}
