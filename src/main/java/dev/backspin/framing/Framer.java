package dev.backspin.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Cuts one connection's byte stream into frames. One instance per connection; not thread-safe. */
public interface Framer {

  /**
   * Takes the bytes of one read: its readable bytes, copied out of it, so that the caller may
   * release it as soon as this returns. Its reader index is left as it was.
   *
   * @return the frames this read completed, in order, or null if none is complete yet
   * @throws FrameException when the input breaks the protocol; the connection must then be closed
   */
  Frames feed(ByteBuf chunk) throws FrameException;

  /** As {@link #feed(ByteBuf)}, for a Vert.x buffer: it is read where it lies, not copied first. */
  default Frames feed(Buffer chunk) throws FrameException {
    return feed(((BufferInternal) chunk).getByteBuf());
  }

  /** The memory held for a frame that is not complete yet: the array that holds its bytes, which may be larger. */
  int pendingCapacity();

  /** Drops the incomplete frame: the connection will read no more. */
  void discardPending();

  /** The error reply in this framing: a line, or a length-prefixed frame. */
  Buffer errorReply(String reason);
}
