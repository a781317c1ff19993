package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;

/** Cuts one connection's byte stream into frames. One instance per connection; not thread-safe. */
public interface Framer {

  /**
   * Takes the bytes of one read.
   *
   * @return the frames this read completed, in order, or null if none is complete yet
   * @throws FrameException when the input breaks the protocol; the connection must then be closed
   */
  Frames feed(Buffer chunk) throws FrameException;

  /** Bytes held back for a frame that is not complete yet (bounded by the max frame size). */
  int pendingBytes();

  /** The memory those bytes take: the array that holds them, which may be larger. */
  int pendingCapacity();

  /** Drops the incomplete frame: the connection will read no more. */
  void discardPending();

  /** The error reply in this framing: a line, or a length-prefixed frame. */
  Buffer errorReply(String reason);
}
