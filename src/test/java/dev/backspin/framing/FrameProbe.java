package dev.backspin.framing;

import java.util.Arrays;

/** What tests read of frames and framers that the server itself never needs. */
public final class FrameProbe {

  private FrameProbe() {
  }

  /** A copy of payload {@code i} of {@code frames}. */
  public static byte[] payload(Frames frames, int i) {
    return Arrays.copyOfRange(frames.data(), frames.payloadStart(i), frames.payloadEnd(i));
  }

  /** Bytes {@code framer} holds back for a frame that is not complete yet. */
  static int pendingBytes(Framer framer) {
    if (framer instanceof AccumulatingFramer a) {
      return a.acc.length();
    }
    if (framer instanceof RawFramer) {
      return 0; // each read is a whole frame
    }
    throw new IllegalArgumentException("no probe for " + framer.getClass().getName());
  }
}
