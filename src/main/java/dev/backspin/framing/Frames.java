package dev.backspin.framing;

import java.util.Arrays;

/**
 * The complete frames that one read finished: their wire bytes, contiguous in {@code data[0..length)}
 * with delimiters and length prefixes kept, plus where each payload lies. A service transforms the
 * payloads in place and writes the whole region back, so a batch of frames costs one write.
 */
public final class Frames {

  /** Per frame: payload start, payload end, frame end (delimiter included). */
  private static final int MARKS = 3;

  private final byte[] data;
  private int[] marks;
  private int count;

  Frames(byte[] data) {
    this.data = data;
    this.marks = new int[MARKS * 4];
  }

  /** A batch that already knows its marks, e.g. one decoded from the wire. */
  public Frames(byte[] data, int[] marks, int count) {
    this.data = data;
    this.marks = marks;
    this.count = count;
  }

  void add(int payloadStart, int payloadEnd, int frameEnd) {
    if (MARKS * (count + 1) > marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[MARKS * count] = payloadStart;
    marks[MARKS * count + 1] = payloadEnd;
    marks[MARKS * count + 2] = frameEnd;
    count++;
  }

  /** The wire bytes; only {@code [0, length())} belongs to these frames. */
  public byte[] data() { return data; }
  public int length() { return count == 0 ? 0 : frameEnd(count - 1); }
  public int count() { return count; }
  public int payloadStart(int i) { return marks[MARKS * i]; }
  public int payloadEnd(int i) { return marks[MARKS * i + 1]; }
  public int frameEnd(int i) { return marks[MARKS * i + 2]; }
  /** The marks of all frames, {@code 3 * count()} ints, for encoding. */
  public int[] marks() { return Arrays.copyOf(marks, MARKS * count); }

  /** The index of the first frame whose payload equals {@code payload}, or -1. */
  public int indexOf(byte[] payload) {
    for (int i = 0; i < count; i++) {
      int s = payloadStart(i);
      if (payloadEnd(i) - s == payload.length && Arrays.equals(data, s, s + payload.length, payload, 0, payload.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Keeps only the first {@code n} frames. */
  public void truncate(int n) {
    count = Math.min(count, n);
  }
}
