package dev.backspin.errors;

import java.util.Locale;

/**
 * What went wrong on a connection, as a bounded metric label. The protocol's reasons carry
 * numbers ({@code frame too large (max 65536 bytes)}), so they are classified by how they begin.
 */
public enum ErrorKind {
  FRAME_TOO_LARGE("frame too large"),
  BAD_LENGTH_PREFIX("bad length prefix"),
  INVALID_UTF8("invalid UTF-8"),
  NO_WORKER("no worker available"),
  WORKER_TIMEOUT("worker timed out"),
  SLOW_RECEIVER("too slow"),
  /** The memory budget was under pressure and the connection's partial frame could not grow. */
  SERVER_BUSY("server busy"),
  /** A fault of the server's own: a worker failed on the frames, or they got no answer in time. */
  INTERNAL("internal error"),
  NO_ANSWER("no answer in time"),
  /** A socket error: a reset, a failed write. */
  IO(null),
  /** A TLS failure on an open connection. */
  TLS(null),
  OTHER(null);

  private final String reasonPrefix;

  ErrorKind(String reasonPrefix) {
    this.reasonPrefix = reasonPrefix;
  }

  /** The kind of an {@code ERR} reason sent to a client. */
  public static ErrorKind of(String reason) {
    for (ErrorKind k : values()) {
      if (k.reasonPrefix != null && reason.startsWith(k.reasonPrefix)) {
        return k;
      }
    }
    return OTHER;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
