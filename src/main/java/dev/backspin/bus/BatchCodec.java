package dev.backspin.bus;

import dev.backspin.bus.PassThroughCodec;
import dev.backspin.framing.Frames;
import io.vertx.core.buffer.Buffer;

/**
 * Local delivery passes the batch itself; the wire form carries, per read, its connection, bytes
 * and payload bounds, but not its socket's writeHandlerID, which only its own node can reach.
 */
public final class BatchCodec extends PassThroughCodec<Batch> {

  public static final String NAME = "backspin.batch";

  public BatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Batch b) {
    appendString(wire, b.frontAddress());
    wire.appendInt(b.size());
    for (int i = 0; i < b.size(); i++) {
      Frames f = b.frames(i);
      wire.appendLong(b.connectionId(i));
      wire.appendInt(f.length()).appendBytes(f.data(), 0, f.length());
      int[] marks = f.marks();
      wire.appendInt(f.count());
      for (int m : marks) {
        wire.appendInt(m);
      }
    }
  }

  @Override
  public Batch decodeFromWire(int pos, Buffer wire) {
    int[] p = {pos};
    String frontAddress = readString(wire, p);
    int size = wire.getInt(p[0]);
    p[0] += 4;
    Batch b = new Batch(frontAddress, size);
    for (int i = 0; i < size; i++) {
      long id = wire.getLong(p[0]);
      int length = wire.getInt(p[0] + 8);
      byte[] data = wire.getBytes(p[0] + 12, p[0] + 12 + length);
      p[0] += 12 + length;
      int count = wire.getInt(p[0]);
      p[0] += 4;
      int[] marks = new int[3 * count];
      for (int k = 0; k < marks.length; k++, p[0] += 4) {
        marks[k] = wire.getInt(p[0]);
      }
      b.add(id, null, new Frames(data, marks, count)); // a writeHandlerID is of no use on another node
    }
    return b;
  }
}
