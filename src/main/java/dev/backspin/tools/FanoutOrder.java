package dev.backspin.tools;

import java.util.Map;
import java.util.TreeMap;

/**
 * One sender's lines as one receiver gets them: sequence numbers 0, 1, 2, ... each once and in
 * order. A number past the one expected is a <em>gap</em>, and the numbers it skipped are held as
 * holes; one that later fills a hole came <em>late</em> (the stream was reordered); one below the
 * expected number that fills no hole is a <em>duplicate</em>. At the end, what the sender sent
 * and this receiver never got is <em>lost</em>: the holes still open and the tail never reached.
 * Pure: no sockets, no clock.
 *
 * <p>At most {@value #MAX_HOLES} holes are held; past that the oldest is forgotten (still counted
 * lost), and a line that fills it afterwards counts as a duplicate. Only a stream that is already
 * far from clean gets there.
 */
final class FanoutOrder {

  /** What one line was. */
  enum Verdict { NEXT, GAP, LATE, DUPLICATE }

  static final int MAX_HOLES = 4096;

  private long next;
  // the numbers skipped and not yet come: from -> to (exclusive)
  private final TreeMap<Long, Long> holes = new TreeMap<>();
  private long inHoles;
  private long forgotten;
  private long gaps;
  private long late;
  private long duplicates;

  Verdict accept(long seq) {
    if (seq == next) {
      next++;
      return Verdict.NEXT;
    }
    if (seq > next) {
      hole(next, seq);
      next = seq + 1;
      gaps++;
      return Verdict.GAP;
    }
    Map.Entry<Long, Long> h = holes.floorEntry(seq);
    if (h != null && seq < h.getValue()) {
      fill(h.getKey(), h.getValue(), seq);
      late++;
      return Verdict.LATE;
    }
    duplicates++;
    return Verdict.DUPLICATE;
  }

  private void hole(long from, long to) {
    holes.put(from, to);
    inHoles += to - from;
    if (holes.size() > MAX_HOLES) {
      Map.Entry<Long, Long> oldest = holes.pollFirstEntry();
      long n = oldest.getValue() - oldest.getKey();
      inHoles -= n;
      forgotten += n;
    }
  }

  private void fill(long from, long to, long seq) {
    holes.remove(from);
    if (from < seq) {
      holes.put(from, seq);
    }
    if (seq + 1 < to) {
      holes.put(seq + 1, to);
    }
    inHoles--;
  }

  /** Distinct lines received: duplicates not counted. */
  long received() {
    return next - inHoles - forgotten;
  }

  /** Lines of the first {@code sent} that never came (so far). */
  long lost(long sent) {
    return Math.max(0, sent - next) + inHoles + forgotten;
  }

  /** Whether every one of the first {@code sent} lines came. */
  boolean complete(long sent) {
    return lost(sent) == 0;
  }

  long gaps() {
    return gaps;
  }

  long late() {
    return late;
  }

  long duplicates() {
    return duplicates;
  }
}
