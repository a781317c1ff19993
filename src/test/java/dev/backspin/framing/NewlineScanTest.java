package dev.backspin.framing;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NewlineScanTest {

  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Test
  void noNewlineAndEmptyRange() {
    byte[] b = "abcdefghijklmnopqrstuvwxyz".getBytes();
    assertThat(NewlineScan.indexOf(b, 0, b.length)).isEqualTo(-1);
    assertThat(NewlineScan.indexOf(b, 5, 5)).isEqualTo(-1);
  }

  @Test
  void aNewlineAtEveryPositionOfEveryRange() {
    for (int len = 1; len <= 40; len++) {
      for (int at = 0; at < len; at++) {
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) 'x');
        b[at] = '\n';
        for (int from = 0; from <= len; from++) {
          for (int to = from; to <= len; to++) {
            assertThat(NewlineScan.indexOf(b, from, to)).as("len %d at %d [%d,%d)", len, at, from, to).isEqualTo(naive(b, from, to));
          }
        }
      }
    }
  }

  @Test
  void neighboursOfTheNewlineByteNeverMatch() {
    // 0x0B, 0x09, 0x8A and 0x00 differ from '\n' by one bit or by a borrow in a naive zero test
    byte[] near = {0x0B, 0x09, (byte) 0x8A, 0x00, 0x0A ^ 0x7F, (byte) 0xFF, 0x01, 0x0A};
    for (int shift = 0; shift < 8; shift++) {
      byte[] b = new byte[24];
      for (int i = 0; i < b.length; i++) {
        b[i] = near[(i + shift) % (near.length - 1)];
      }
      b[17] = '\n';
      assertThat(NewlineScan.indexOf(b, 0, b.length)).isEqualTo(17);
    }
  }

  @Test
  void randomBytesAgreeWithAByteLoop() {
    Random r = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      byte[] b = new byte[r.nextInt(100)];
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextInt(20) == 0 ? (byte) '\n' : (byte) r.nextInt(256);
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int to = from + r.nextInt(b.length - from + 1);
      assertThat(NewlineScan.indexOf(b, from, to)).isEqualTo(naive(b, from, to));
    }
  }
}
