package dev.backspin.tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** One client's requests and owed replies, taken out and checked in pieces of any size. */
class FloodStreamTest {

  private final FloodLines lines = new FloodLines(3);
  private static final long TOTAL = 5 * 1024 + 300;

  /** The whole stream, line by line, made directly: what fill must give out in any pieces. */
  private byte[] whole(int client, long total, boolean replies) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (long s = 0; s < FloodLines.lineCount(total); s++) {
      int len = FloodLines.lineLength(total, s);
      byte[] l = new byte[len];
      lines.line(client, s, len, l);
      if (replies) {
        byte[] r = new byte[len];
        FloodLines.reply(l, len, r);
        l = r;
      }
      all.writeBytes(l);
    }
    return all.toByteArray();
  }

  private static byte[] drain(FloodStream s, Random rnd) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (!s.done()) {
      ByteBuffer b = ByteBuffer.allocate(1 + rnd.nextInt(3000));
      int n = s.fill(b);
      assertThat(n).isEqualTo(b.position()).isPositive();
      got.write(b.array(), 0, n);
    }
    assertThat(s.fill(ByteBuffer.allocate(10))).isZero();
    return got.toByteArray();
  }

  @Test
  void fillGivesTheLinesInOrderWhateverThePieces() {
    Random rnd = new Random(1);
    for (int round = 0; round < 20; round++) {
      FloodStream s = FloodStream.requests(lines, 4, TOTAL);
      byte[] got = drain(s, rnd);
      assertThat(got).hasSize((int) TOTAL).isEqualTo(whole(4, TOTAL, false));
      assertThat(s.position()).isEqualTo(TOTAL);
      assertThat(s.remaining()).isZero();
    }
  }

  @Test
  void repliesAreEachLineReversedAndAsLongAsTheRequests() {
    byte[] replies = drain(FloodStream.replies(lines, 4, TOTAL), new Random(2));
    byte[] requests = whole(4, TOTAL, false);
    assertThat(replies).hasSize(requests.length).isEqualTo(whole(4, TOTAL, true));
    String first = new String(replies, 0, 1024, StandardCharsets.US_ASCII);
    assertThat(first).endsWith(" 000000000S 400000C\n");
  }

  @Test
  void matchAcceptsTheOwedBytesInAnyPieces() {
    byte[] owed = whole(9, TOTAL, true);
    Random rnd = new Random(3);
    FloodStream s = FloodStream.replies(lines, 9, TOTAL);
    int at = 0;
    while (at < owed.length) {
      int n = Math.min(owed.length - at, 1 + rnd.nextInt(2500));
      // the bytes sit anywhere in a read buffer
      byte[] buf = new byte[n + 7];
      System.arraycopy(owed, at, buf, 5, n);
      assertThat(s.match(buf, 5, 5 + n)).isEqualTo(n);
      at += n;
    }
    assertThat(s.done()).isTrue();
  }

  @Test
  void aWrongByteStopsTheMatchExactlyThere() {
    byte[] owed = whole(1, TOTAL, true);
    owed[3000] ^= 1;
    FloodStream s = FloodStream.replies(lines, 1, TOTAL);
    assertThat(s.match(owed, 0, 2500)).isEqualTo(2500);
    assertThat(s.match(owed, 2500, owed.length)).isEqualTo(500);
    assertThat(s.position()).isEqualTo(3000);
    // it does not move past the wrong byte
    assertThat(s.match(owed, 3000, owed.length)).isZero();
    // the line so far is the bytes of line 2 before the wrong one, as they came
    assertThat(s.lineSoFar()).isEqualTo(java.util.Arrays.copyOfRange(owed, 2048, 3000));
  }

  @Test
  void anErrLineAfterWholeRepliesIsSeenFromTheStartOfItsLine() {
    byte[] owed = whole(2, TOTAL, true);
    byte[] err = "ERR server busy\n".getBytes(StandardCharsets.US_ASCII);
    byte[] got = new byte[2048 + err.length];
    System.arraycopy(owed, 0, got, 0, 2048);
    System.arraycopy(err, 0, got, 2048, err.length);
    FloodStream s = FloodStream.replies(lines, 2, TOTAL);
    int ok = s.match(got, 0, got.length);
    assertThat(ok).isBetween(2048, 2048 + 3); // a reply line may start with E, R, R by chance
    byte[] fromLine = new byte[s.lineSoFar().length + got.length - ok];
    System.arraycopy(s.lineSoFar(), 0, fromLine, 0, s.lineSoFar().length);
    System.arraycopy(got, ok, fromLine, s.lineSoFar().length, got.length - ok);
    assertThat(fromLine).isEqualTo(err);
    assertThat(FloodTally.isErr(fromLine, 0, fromLine.length)).isTrue();
  }

  @Test
  void bytesBeyondTheOwedAreNotMatched() {
    byte[] owed = whole(1, 2000, true);
    byte[] more = java.util.Arrays.copyOf(owed, owed.length + 3);
    FloodStream s = FloodStream.replies(lines, 1, 2000);
    assertThat(s.match(more, 0, more.length)).isEqualTo(2000);
    assertThat(s.done()).isTrue();
    assertThat(s.lineSoFar()).isEmpty();
    assertThat(s.match(more, 2000, more.length)).isZero();
  }

  @Test
  void anEmptyStreamIsDoneAtOnce() {
    FloodStream s = FloodStream.requests(lines, 0, 0);
    assertThat(s.done()).isTrue();
    assertThat(s.fill(ByteBuffer.allocate(8))).isZero();
    assertThat(s.expected(4)).isEmpty();
  }

  @Test
  void expectedShowsWhatIsOwedNextWithoutMoving() {
    FloodStream s = FloodStream.replies(lines, 6, TOTAL);
    byte[] owed = whole(6, TOTAL, true);
    assertThat(s.match(owed, 0, 1020)).isEqualTo(1020);
    assertThat(s.expected(16)).isEqualTo(java.util.Arrays.copyOfRange(owed, 1020, 1024)); // to the end of its line
    assertThat(s.position()).isEqualTo(1020);
  }
}
