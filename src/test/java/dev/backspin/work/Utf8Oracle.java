package dev.backspin.work;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The JDK's strict UTF-8 decoder, as the reference for what is valid. */
final class Utf8Oracle {

  private Utf8Oracle() {
  }

  static boolean isValid(byte[] b, int from, int to) {
    try {
      StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b, from, to - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  static boolean isValid(byte[] b) {
    return isValid(b, 0, b.length);
  }
}
