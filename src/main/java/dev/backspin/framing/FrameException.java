package dev.backspin.framing;

import dev.backspin.errors.Failure;

/** Input that breaks the protocol. The reason is sent to the client as {@code ERR <reason>}. */
public final class FrameException extends Exception {

  private final transient Failure failure;
  private final transient Frames completed;

  public FrameException(Failure failure) {
    this(failure, null);
  }

  /** @param completed the frames the same read completed before the bad one, or null */
  public FrameException(Failure failure, Frames completed) {
    super(failure.reason(), null, false, false);
    this.failure = failure;
    this.completed = completed != null && completed.count() > 0 ? completed : null;
  }

  /** What broke, typed for metrics and worded for the client. */
  public Failure failure() {
    return failure;
  }

  /** The frames before the bad input, which are still owed an answer; null if none. */
  public Frames completed() {
    return completed;
  }

  public String reason() {
    return getMessage();
  }
}
