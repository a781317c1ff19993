package dev.backspin.bus;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Wraps a byte range as a Buffer without copying it. The public {@code Buffer.buffer(byte[])}
 * copies; on the reply path that is a second copy of every byte, so this one place uses
 * Vert.x's internal buffer API. The caller must not change the bytes afterwards.
 */
public final class Bytes {

  private Bytes() {
  }

  public static Buffer wrap(byte[] data, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(data, 0, length));
  }
}
