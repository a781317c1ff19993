package dev.backspin.tools;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fan-out line is exactly its fields and filler, and anything else, an ERR line or a changed byte, is not one. */
class FanoutLineTest {

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** Parses {@code line} as the receiver does: without its newline. */
  private static FanoutLine parsed(byte[] line, int lineBytes) {
    FanoutLine p = new FanoutLine();
    assertThat(p.parse(line, 0, line.length - 1, lineBytes)).as(ascii(line)).isTrue();
    return p;
  }

  private static boolean parses(String line, int lineBytes) {
    byte[] b = line.getBytes(StandardCharsets.US_ASCII);
    return new FanoutLine().parse(b, 0, b.length, lineBytes);
  }

  @Test
  void tooShortALineOrAnOutOfRangeFieldIsRefused() {
    assertThatThrownBy(() -> FanoutLine.format(FanoutLine.DATA, 1, 0, 0, FanoutLine.MIN_BYTES - 1))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lineBytes >= 36");
    assertThatThrownBy(() -> FanoutLine.format(FanoutLine.DATA, 10_000, 0, 0, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FanoutLine.format(FanoutLine.DATA, 1, -1, 0, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FanoutLine.format(FanoutLine.DATA, 1, FanoutLine.MAX_SEQ + 1, 0, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLineIsItsFieldsThenFillerToItsLength() {
    assertThat(ascii(FanoutLine.format(FanoutLine.DATA, 3, 42, 0x00000a1b2c3d4e5fL, 50)))
      .isEqualTo("S0003 000000000042 00000a1b2c3d4e5f..............\n").hasSize(50);
    assertThat(ascii(FanoutLine.format(FanoutLine.HELLO, 0, 7, -1L, FanoutLine.MIN_BYTES)))
      .isEqualTo("H0000 000000000007 ffffffffffffffff\n");
  }

  @Test
  void whatIsWrittenReadsBackEvenANegativeNanoTime() {
    for (long nanos : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, System.nanoTime()}) {
      FanoutLine p = parsed(FanoutLine.format(FanoutLine.DATA, 9_999, FanoutLine.MAX_SEQ, nanos, 100), 100);
      assertThat(p.kind).isEqualTo(FanoutLine.DATA);
      assertThat(p.sender).isEqualTo(9_999);
      assertThat(p.seq).isEqualTo(FanoutLine.MAX_SEQ);
      assertThat(p.sentNanos).isEqualTo(nanos);
    }
    FanoutLine hello = parsed(FanoutLine.format(FanoutLine.HELLO, 0, 5, 123, 36), 36);
    assertThat(hello.kind).isEqualTo(FanoutLine.HELLO);
    assertThat(hello.seq).isEqualTo(5);
  }

  @Test
  void linesWrittenBackToBackEachEndWhereTheNextBegins() {
    byte[] b = new byte[3 * 40];
    int at = 0;
    for (int i = 0; i < 3; i++) {
      at = FanoutLine.write(b, at, FanoutLine.DATA, 2, i, 1000 + i, 40);
    }
    assertThat(at).isEqualTo(b.length);
    for (int i = 0; i < 3; i++) {
      FanoutLine p = new FanoutLine();
      assertThat(p.parse(b, 40 * i, 40 * i + 39, 40)).isTrue();
      assertThat(p.seq).isEqualTo(i);
      assertThat(p.sentNanos).isEqualTo(1000 + i);
    }
  }

  @Test
  void anythingButAnExactLineIsMalformed() {
    String good = "S0003 000000000042 00000a1b2c3d4e5f..............";
    assertThat(parses(good, 50)).isTrue();
    assertThat(parses(good, 51)).as("another length").isFalse();
    assertThat(parses(good + ".", 50)).as("a byte more").isFalse();
    assertThat(parses("ERR too slow", 50)).isFalse();
    assertThat(parses("X" + good.substring(1), 50)).as("an unknown kind").isFalse();
    assertThat(parses(good.replace("0003 ", "0O03 "), 50)).as("a letter in the sender").isFalse();
    assertThat(parses(good.replace("000000000042", "00000000004x"), 50)).as("a letter in the sequence").isFalse();
    assertThat(parses(good.replace("00000a1b2c3d4e5f", "00000A1B2C3D4E5F"), 50)).as("upper-case hex").isFalse();
    assertThat(parses(good.replace("0042 0000", "0042_0000"), 50)).as("no space between fields").isFalse();
    assertThat(parses(good.substring(0, 45) + "x...", 50)).as("a changed filler byte").isFalse();
  }
}
