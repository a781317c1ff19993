package dev.backspin.config;

import java.util.Locale;

/** The I/O transport the operator asks for. */
public enum TransportKind {
  EPOLL,
  IO_URING,
  NIO,
  /** The best native transport this machine has, else NIO (with a warning). */
  AUTO;

  /** The config value that asks for this transport, and the name it is logged under: "epoll", "io_uring", "nio", "auto". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
