package dev.backspin.errors;

/**
 * Why a connection is closed with {@code ERR <reason>}: the kind, which metrics count, and the
 * reason the client reads. Each reason is worded here and nowhere else.
 */
public record Failure(ErrorKind kind, String reason) {

  public static Failure frameTooLarge(int maxFrameBytes) {
    return new Failure(ErrorKind.FRAME_TOO_LARGE, "frame too large (max " + maxFrameBytes + " bytes)");
  }

  public static Failure badLengthPrefix(long prefix) {
    return new Failure(ErrorKind.BAD_LENGTH_PREFIX, "bad length prefix " + prefix);
  }

  public static Failure invalidUtf8() {
    return new Failure(ErrorKind.INVALID_UTF8, "invalid UTF-8");
  }

  public static Failure noWorker() {
    return new Failure(ErrorKind.NO_WORKER, "no worker available");
  }

  public static Failure workerTimeout() {
    return new Failure(ErrorKind.WORKER_TIMEOUT, "worker timed out");
  }

  public static Failure tooSlow() {
    return new Failure(ErrorKind.SLOW_RECEIVER, "too slow");
  }

  public static Failure serverBusy() {
    return new Failure(ErrorKind.SERVER_BUSY, "server busy");
  }

  public static Failure internal() {
    return new Failure(ErrorKind.INTERNAL, "internal error");
  }

  public static Failure noAnswer() {
    return new Failure(ErrorKind.NO_ANSWER, "no answer in time");
  }
}
