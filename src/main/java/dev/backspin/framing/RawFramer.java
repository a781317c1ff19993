package dev.backspin.framing;

import dev.backspin.errors.Failure;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** What the old C servers did: each read is one frame, whatever its boundaries. */
public final class RawFramer implements Framer {

  private final int maxFrameBytes;

  public RawFramer(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Frames feed(ByteBuf chunk) throws FrameException {
    int n = chunk.readableBytes();
    if (n > maxFrameBytes) {
      throw new FrameException(Failure.frameTooLarge(maxFrameBytes));
    }
    if (n == 0) {
      return null;
    }
    byte[] data = new byte[n];
    chunk.getBytes(chunk.readerIndex(), data);
    Frames frames = new Frames(data);
    frames.add(0, data.length, data.length);
    return frames;
  }

  @Override
  public int pendingCapacity() {
    return 0;
  }

  @Override
  public void discardPending() {
    // holds nothing
  }

  @Override
  public Buffer errorReply(String reason) {
    return Buffer.buffer("ERR " + reason + "\n", StandardCharsets.UTF_8.name());
  }

}
