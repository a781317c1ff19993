package dev.backspin.bus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.List;

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

  /** Several byte ranges as one Buffer, still without a copy (a composite over the arrays). */
  public static Buffer wrap(List<byte[]> data, List<Integer> lengths) {
    if (data.size() == 1) {
      return wrap(data.get(0), lengths.get(0));
    }
    ByteBuf[] parts = new ByteBuf[data.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = Unpooled.wrappedBuffer(data.get(i), 0, lengths.get(i));
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(parts.length, parts));
  }
}
