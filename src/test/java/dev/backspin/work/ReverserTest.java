package dev.backspin.work;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReverserTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''         | ''",
    "a          | a",
    "ab         | ba",
    "abc        | cba",
    "abcd       | dcba",
    "0123456789abcdef        | fedcba9876543210",
    "0123456789abcdefg       | gfedcba9876543210",
    "0123456789abcdef0123456789abcdefXY | YXfedcba9876543210fedcba9876543210",
  })
  void bytesReverse(String in, String out) {
    byte[] b = utf8(in);
    Reverser.reverseBytes(b, 0, b.length);
    assertThat(b).isEqualTo(utf8(out));
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
    assertThat(b).isEqualTo(utf8("[cba]"));
    Reverser.reverseBytes(b, 2, 2);
    assertThat(b).isEqualTo(utf8("[cba]"));
    Reverser.reverseBytes(b, 4, 5);
    assertThat(b).isEqualTo(utf8("[cba]"));
  }

  @Test
  void bytewiseReversalSplitsMultiByteCharacters() {
    byte[] b = utf8("é");
    Reverser.reverseBytes(b, 0, b.length);
    assertThat(b).containsExactly(0xA9, 0xC3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''            | ''",
    "a             | a",
    "café          | éfac",   // 2-byte
    "ñandú         | údnañ",
    "a€b           | b€a",    // 3-byte
    "日本語        | 語本日",
    "a😀b          | b😀a",   // 4-byte
    "😀😁          | 😁😀",
    "x\u0080\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFFy | y\uDBFF\uDFFF\uD800\uDC00\uFFFF\u0800\u07FF\u0080x",
  })
  void codePointsKeepCharactersWhole(String in, String out) {
    byte[] b = utf8(in);
    assertThat(Reverser.reverseCodePoints(b, 0, b.length)).isTrue();
    assertThat(b).isEqualTo(utf8(out));
  }

  @Test
  void codePointsInASubRangeLeaveTheRestAlone() {
    byte[] b = utf8("é[ça€😀]ü");
    int from = 3;               // after "é["
    int to = b.length - 3;      // before "]ü"
    assertThat(Reverser.reverseCodePoints(b, from, to)).isTrue();
    assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("é[😀€aç]ü");
  }

  @Test
  void onlyTheRangeMustBeValid() {
    byte[] b = hex("ff" + "616263" + "80");
    assertThat(Reverser.reverseCodePoints(b, 1, 4)).isTrue();
    assertThat(b).isEqualTo(hex("ff" + "636261" + "80"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "80",             // lone continuation byte
    "61bf62",         // lone continuation byte mid-string
    "61c3",           // 2-byte sequence truncated at the end
    "61e282",         // 3-byte sequence truncated at the end
    "61f09f98",       // 4-byte sequence truncated at the end
    "c328",           // lead without its continuation
    "c080",           // overlong NUL
    "c1bf",           // overlong, 2 bytes
    "e08080",         // overlong, 3 bytes
    "e09fbf",         // overlong, 3 bytes, just below U+0800
    "f0808080",       // overlong, 4 bytes
    "f08fbfbf",       // overlong, 4 bytes, just below U+10000
    "eda080",         // surrogate U+D800
    "edbfbf",         // surrogate U+DFFF
    "f4908080",       // U+110000, above U+10FFFF
    "f5808080",       // lead byte past F4
    "ff",
    "fe",
    "63c3a96600ff",   // valid text, then 0xFF
  })
  void invalidUtf8IsRefusedAndLeftUntouched(String hex) {
    byte[] b = hex(hex);
    assertThat(Reverser.reverseCodePoints(b, 0, b.length)).isFalse();
    assertThat(b).isEqualTo(hex(hex));
  }

  @Test
  void aRangeThatCutsACharacterIsInvalid() {
    byte[] b = utf8("aé");
    byte[] copy = b.clone();
    assertThat(Reverser.reverseCodePoints(b, 0, 2)).isFalse(); // ends inside 'é'
    assertThat(Reverser.reverseCodePoints(b, 2, 3)).isFalse(); // starts inside 'é'
    assertThat(b).isEqualTo(copy);
  }

  @Test
  void codePointsMatchAJavaReversalForRandomText() {
    Random rnd = new Random(1);
    for (int n = 0; n < 2000; n++) {
      StringBuilder s = new StringBuilder();
      int len = rnd.nextInt(40);
      for (int i = 0; i < len; i++) {
        s.appendCodePoint(randomCodePoint(rnd));
      }
      String text = s.toString();
      byte[] pad = utf8("<>");
      byte[] b = concat(pad, utf8(text), pad);
      assertThat(Reverser.reverseCodePoints(b, 2, b.length - 2)).isTrue();
      // StringBuilder.reverse keeps surrogate pairs together: it is a code-point reversal
      String expected = "<>" + new StringBuilder(text).reverse() + "<>";
      assertThat(new String(b, StandardCharsets.UTF_8)).as("%s", text.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(expected);
    }
  }

  @Test
  void reversingCodePointsTwiceGivesBackTheInput() {
    Random rnd = new Random(3);
    for (int n = 0; n < 500; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = rnd.nextInt(60); i > 0; i--) {
        s.appendCodePoint(randomCodePoint(rnd));
      }
      byte[] b = utf8(s.toString());
      assertThat(Reverser.reverseCodePoints(b, 0, b.length)).isTrue();
      assertThat(Reverser.reverseCodePoints(b, 0, b.length)).isTrue();
      assertThat(b).isEqualTo(utf8(s.toString()));
    }
  }

  @Test
  void randomBytesAreEitherReversedAsTextOrLeftUntouched() {
    Random rnd = new Random(4);
    for (int n = 0; n < 5000; n++) {
      byte[] b = new byte[rnd.nextInt(12)];
      for (int i = 0; i < b.length; i++) {
        // mostly bytes that start or continue sequences, so some arrays are valid
        b[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(0x80) : 0x80 + rnd.nextInt(0x80));
      }
      byte[] copy = b.clone();
      boolean valid = Utf8Oracle.isValid(copy);
      assertThat(Reverser.reverseCodePoints(b, 0, b.length)).as(HexFormat.of().formatHex(copy)).isEqualTo(valid);
      byte[] expected = valid ? utf8(new StringBuilder(new String(copy, StandardCharsets.UTF_8)).reverse().toString()) : copy;
      assertThat(b).as(HexFormat.of().formatHex(copy)).isEqualTo(expected);
    }
  }

  /** Any code point, surrogates excluded, weighted so every UTF-8 length shows up often. */
  static int randomCodePoint(Random rnd) {
    while (true) {
      int cp = switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextInt(0x80);
        case 1 -> 0x80 + rnd.nextInt(0x800 - 0x80);
        case 2 -> 0x800 + rnd.nextInt(0x10000 - 0x800);
        default -> 0x10000 + rnd.nextInt(0x110000 - 0x10000);
      };
      if (cp < 0xD800 || cp > 0xDFFF) {
        return cp;
      }
    }
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
