package dev.backspin.support;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares byte streams and reports the first difference, not a megabyte dump. */
public final class ByteAssert {

  private ByteAssert() {
  }

  public static void assertSameBytes(String what, byte[] expected, byte[] actual) {
    int n = Math.min(expected.length, actual.length);
    for (int i = 0; i < n; i++) {
      if (expected[i] != actual[i]) {
        fail(what + ": first difference at byte " + i + " of " + expected.length + ": expected "
          + show(expected, i) + " but got " + show(actual, i));
      }
    }
    if (expected.length != actual.length) {
      fail(what + ": expected " + expected.length + " bytes but got " + actual.length);
    }
  }

  private static String show(byte[] b, int at) {
    StringBuilder s = new StringBuilder("[");
    for (int i = Math.max(0, at - 4); i < Math.min(b.length, at + 12); i++) {
      s.append(i == at ? " >" : " ").append(b[i] & 0xff);
    }
    return s.append(" ]").toString();
  }
}
