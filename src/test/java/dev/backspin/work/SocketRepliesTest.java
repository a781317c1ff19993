package dev.backspin.work;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SocketRepliesTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<String, String> drain(SocketReplies r) {
    Map<String, String> out = new LinkedHashMap<>();
    r.drainTo((socket, front, id, reply) -> assertThat(out.put(socket, reply.toString(StandardCharsets.US_ASCII))).as("one reply per socket").isNull());
    return out;
  }

  @Test
  void eachSocketGetsItsReadsJoinedInOrder() {
    SocketReplies r = new SocketReplies();
    r.add("a", "front", "a".charAt(0), b("olleh\nxx"), 6); // only [0, length) belongs to the reply
    r.add("a", "front", "a".charAt(0), b("dlrow\n"), 6);
    r.add("b", "front", "b".charAt(0), b("1\n"), 2);
    r.add("a", "front", "a".charAt(0), b("2\n"), 2); // a later batch of the same drain: still a's one reply, after its others
    assertThat(drain(r)).containsOnly(Map.entry("a", "olleh\ndlrow\n2\n"), Map.entry("b", "1\n"));
  }

  @Test
  void aDrainForgetsWhatItSent() {
    SocketReplies r = new SocketReplies();
    r.add("a", "front", "a".charAt(0), b("x\n"), 2);
    drain(r);
    assertThat(drain(r)).as("a second drain").isEmpty();
    r.add("a", "front", "a".charAt(0), b("y\n"), 2);
    assertThat(drain(r)).containsExactly(Map.entry("a", "y\n"));
  }

  @Test
  void aReplyIsAViewNotACopy() {
    byte[] data = b("abc\n");
    SocketReplies r = new SocketReplies();
    r.add("a", "front", "a".charAt(0), data, 4);
    Buffer[] got = new Buffer[1];
    r.drainTo((socket, front, id, reply) -> got[0] = reply);
    data[0] = 'z';
    assertThat(got[0].toString(StandardCharsets.US_ASCII)).isEqualTo("zbc\n");
  }
}
