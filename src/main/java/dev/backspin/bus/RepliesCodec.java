package dev.backspin.bus;

import dev.backspin.bus.PassThroughCodec;
import io.vertx.core.buffer.Buffer;

/** Replies go only to fronts on the worker's own node; the wire form joins each reply's parts. */
public final class RepliesCodec extends PassThroughCodec<Replies> {

  public static final String NAME = "backspin.replies";

  public RepliesCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Replies r) {
    wire.appendInt(r.size());
    for (int i = 0; i < r.size(); i++) {
      wire.appendLong(r.connectionId(i)).appendInt(r.length(i));
      for (int k = r.firstPart(i); k < r.endPart(i); k++) {
        wire.appendBytes(r.part(k), 0, r.partLength(k));
      }
    }
  }

  @Override
  public Replies decodeFromWire(int pos, Buffer wire) {
    int n = wire.getInt(pos);
    int p = pos + 4;
    Replies r = new Replies();
    for (int i = 0; i < n; i++) {
      long id = wire.getLong(p);
      int length = wire.getInt(p + 8);
      r.add(id, wire.getBytes(p + 12, p + 12 + length), length);
      p += 12 + length;
    }
    return r;
  }
}
