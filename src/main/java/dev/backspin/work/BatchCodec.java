package dev.backspin.work;

import dev.backspin.bus.PassThroughCodec;
import dev.backspin.framing.Frames;
import io.vertx.core.buffer.Buffer;

/** Local delivery passes the batch itself; the wire form carries ids, bytes and payload bounds. */
public final class BatchCodec extends PassThroughCodec<Batch> {

  public static final String NAME = "backspin.batch";

  public BatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Batch b) {
    Frames f = b.frames();
    wire.appendLong(b.connectionId());
    appendString(wire, b.writeHandlerID());
    appendString(wire, b.frontAddress());
    wire.appendInt(f.length()).appendBytes(f.data(), 0, f.length());
    int[] marks = f.marks();
    wire.appendInt(f.count());
    for (int m : marks) {
      wire.appendInt(m);
    }
  }

  @Override
  public Batch decodeFromWire(int pos, Buffer wire) {
    int[] p = {pos};
    long id = wire.getLong(p[0]);
    p[0] += 8;
    String writeHandlerID = readString(wire, p);
    String frontAddress = readString(wire, p);
    int length = wire.getInt(p[0]);
    byte[] data = wire.getBytes(p[0] + 4, p[0] + 4 + length);
    p[0] += 4 + length;
    int count = wire.getInt(p[0]);
    p[0] += 4;
    int[] marks = new int[3 * count];
    for (int i = 0; i < marks.length; i++, p[0] += 4) {
      marks[i] = wire.getInt(p[0]);
    }
    return new Batch(id, writeHandlerID, frontAddress, new Frames(data, marks, count));
  }
}
