package dev.backspin.bus;

import dev.backspin.bus.PassThroughCodec;
import io.vertx.core.buffer.Buffer;

public final class RejectionsCodec extends PassThroughCodec<Rejections> {

  public static final String NAME = "backspin.rejections";

  public RejectionsCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Rejections r) {
    wire.appendInt(r.size());
    for (int i = 0; i < r.size(); i++) {
      wire.appendLong(r.connectionId(i)).appendInt(r.unansweredBytes(i));
      appendFailure(wire, r.failure(i));
    }
  }

  @Override
  public Rejections decodeFromWire(int pos, Buffer wire) {
    int[] p = {pos + 4};
    int n = wire.getInt(pos);
    Rejections r = new Rejections();
    for (int i = 0; i < n; i++) {
      long id = wire.getLong(p[0]);
      int bytes = wire.getInt(p[0] + 8);
      p[0] += 12;
      r.add(id, bytes, readFailure(wire, p));
    }
    return r;
  }
}
