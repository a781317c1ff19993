package dev.backspin.bus;

import dev.backspin.bus.PassThroughCodec;
import io.vertx.core.buffer.Buffer;

public final class RemoteReplyCodec extends PassThroughCodec<RemoteReply> {

  public static final String NAME = "backspin.remote-reply";

  public RemoteReplyCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, RemoteReply r) {
    wire.appendInt(r.length()).appendBytes(r.data(), 0, r.length());
    appendFailure(wire, r.error());
  }

  @Override
  public RemoteReply decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    byte[] data = wire.getBytes(pos + 4, pos + 4 + length);
    int[] p = {pos + 4 + length};
    return new RemoteReply(data, length, readFailure(wire, p));
  }
}
