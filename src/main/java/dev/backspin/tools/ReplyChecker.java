package dev.backspin.tools;

import java.util.Arrays;

/**
 * Checks one connection's replies as they arrive, in pieces of any size: each reply must be the
 * exact reply to the oldest request still owed, stamp included, so a corrupted, stale, duplicated
 * or misrouted reply is a mismatch. Bytes that come when no reply is owed are excess. Used in both
 * modes: request/response owes one reply at a time, streaming a window of them. Pure: no sockets.
 */
final class ReplyChecker {

  /** What the checker found, as it finds it. */
  interface Verdicts {
    /** Reply {@code seq} is complete; {@code ok} when every byte of it was right. */
    void reply(long seq, boolean ok);

    /** {@code got[from, to)} came with no reply owed. */
    void excess(byte[] got, int from, int to);
  }

  private final BenchMessage message;
  private final int conn;
  private final byte[] template;
  private final int stampAt;
  private final int stampEnd;
  private final byte[] stamp;  // the stamp the reply being read must carry
  private long sent;
  private long answered;
  private int at;              // bytes of the reply being read
  private boolean bad;

  ReplyChecker(BenchMessage message, int conn) {
    this.message = message;
    this.conn = conn;
    this.template = message.replyTemplate();
    this.stampAt = message.replyStampAt();
    this.stampEnd = stampAt + message.stampLength();
    this.stamp = new byte[message.stampLength()];
  }

  /** A request is going out: its sequence number, to stamp it with. */
  long send() {
    return sent++;
  }

  /** Requests whose reply is not complete yet. */
  long owed() {
    return sent - answered;
  }

  /** Bytes of the reply being read that have come. */
  int partial() {
    return at;
  }

  /** Bytes of reply still owed. */
  long owedBytes() {
    return owed() * template.length - at;
  }

  void feed(byte[] got, int from, int to, Verdicts verdicts) {
    int i = from;
    while (i < to) {
      if (answered == sent) {
        verdicts.excess(got, i, to);
        return;
      }
      if (at == 0) {
        message.replyStamp(conn, answered, stamp, 0);
      }
      int n = Math.min(to - i, template.length - at);
      if (!matches(got, i, at, at + n)) {
        bad = true;
      }
      i += n;
      at += n;
      if (at == template.length) {
        long seq = answered++;
        boolean ok = !bad;
        at = 0;
        bad = false;
        verdicts.reply(seq, ok); // may send the next request: the loop sees it
      }
    }
  }

  /** Whether {@code got} from {@code g} holds the expected reply's bytes {@code [a, b)}. */
  private boolean matches(byte[] got, int g, int a, int b) {
    int s = Math.max(a, Math.min(b, stampAt));
    int e = Math.max(s, Math.min(b, stampEnd));
    return Arrays.equals(got, g, g + s - a, template, a, s)
      && (e == s || Arrays.equals(got, g + s - a, g + e - a, stamp, s - stampAt, e - stampAt)) // an empty range may lie outside the stamp
      && Arrays.equals(got, g + e - a, g + b - a, template, e, b);
  }
}
