package dev.backspin.framing;

import io.netty.buffer.ByteBuf;
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

  /** Parts {@code [from, to)} of {@code data} as one Buffer, still without a copy (a composite over the arrays). */
  public static Buffer wrap(byte[][] data, int[] lengths, int from, int to) {
    if (to - from == 1) {
      return wrap(data[from], lengths[from]);
    }
    ByteBuf[] parts = new ByteBuf[to - from];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = Unpooled.wrappedBuffer(data[from + i], 0, lengths[from + i]);
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(parts.length, parts));
  }
}
