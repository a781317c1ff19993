package dev.backspin.errors;

import java.util.Locale;

/** Why a connection was turned away before it was served. */
public enum RejectReason {
  /** The service's maxConnections were open. */
  TOO_MANY_CONNECTIONS("too many connections"),
  /** The TLS handshake failed (no or a wrong client certificate, not TLS at all...). */
  TLS_HANDSHAKE(null),
  /** Any other failure before the connection was served: a reset or an I/O error during the handshake. */
  CONNECTION_ERROR(null);

  private final String reason;

  RejectReason(String reason) {
    this.reason = reason;
  }

  /** What a client turned away for this reason reads after {@code ERR}; null if it is never told. */
  public String reason() {
    return reason;
  }

  /** Why a connection failed before it reached the service, from what failed it. */
  public static RejectReason beforeServed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return TLS_HANDSHAKE;
      }
    }
    return CONNECTION_ERROR;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
