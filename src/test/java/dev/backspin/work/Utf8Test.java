package dev.backspin.work;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

  private static boolean valid(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    return Utf8.isValid(b, 0, b.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "00", "7f",                 // U+0000, U+007F
    "c280", "dfbf",             // U+0080, U+07FF
    "e0a080", "ed9fbf",         // U+0800, U+D7FF
    "ee8080", "efbfbf",         // U+E000, U+FFFF
    "f0908080", "f48fbfbf",     // U+10000, U+10FFFF
    "636166c3a9",               // "café"
  })
  void theEdgesOfEachLengthAreValid(String hex) {
    assertThat(valid(hex)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "80", "bf",                 // continuation bytes alone
    "c0af", "c1bf",             // overlong 2-byte
    "e09fbf",                   // overlong 3-byte
    "f08fbfbf",                 // overlong 4-byte
    "eda080", "edbfbf",         // surrogates
    "f4908080",                 // above U+10FFFF
    "f5808080", "f8", "fe", "ff",
    "c2", "e0a0", "f09080",     // truncated
    "c27f", "e0a07f", "f090807f", "c2c280", // a non-continuation where a continuation must be
  })
  void malformedSequencesAreInvalid(String hex) {
    assertThat(valid(hex)).isFalse();
  }

  @Test
  void onlyTheRangeCounts() {
    byte[] b = "xé".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.isValid(b, 0, 3)).isTrue();
    assertThat(Utf8.isValid(b, 0, 2)).isFalse(); // cuts 'é' after its lead
    assertThat(Utf8.isValid(b, 2, 3)).isFalse(); // starts at its continuation
    assertThat(Utf8.isValid(b, 1, 1)).isTrue();
  }

  @Test
  void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
    byte[] b = new byte[2];
    for (int x = 0; x < 256; x++) {
      b[0] = (byte) x;
      assertThat(Utf8.isValid(b, 0, 1)).as("%02x", x).isEqualTo(Utf8Oracle.isValid(b, 0, 1));
      for (int y = 0; y < 256; y++) {
        b[1] = (byte) y;
        assertThat(Utf8.isValid(b, 0, 2)).as("%02x%02x", x, y).isEqualTo(Utf8Oracle.isValid(b));
      }
    }
  }

  @Test
  void agreesWithTheJdkOnEveryLeadAndSecondByteOfLongerSequences() {
    // the third and fourth bytes only need to be continuations: a few values cover them
    int[] tails = {0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xff};
    for (int x = 0xe0; x < 0x100; x++) {
      for (int y = 0; y < 256; y++) {
        for (int z : tails) {
          byte[] three = {(byte) x, (byte) y, (byte) z};
          assertThat(Utf8.isValid(three, 0, 3)).as("%02x%02x%02x", x, y, z).isEqualTo(Utf8Oracle.isValid(three));
          for (int w : tails) {
            byte[] four = {(byte) x, (byte) y, (byte) z, (byte) w};
            assertThat(Utf8.isValid(four, 0, 4)).as("%02x%02x%02x%02x", x, y, z, w).isEqualTo(Utf8Oracle.isValid(four));
          }
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkOnRandomText() {
    Random rnd = new Random(5);
    for (int n = 0; n < 2000; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = rnd.nextInt(20); i > 0; i--) {
        s.appendCodePoint(ReverserTest.randomCodePoint(rnd));
      }
      byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.isValid(b, 0, b.length)).isTrue();
      if (b.length > 0) {
        // one flipped byte: valid or not, the two must agree
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        assertThat(Utf8.isValid(b, 0, b.length)).as(HexFormat.of().formatHex(b)).isEqualTo(Utf8Oracle.isValid(b));
      }
    }
  }
}
