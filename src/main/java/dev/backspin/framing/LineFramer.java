package dev.backspin.framing;

import dev.backspin.errors.Failure;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** A frame is the bytes before {@code \n}; a {@code \r} just before it belongs to the delimiter. */
public final class LineFramer extends AccumulatingFramer {

  private final int maxFrameBytes;

  public LineFramer(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Frames feed(ByteBuf chunk) throws FrameException {
    // the held-back bytes hold no '\n': scan only what is new
    int from = acc.append(chunk);
    byte[] data = acc.array();
    int len = acc.length();
    Frames frames = new Frames(data);
    int start = 0;
    for (int i = NewlineScan.indexOf(data, from, len); i >= 0; i = NewlineScan.indexOf(data, i + 1, len)) {
      int end = i > start && data[i - 1] == '\r' ? i - 1 : i;
      checkSize(end - start, frames);
      frames.add(start, end, i + 1);
      start = i + 1;
    }
    int rest = len - start;
    // a trailing '\r' may still turn out to be part of the delimiter
    checkSize(rest > 0 && data[len - 1] == '\r' ? rest - 1 : rest, frames);
    if (frames.count() == 0) {
      return null;
    }
    acc.handOff(start);
    return frames;
  }

  private void checkSize(int payload, Frames before) throws FrameException {
    if (payload > maxFrameBytes) {
      throw new FrameException(Failure.frameTooLarge(maxFrameBytes), before);
    }
  }

  @Override
  public Buffer errorReply(String reason) {
    return Buffer.buffer("ERR " + reason + "\n", StandardCharsets.UTF_8.name());
  }

}
