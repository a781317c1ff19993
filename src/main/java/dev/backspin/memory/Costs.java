package dev.backspin.memory;

/**
 * What the things a connection holds really cost, beyond their bytes: estimates of the objects around
 * them on a 64-bit JVM with compressed references, rounded up. The budget counts these, so a
 * crowd of tiny frames is counted as the heap it fills, not as its payload.
 */
public final class Costs {

  /**
   * A read on its way to an answer: its {@code Frames} and their marks, the array's header, its
   * slot in a batch and in a drain's replies, and its share of the event-bus messages and of the
   * reply buffer's wrappers.
   */
  public static final int READ = 256;

  /**
   * A write in Netty's outbound buffer: its entry (Netty itself reckons 96 bytes), the direct
   * buffer that holds its copy of the bytes, and that buffer's rounding to its size class.
   */
  public static final int WRITE = 192;

  /** A read Vert.x has not yet handed to the connection (its inbound queue): a heap copy and its wrappers. */
  public static final int INBOUND = 128;

  /** A write waiting in Vert.x's outbound queue, before it reaches Netty: the message and its promise. */
  public static final int QUEUED_WRITE = 160;

  /**
   * An open connection's own objects: its Netty channel and pipeline, Vert.x's socket and its
   * event-bus registration, the connection, framer and tap (measured: about 4.6 KB per idle
   * connection on this JVM).
   */
  public static final int CONNECTION = 4608;

  private Costs() {
  }
}
