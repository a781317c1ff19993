package dev.backspin.work;

/** Reverses a byte range in place: by bytes, or by UTF-8 code points. Pure; no allocation. */
public final class Reverser {

  private Reverser() {
  }

  public static void reverseBytes(byte[] b, int from, int to) {
    for (int i = from, j = to - 1; i < j; i++, j--) {
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
