package dev.backspin.framing;

import org.junit.jupiter.api.Test;

import static dev.backspin.framing.FrameProbe.payload;
import static dev.backspin.framing.FramerHarness.bytes;
import static dev.backspin.framing.FramerHarness.latin1;
import static org.assertj.core.api.Assertions.assertThat;

class FramesTest {

  /** "ab\r\n", "exit\n", "\n", "exit\n" as line frames, followed by a held-back tail "zz". */
  private static Frames lines() {
    return new Frames(bytes("ab\r\nexit\n\nexit\nzz"), new int[] {0, 2, 4, 4, 8, 9, 9, 9, 10, 10, 14, 15}, 4);
  }

  @Test
  void marksLocateEachPayloadAndFrame() {
    Frames f = lines();
    assertThat(f.count()).isEqualTo(4);
    assertThat(f.length()).isEqualTo(15);
    assertThat(new int[] {f.payloadStart(1), f.payloadEnd(1), f.frameEnd(1)}).containsExactly(4, 8, 9);
    assertThat(latin1(payload(f, 0))).isEqualTo("ab");
    assertThat(payload(f, 2)).isEmpty();
    assertThat(f.marks()).containsExactly(0, 2, 4, 4, 8, 9, 9, 9, 10, 10, 14, 15);
  }

  @Test
  void indexOfFindsTheFirstWholePayloadOnly() {
    Frames f = lines();
    assertThat(f.indexOf(bytes("exit"))).isEqualTo(1);
    assertThat(f.indexOf(bytes(""))).isEqualTo(2);
    assertThat(f.indexOf(bytes("ex"))).isEqualTo(-1);
    assertThat(f.indexOf(bytes("exit\n"))).isEqualTo(-1);
    assertThat(f.indexOf(bytes("a"))).isEqualTo(-1);
    // "zz" lies in data but past length(): not a frame
    assertThat(f.indexOf(bytes("zz"))).isEqualTo(-1);
  }

  @Test
  void truncateKeepsTheFirstFramesAndShortensTheWire() {
    Frames f = lines();
    f.truncate(9);
    assertThat(f.count()).isEqualTo(4);
    f.truncate(1);
    assertThat(f.count()).isEqualTo(1);
    assertThat(f.length()).isEqualTo(4);
    assertThat(f.indexOf(bytes("exit"))).isEqualTo(-1);
    assertThat(f.marks()).containsExactly(0, 2, 4);
    f.truncate(0);
    assertThat(f.count()).isZero();
    assertThat(f.length()).isZero();
  }

  @Test
  void addGrowsPastItsInitialRoom() {
    byte[] data = new byte[100];
    Frames f = new Frames(data);
    assertThat(f.length()).isZero();
    for (int i = 0; i < 20; i++) {
      f.add(5 * i, 5 * i + 3, 5 * i + 5);
    }
    assertThat(f.count()).isEqualTo(20);
    assertThat(f.length()).isEqualTo(100);
    assertThat(new int[] {f.payloadStart(19), f.payloadEnd(19), f.frameEnd(19)}).containsExactly(95, 98, 100);
    assertThat(new int[] {f.payloadStart(0), f.payloadEnd(0), f.frameEnd(0)}).containsExactly(0, 3, 5);
  }
}
