package dev.backspin.work;

import dev.backspin.config.ReverseUnit;
import dev.backspin.framing.Frames;

/** What a worker does to one read's frames, in place. */
@FunctionalInterface
public interface FrameTransform {

  /**
   * Transforms the frames in place; if a frame cannot be, truncates them to those before it and
   * returns why (the client's {@code ERR} reason), else null.
   */
  String apply(Frames frames);

  String INVALID_UTF8 = "invalid UTF-8";

  /** Reverses each payload by the unit. */
  static FrameTransform reverse(ReverseUnit unit) {
    return frames -> {
      byte[] data = frames.data();
      for (int i = 0; i < frames.count(); i++) {
        int s = frames.payloadStart(i);
        int e = frames.payloadEnd(i);
        if (unit == ReverseUnit.BYTE) {
          Reverser.reverseBytes(data, s, e);
        } else if (!Reverser.reverseCodePoints(data, s, e)) {
          frames.truncate(i);
          return INVALID_UTF8;
        }
      }
      return null;
    };
  }
}
