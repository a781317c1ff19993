package dev.backspin.bus;

import io.vertx.core.buffer.Buffer;

/** Hands a reply buffer to the socket's write handler without the copy Vert.x's own codec makes. */
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
