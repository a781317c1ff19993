package dev.backspin.tools;

import dev.backspin.framing.Framing;
import dev.backspin.framing.LengthFramer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * What a bench connection sends and the exact reply a correct server gives: the payload reversed
 * (reverse) or unchanged (echo), in the same framing. Each message carries a stamp, the
 * connection's number and the message's sequence number in capital letters, at the start of its
 * payload; the rest of the payload is a fixed random body. So a stale, duplicated, reordered or
 * misrouted reply differs from the one expected, while the size on the wire stays exactly
 * {@code size}. Pure: no sockets.
 */
public final class BenchMessage {

  /** What the server is expected to do with each frame. */
  public enum Expect { REVERSE, ECHO }

  /** Stamp letters: 8 for the sequence number (26^8, 2·10^11 messages), 4 for the connection. */
  static final int SEQ_LETTERS = 8;
  static final int STAMP_LETTERS = SEQ_LETTERS + 4;

  private final Expect expect;
  private final int prefix;       // framing bytes before the payload
  private final int payloadLength;
  private final int stampLength;  // a payload shorter than STAMP_LETTERS carries the low letters only
  private final byte[] request;   // with a blank stamp
  private final byte[] reply;     // with a blank stamp
  private final byte[] tail;      // the request after its stamp: the same for every message

  private BenchMessage(Expect expect, int prefix, int payloadLength, int stampLength, byte[] request, byte[] reply) {
    this.expect = expect;
    this.prefix = prefix;
    this.payloadLength = payloadLength;
    this.stampLength = stampLength;
    this.request = request;
    this.reply = reply;
    this.tail = Arrays.copyOfRange(request, prefix + stampLength, request.length);
  }

  /**
   * A message of {@code size} bytes on the wire, printable payload (never the line "exit": the
   * stamp is in capitals).
   *
   * @throws IllegalArgumentException when {@code size} cannot hold the framing's overhead
   */
  public static BenchMessage of(Framing framing, int size, Expect expect, Random rnd) {
    int overhead = switch (framing) {
      case LINE -> 1;
      case LENGTH -> 4;
      case RAW -> 0;
    };
    if (size < overhead + 1) {
      throw new IllegalArgumentException("--size must be at least " + (overhead + 1) + " for "
        + framing.name().toLowerCase(Locale.ROOT) + " framing, got " + size);
    }
    byte[] payload = new byte[size - overhead];
    int stampLength = Math.min(payload.length, STAMP_LETTERS);
    Arrays.fill(payload, 0, stampLength, (byte) 'A');
    for (int i = stampLength; i < payload.length; i++) {
      payload[i] = (byte) ('a' + rnd.nextInt(26));
    }
    byte[] answer = expect == Expect.REVERSE ? reversed(payload) : payload.clone();
    return new BenchMessage(expect, framing == Framing.LENGTH ? 4 : 0, payload.length, stampLength, frame(framing, payload), frame(framing, answer));
  }

  /** Bytes on the wire per message, request and reply alike. */
  public int size() {
    return request.length;
  }

  /** The first bytes of message {@code seq} of connection {@code conn}: the framing prefix and the stamp. */
  public byte[] head(int conn, long seq) {
    byte[] head = Arrays.copyOf(request, prefix + stampLength);
    stamp(conn, seq, head, prefix);
    return head;
  }

  /** The rest of every message, after {@link #head}; shared, so never to be changed. */
  public byte[] tail() {
    return tail;
  }

  /** The whole request {@code seq} of connection {@code conn}. */
  public byte[] request(int conn, long seq) {
    byte[] r = request.clone();
    stamp(conn, seq, r, prefix);
    return r;
  }

  /** The whole reply a correct server gives to request {@code seq} of connection {@code conn}. */
  public byte[] reply(int conn, long seq) {
    byte[] r = reply.clone();
    replyStamp(conn, seq, r, replyStampAt());
    return r;
  }

  /** The reply with a blank stamp: every byte outside {@code [replyStampAt, replyStampAt + stampLength)} is right for every message. */
  byte[] replyTemplate() {
    return reply;
  }

  int stampLength() {
    return stampLength;
  }

  /** Where the stamp sits in the reply: at the start of the payload, or reversed at its end. */
  int replyStampAt() {
    return expect == Expect.REVERSE ? prefix + payloadLength - stampLength : prefix;
  }

  /** Writes the stamp as it appears in the reply to {@code (conn, seq)} into {@code dst} at {@code at}. */
  void replyStamp(int conn, long seq, byte[] dst, int at) {
    stamp(conn, seq, dst, at);
    if (expect == Expect.REVERSE) {
      reverse(dst, at, at + stampLength);
    }
  }

  /** Base 26 in capitals, least significant letter first: the sequence number, then the connection. */
  private void stamp(int conn, long seq, byte[] dst, int at) {
    long s = seq;
    for (int i = 0; i < Math.min(stampLength, SEQ_LETTERS); i++) {
      dst[at + i] = (byte) ('A' + (int) Math.floorMod(s, 26L));
      s = Math.floorDiv(s, 26L);
    }
    int c = conn;
    for (int i = SEQ_LETTERS; i < stampLength; i++) {
      dst[at + i] = (byte) ('A' + Math.floorMod(c, 26));
      c = Math.floorDiv(c, 26);
    }
  }

  private static byte[] reversed(byte[] payload) {
    byte[] r = payload.clone();
    reverse(r, 0, r.length);
    return r;
  }

  private static void reverse(byte[] b, int from, int to) {
    for (int i = from, j = to - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }

  private static byte[] frame(Framing framing, byte[] payload) {
    return switch (framing) {
      case LINE -> {
        byte[] b = new byte[payload.length + 1];
        System.arraycopy(payload, 0, b, 0, payload.length);
        b[payload.length] = '\n';
        yield b;
      }
      case LENGTH -> LengthFramer.frame(payload).getBytes();
      case RAW -> payload;
    };
  }
}
