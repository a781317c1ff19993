package dev.backspin.work;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reverses a byte range in place: by bytes, or by UTF-8 code points. Pure; no allocation. */
public final class Reverser {

  private Reverser() {
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  public static void reverseBytes(byte[] b, int from, int to) {
    int i = from;
    int j = to;
    // eight bytes from each end at a time: swap the two words, each byte-reversed
    while (j - i >= 16) {
      long head = (long) LONGS.get(b, i);
      long tail = (long) LONGS.get(b, j - 8);
      LONGS.set(b, i, Long.reverseBytes(tail));
      LONGS.set(b, j - 8, Long.reverseBytes(head));
      i += 8;
      j -= 8;
    }
    for (j--; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }

  /**
   * Reverses the code points of {@code b[from, to)} in place, so "café" becomes "éfac".
   *
   * @return false, leaving the bytes untouched, when the range is not valid UTF-8
   */
  public static boolean reverseCodePoints(byte[] b, int from, int to) {
    if (!Utf8.isValid(b, from, to)) {
      return false;
    }
    reverseBytes(b, from, to);
    // each multi-byte sequence now reads continuation bytes first, then its lead: turn it back
    int i = from;
    while (i < to) {
      if ((b[i] & 0xC0) == 0x80) {
        int j = i;
        while ((b[j] & 0xC0) == 0x80) {
          j++;
        }
        reverseBytes(b, i, j + 1);
        i = j + 1;
      } else {
        i++;
      }
    }
    return true;
  }
}
