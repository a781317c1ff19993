package dev.backspin.work;

import dev.backspin.bus.PassThroughCodec;
import io.vertx.core.buffer.Buffer;

public final class AcksCodec extends PassThroughCodec<Acks> {

  public static final String NAME = "backspin.acks";

  public AcksCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Acks a) {
    wire.appendInt(a.size());
    for (int i = 0; i < a.size(); i++) {
      wire.appendLong(a.connectionId(i)).appendInt(a.bytes(i));
      appendString(wire, a.error(i));
    }
  }

  @Override
  public Acks decodeFromWire(int pos, Buffer wire) {
    int[] p = {pos + 4};
    int n = wire.getInt(pos);
    Acks a = new Acks();
    for (int i = 0; i < n; i++) {
      long id = wire.getLong(p[0]);
      int bytes = wire.getInt(p[0] + 8);
      p[0] += 12;
      a.add(id, bytes, readString(wire, p));
    }
    return a;
  }
}
