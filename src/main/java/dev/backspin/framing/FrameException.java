package dev.backspin.framing;

/** Input that breaks the protocol. The reason is sent to the client as {@code ERR <reason>}. */
public final class FrameException extends Exception {

  private final transient Frames completed;

  public FrameException(String reason) {
    this(reason, null);
  }

  /** @param completed the frames the same read completed before the bad one, or null */
  public FrameException(String reason, Frames completed) {
    super(reason, null, false, false);
    this.completed = completed != null && completed.count() > 0 ? completed : null;
  }

  /** The frames before the bad input, which are still owed an answer; null if none. */
  public Frames completed() {
    return completed;
  }

  public String reason() {
    return getMessage();
  }
}
