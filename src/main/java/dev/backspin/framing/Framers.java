package dev.backspin.framing;


/** Makes the framer a framing mode names. */
public final class Framers {

  private Framers() {
  }

  public static Framer create(Framing framing, int maxFrameBytes) {
    return switch (framing) {
      case LINE -> new LineFramer(maxFrameBytes);
      case RAW -> new RawFramer(maxFrameBytes);
      case LENGTH -> new LengthFramer(maxFrameBytes);
    };
  }
}
