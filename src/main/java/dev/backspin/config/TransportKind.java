package dev.backspin.config;

/** The I/O transport the operator asks for. */
public enum TransportKind {
  EPOLL,
  IO_URING,
  NIO,
  /** The best native transport this machine has, else NIO (with a warning). */
  AUTO
}
