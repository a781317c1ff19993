package dev.backspin.framing;

/** Input that breaks the protocol. The reason is sent to the client as {@code ERR <reason>}. */
public final class FrameException extends Exception {
  public FrameException(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
