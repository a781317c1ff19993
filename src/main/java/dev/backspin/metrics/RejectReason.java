package dev.backspin.metrics;

import java.util.Locale;

/** Why a connection was turned away before it was served. */
public enum RejectReason {
  /** The service's maxConnections were open. */
  TOO_MANY_CONNECTIONS,
  /** The TLS handshake failed (no or a wrong client certificate, not TLS at all...). */
  TLS_HANDSHAKE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
