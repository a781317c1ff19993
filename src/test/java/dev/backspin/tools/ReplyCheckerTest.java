package dev.backspin.tools;

import dev.backspin.framing.Framing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every reply byte checked, in pieces of any size: the wrong one, the stale one, the one nobody asked for. */
class ReplyCheckerTest {

  private final BenchMessage m = BenchMessage.of(Framing.LINE, 64, BenchMessage.Expect.REVERSE, new Random(9));

  /** What the checker said, in order. */
  private static final class Seen implements ReplyChecker.Verdicts {
    final List<String> verdicts = new ArrayList<>();
    long excess;

    @Override
    public void reply(long seq, boolean ok) {
      verdicts.add(seq + (ok ? " ok" : " wrong"));
    }

    @Override
    public void excess(byte[] got, int from, int to) {
      excess += to - from;
      verdicts.add("excess " + new String(got, from, to - from, StandardCharsets.US_ASCII));
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Test
  void bytesWithNothingOwedAreExcess() {
    ReplyChecker c = new ReplyChecker(m, 0);
    Seen seen = new Seen();
    byte[] err = "ERR too many connections\n".getBytes(StandardCharsets.US_ASCII);
    c.feed(err, 0, err.length, seen);
    assertThat(seen.verdicts).containsExactly("excess ERR too many connections\n");
    assertThat(seen.excess).isEqualTo(25);
  }

  @Test
  void rightRepliesSplitAtEveryBoundaryAreRight() {
    byte[] both = concat(m.reply(3, 0), m.reply(3, 1));
    for (int cut = 0; cut <= both.length; cut++) {
      ReplyChecker c = new ReplyChecker(m, 3);
      c.send();
      c.send();
      Seen seen = new Seen();
      c.feed(both, 0, cut, seen);
      assertThat(c.owedBytes()).as("cut at %d", cut).isEqualTo(both.length - cut);
      c.feed(both, cut, both.length, seen);
      assertThat(seen.verdicts).as("cut at %d", cut).containsExactly("0 ok", "1 ok");
      assertThat(c.owed()).isZero();
    }
  }

  @Test
  void eachWrongByteIsAMismatchWhereverItIs() {
    for (int i = 0; i < m.size(); i++) {
      ReplyChecker c = new ReplyChecker(m, 0);
      c.send();
      c.send();
      byte[] bad = m.reply(0, 0);
      bad[i] ^= 0x20;
      byte[] both = concat(bad, m.reply(0, 1));
      Seen seen = new Seen();
      c.feed(both, 0, both.length, seen);
      assertThat(seen.verdicts).as("byte %d wrong", i).containsExactly("0 wrong", "1 ok");
    }
  }

  @Test
  void aStaleOrDuplicatedReplyIsAMismatch() {
    ReplyChecker c = new ReplyChecker(m, 0);
    Seen seen = new Seen();
    c.send();
    c.feed(m.reply(0, 0), 0, m.size(), seen);
    c.send();
    // the server sends reply 0 again: right bytes for another request
    c.feed(m.reply(0, 0), 0, m.size(), seen);
    assertThat(seen.verdicts).containsExactly("0 ok", "1 wrong");
  }

  @Test
  void aReplyForAnotherConnectionIsAMismatch() {
    ReplyChecker c = new ReplyChecker(m, 1);
    Seen seen = new Seen();
    c.send();
    c.feed(m.reply(2, 0), 0, m.size(), seen);
    assertThat(seen.verdicts).containsExactly("0 wrong");
  }

  @Test
  void aDuplicateWithNothingOwedIsExcess() {
    ReplyChecker c = new ReplyChecker(m, 0);
    Seen seen = new Seen();
    c.send();
    byte[] twice = concat(m.reply(0, 0), m.reply(0, 0));
    c.feed(twice, 0, twice.length, seen);
    assertThat(seen.verdicts).hasSize(2).startsWith("0 ok");
    assertThat(seen.excess).isEqualTo(m.size());
  }

  @Test
  void aLostReplyStaysOwed() {
    ReplyChecker c = new ReplyChecker(m, 0);
    Seen seen = new Seen();
    c.send();
    c.send();
    c.feed(m.reply(0, 0), 0, m.size(), seen);
    assertThat(c.owed()).isEqualTo(1);
    assertThat(c.owedBytes()).isEqualTo(m.size());
  }

  @Test
  void theNextRequestSentFromTheVerdictIsWhatTheRestIsCheckedAgainst() {
    ReplyChecker c = new ReplyChecker(m, 0);
    List<String> verdicts = new ArrayList<>();
    c.send();
    byte[] both = concat(m.reply(0, 0), m.reply(0, 1));
    c.feed(both, 0, both.length, new ReplyChecker.Verdicts() {
      @Override
      public void reply(long seq, boolean ok) {
        verdicts.add(seq + (ok ? " ok" : " wrong"));
        if (seq == 0) {
          c.send(); // request/response: the next request goes from the reply's verdict
        }
      }

      @Override
      public void excess(byte[] got, int from, int to) {
        verdicts.add("excess");
      }
    });
    assertThat(verdicts).containsExactly("0 ok", "1 ok");
  }

  @Test
  void echoRepliesAreCheckedToo() {
    BenchMessage echo = BenchMessage.of(Framing.LENGTH, 5000, BenchMessage.Expect.ECHO, new Random(2));
    ReplyChecker c = new ReplyChecker(echo, 4);
    Seen seen = new Seen();
    c.send();
    c.send();
    byte[] stale = echo.reply(4, 0);
    byte[] both = concat(echo.reply(4, 0), stale);
    c.feed(both, 0, both.length, seen);
    assertThat(seen.verdicts).containsExactly("0 ok", "1 wrong");
  }
}
