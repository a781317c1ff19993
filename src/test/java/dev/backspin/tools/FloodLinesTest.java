package dev.backspin.tools;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flood's lines: distinct, reproducible, never {@code exit}, and their replies reversed. */
class FloodLinesTest {

  private final FloodLines lines = new FloodLines(7);

  private byte[] line(FloodLines l, int client, long seq, int length) {
    byte[] b = new byte[length];
    l.line(client, seq, length, b);
    return b;
  }

  @Test
  void aStreamIsWholeLinesAndAShorterLast() {
    assertThat(FloodLines.lineCount(2L << 20)).isEqualTo(2048);
    assertThat(FloodLines.lineLength(2L << 20, 2047)).isEqualTo(1024);
    assertThat(FloodLines.lineCount(3000)).isEqualTo(3);
    assertThat(FloodLines.lineLength(3000, 2)).isEqualTo(3000 - 2048);
    assertThat(FloodLines.lineCount(0)).isZero();
    assertThatThrownBy(() -> FloodLines.lineLength(3000, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FloodLines.lineLength(3000, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachLineEndsInOneNewlineAndHoldsNoLowercaseNoCrNoOtherNewline() {
    for (int length : new int[] {1, 2, 5, 19, 20, 21, 1023, 1024}) {
      byte[] b = line(lines, 3, 9, length);
      assertThat(b[length - 1]).isEqualTo((byte) '\n');
      for (int i = 0; i < length - 1; i++) {
        assertThat(b[i]).as("byte %d of a %d-byte line", i, length)
          .isNotEqualTo((byte) '\n').isNotEqualTo((byte) '\r').isBetween((byte) ' ', (byte) '~');
        assertThat(b[i] >= 'a' && b[i] <= 'z').as("lowercase at byte %d", i).isFalse();
      }
    }
    // "exit" is lowercase: no line of any length can be it
    assertThat(new String(line(lines, 0, 0, 5), StandardCharsets.US_ASCII)).isNotEqualTo("exit\n");
  }

  @Test
  void aLineStartsWithItsClientAndSequence() {
    assertThat(new String(line(lines, 17, 42, 1024), 0, FloodLines.HEADER_BYTES, StandardCharsets.US_ASCII))
      .isEqualTo("C000017 S000000042 ");
    assertThat(new String(line(lines, 999_999, 999_999_999L, 30), 0, FloodLines.HEADER_BYTES, StandardCharsets.US_ASCII))
      .isEqualTo("C999999 S999999999 ");
  }

  @Test
  void linesAreDistinctAcrossClientsAndSequences() {
    Set<String> seen = new HashSet<>();
    for (int c = 0; c < 40; c++) {
      for (int s = 0; s < 300; s++) {
        assertThat(seen.add(new String(line(lines, c, s, 1024), StandardCharsets.US_ASCII))).as("client %d line %d", c, s).isTrue();
      }
    }
    // and so are their fillers: not just the header differs
    Set<String> fillers = new HashSet<>();
    for (int s = 0; s < 300; s++) {
      fillers.add(new String(line(lines, 0, s, 1024), FloodLines.HEADER_BYTES, 1024 - FloodLines.HEADER_BYTES, StandardCharsets.US_ASCII));
    }
    assertThat(fillers).hasSizeGreaterThan(290);
  }

  @Test
  void theSameSeedMakesTheSameLinesAndAnotherSeedOthers() {
    assertThat(line(new FloodLines(7), 5, 100, 1024)).isEqualTo(line(lines, 5, 100, 1024));
    assertThat(line(new FloodLines(8), 5, 100, 1024)).isNotEqualTo(line(lines, 5, 100, 1024));
  }

  @Test
  void theReplyIsThePayloadReversedThenTheNewline() {
    byte[] l = "ABC DEF\n".getBytes(StandardCharsets.US_ASCII);
    byte[] r = new byte[l.length];
    FloodLines.reply(l, l.length, r);
    assertThat(new String(r, StandardCharsets.US_ASCII)).isEqualTo("FED CBA\n");
    byte[] empty = {'\n'};
    byte[] re = new byte[1];
    FloodLines.reply(empty, 1, re);
    assertThat(re).containsExactly('\n');
    // a real line, and only its first length bytes
    byte[] big = line(lines, 1, 2, 1024);
    byte[] got = new byte[1024];
    Arrays.fill(got, (byte) 0);
    FloodLines.reply(big, 1024, got);
    for (int i = 0; i < 1023; i++) {
      assertThat(got[i]).isEqualTo(big[1022 - i]);
    }
    assertThat(got[1023]).isEqualTo((byte) '\n');
  }

  @Test
  void outOfRangeArgumentsAreRefused() {
    byte[] b = new byte[1024];
    assertThatThrownBy(() -> lines.line(1_000_000, 0, 10, b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> lines.line(0, 0, 0, b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> lines.line(0, 0, 1025, b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> lines.line(0, -1, 10, b)).isInstanceOf(IllegalArgumentException.class);
  }
}
