package dev.backspin.config;

import java.util.Locale;

/** The services Backspin runs on its shared front, each with its config section and default port. */
public enum ServiceKind {
  /** Each frame back, reversed, through the worker hop. */
  REVERSE(9090),
  /** Each frame back unchanged. */
  ECHO(9091),
  /** Each frame to every other client. */
  BROADCAST(9092);

  private final int defaultPort;

  ServiceKind(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** The config section and event-bus name of this service. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
