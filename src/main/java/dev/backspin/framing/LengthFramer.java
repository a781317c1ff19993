package dev.backspin.framing;

import dev.backspin.errors.Failure;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** A frame is a 4-byte big-endian length, then that many bytes. The reply keeps the prefix. */
public final class LengthFramer extends AccumulatingFramer {

  public static final int PREFIX = 4;

  private final int maxFrameBytes;

  public LengthFramer(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Frames feed(ByteBuf chunk) throws FrameException {
    acc.append(chunk);
    byte[] data = acc.array();
    int len = acc.length();
    Frames frames = new Frames(data);
    int pos = 0;
    while (len - pos >= PREFIX) {
      int n = readInt(data, pos);
      // reject a bad prefix as soon as it is read, before waiting for its payload
      if (n < 0) {
        throw new FrameException(Failure.badLengthPrefix(Integer.toUnsignedLong(n)), frames);
      }
      if (n > maxFrameBytes) {
        throw new FrameException(Failure.frameTooLarge(maxFrameBytes), frames);
      }
      if (len - pos - PREFIX < n) {
        break;
      }
      frames.add(pos + PREFIX, pos + PREFIX + n, pos + PREFIX + n);
      pos += PREFIX + n;
    }
    if (frames.count() == 0) {
      return null;
    }
    acc.handOff(pos);
    return frames;
  }

  static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  /** Encodes one frame: prefix and payload. */
  public static Buffer frame(byte[] payload) {
    return Buffer.buffer(PREFIX + payload.length).appendInt(payload.length).appendBytes(payload);
  }

  @Override
  public Buffer errorReply(String reason) {
    return frame(("ERR " + reason).getBytes(StandardCharsets.UTF_8));
  }

}
