package dev.backspin.framing;

/** How the bytes of a connection are cut into frames. */
public enum Framing {
  /** Bytes up to {@code \n}; a {@code \r} just before it belongs to the delimiter. */
  LINE,
  /** Whatever one read returned. */
  RAW,
  /** A 4-byte big-endian length, then that many bytes. */
  LENGTH
}
