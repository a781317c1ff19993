package dev.backspin.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A {@code Buffer} that local delivery hands over as it is. Vert.x's own Buffer codec copies it
 * on local delivery: on the reply path, to each socket's writeHandlerID, that would be one more
 * copy of every byte. Senders use it local-only (a writeHandlerID is a local address); the wire
 * form is the bytes, for completeness.
 */
public final class BufferCodec extends PassThroughCodec<Buffer> {

  public static final String NAME = "backspin.buffer";

  public BufferCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer b) {
    wire.appendInt(b.length()).appendBuffer(b);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int n = wire.getInt(pos);
    return wire.getBuffer(pos + 4, pos + 4 + n);
  }
}
