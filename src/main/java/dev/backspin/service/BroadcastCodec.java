package dev.backspin.service;

import dev.backspin.bus.PassThroughCodec;
import io.vertx.core.buffer.Buffer;

/** Local delivery shares the frames (receivers only read them); the wire form copies them. */
public final class BroadcastCodec extends PassThroughCodec<Broadcast> {

  public static final String NAME = "backspin.broadcast";

  public BroadcastCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Broadcast b) {
    appendString(wire, b.origin());
    appendString(wire, b.node());
    wire.appendLong(b.offset()).appendLong(b.connectionId()).appendInt(b.frames()).appendInt(b.length()).appendBytes(b.data(), 0, b.length());
  }

  @Override
  public Broadcast decodeFromWire(int pos, Buffer wire) {
    int[] p = {pos};
    String origin = readString(wire, p);
    String node = readString(wire, p);
    long offset = wire.getLong(p[0]);
    long id = wire.getLong(p[0] + 8);
    int frames = wire.getInt(p[0] + 16);
    int length = wire.getInt(p[0] + 20);
    byte[] data = wire.getBytes(p[0] + 24, p[0] + 24 + length);
    return new Broadcast(origin, id, data, length, frames, BroadcastFronts.NONE, node, offset);
  }
}
