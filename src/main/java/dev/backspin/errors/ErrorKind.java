package dev.backspin.errors;

import java.util.Locale;

/** What went wrong on a connection, as a bounded metric label; {@link Failure} words each for the client. */
public enum ErrorKind {
  FRAME_TOO_LARGE,
  BAD_LENGTH_PREFIX,
  INVALID_UTF8,
  NO_WORKER,
  WORKER_TIMEOUT,
  SLOW_RECEIVER,
  /** The memory budget was under pressure and the connection's partial frame could not grow. */
  SERVER_BUSY,
  /** A fault of the server's own: a worker failed on the frames, or they got no answer in time. */
  INTERNAL,
  NO_ANSWER,
  /** A socket error: a reset, a failed write. */
  IO,
  /** A TLS failure on an open connection. */
  TLS,
  OTHER;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
