package dev.backspin.work;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReverserTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "ab", "abc", "hello", "never odd or even"})
  void bytesReverse(String s) {
    byte[] b = utf8(s);
    Reverser.reverseBytes(b, 0, b.length);
    assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(new StringBuilder(s).reverse().toString());
  }

  @Test
  void bytesReverseAtEveryLengthAndOffset() {
    // the word-at-a-time path and its byte tail meet at every length
    Random rnd = new Random(2);
    for (int len = 0; len < 70; len++) {
      for (int off = 0; off < 9; off++) {
        byte[] b = new byte[off + len + 5];
        rnd.nextBytes(b);
        byte[] expected = b.clone();
        for (int k = 0; k < len; k++) {
          expected[off + k] = b[off + len - 1 - k];
        }
        Reverser.reverseBytes(b, off, off + len);
        assertThat(b).as("length %d at offset %d", len, off).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSubRangeLeavesTheRestAlone() {
    byte[] b = utf8("[abc]");
    Reverser.reverseBytes(b, 1, 4);
    assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("[cba]");
  }

  @Test
  void bytewiseReversalSplitsMultiByteCharacters() {
    byte[] b = utf8("é");
    Reverser.reverseBytes(b, 0, b.length);
    assertThat(b).containsExactly((byte) 0xA9, (byte) 0xC3);
  }

  @Test
  void codePointsKeepCharactersWhole() {
    assertThat(reversedCodePoints("café")).isEqualTo("éfac");
    assertThat(reversedCodePoints("a€b")).isEqualTo("b€a"); // 3 bytes
    assertThat(reversedCodePoints("a😀b")).isEqualTo("b😀a"); // 4 bytes
    assertThat(reversedCodePoints("")).isEqualTo("");
  }

  @Test
  void codePointsMatchAJavaReversalForRandomText() {
    Random rnd = new Random(1);
    int[] pool = {'a', 'Z', ' ', 0xE9, 0x20AC, 0x4E2D, 0x1F600, 0x10348, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
    for (int n = 0; n < 500; n++) {
      StringBuilder s = new StringBuilder();
      int len = rnd.nextInt(30);
      for (int i = 0; i < len; i++) {
        s.appendCodePoint(pool[rnd.nextInt(pool.length)]);
      }
      // StringBuilder.reverse keeps surrogate pairs together: it is a code-point reversal
      assertThat(reversedCodePoints(s.toString())).isEqualTo(new StringBuilder(s).reverse().toString());
    }
  }

  @Test
  void invalidUtf8IsRefusedAndLeftUntouched() {
    byte[][] bad = {
      {(byte) 0x80},                                   // lone continuation byte
      {'a', (byte) 0xC3},                              // truncated at the end
      {(byte) 0xC0, (byte) 0x80},                      // overlong
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},         // overlong, 3 bytes
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},         // a surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
      {(byte) 0xFF},
      {(byte) 0xC3, '('},                              // lead without its continuation
    };
    for (byte[] b : bad) {
      byte[] copy = b.clone();
      assertThat(Reverser.reverseCodePoints(b, 0, b.length)).as("%s", java.util.Arrays.toString(copy)).isFalse();
      assertThat(b).isEqualTo(copy);
    }
  }

  private static String reversedCodePoints(String s) {
    byte[] b = utf8(s);
    assertThat(Reverser.reverseCodePoints(b, 0, b.length)).isTrue();
    return new String(b, StandardCharsets.UTF_8);
  }
}
