package dev.backspin.work;

import dev.backspin.config.ReverseUnit;
import dev.backspin.errors.Failure;
import dev.backspin.framing.Frames;

/** What a worker does to one read's frames, in place. */
@FunctionalInterface
public interface FrameTransform {

  /**
   * Transforms the frames in place; if a frame cannot be, truncates them to those before it and
   * returns why, else null.
   */
  Failure apply(Frames frames);

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
          return Failure.invalidUtf8();
        }
      }
      return null;
    };
  }
}
