package dev.backspin.framing;

import dev.backspin.errors.Failure;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** What the old C servers did: each read is one frame, whatever its boundaries. */
public final class RawFramer implements Framer {

  private final int maxFrameBytes;

  public RawFramer(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Frames feed(Buffer chunk) throws FrameException {
    if (chunk.length() > maxFrameBytes) {
      throw new FrameException(Failure.frameTooLarge(maxFrameBytes));
    }
    if (chunk.length() == 0) {
      return null;
    }
    byte[] data = chunk.getBytes();
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
