package dev.backspin.it;

import dev.backspin.support.HalfClosingWriter;
import dev.backspin.support.LineSocket;
import dev.backspin.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 4: bad input gets a clear error and closes only its own connection. In every case a
 * bystander connection is served before and after.
 */
class BadInputIT {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = TestServer.epollVertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private int start(JsonObject reverseKeys) throws Exception {
    return TestServer.deploy(vertx, TestServer.reverseConfig(reverseKeys)).await(20, TimeUnit.SECONDS).port();
  }

  private static void bystanderServed(int port, String word) throws IOException {
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send(word + "\n");
      assertThat(s.readLine()).isEqualTo(new StringBuilder(word).reverse() + "\n");
    }
  }

  @Test
  void oversizeFrameGetsErrAfterTheEarlierReplies() throws Exception {
    int port = start(new JsonObject().put("maxFrameBytes", 100));
    try (LineSocket bystander = new LineSocket(port, 10_000); LineSocket bad = new LineSocket(port, 10_000)) {
      bystander.send("first\n");
      assertThat(bystander.readLine()).isEqualTo("tsrif\n");
      bad.send("abc\ndef\n" + "x".repeat(101) + "\nnot answered\n");
      assertThat(bad.readToEnd()).isEqualTo("cba\nfed\nERR frame too large (max 100 bytes)\n");
      bystander.send("after\n");
      assertThat(bystander.readLine()).isEqualTo("retfa\n");
    }
  }

  @Test
  void aMegabyteOfGarbageWithoutNewlineIsCutOffEarly() throws Exception {
    int port = start(new JsonObject());
    try (Socket bad = new Socket("127.0.0.1", port)) {
      bad.setSoTimeout(10_000);
      byte[] garbage = new byte[1 << 20];
      new java.util.Random(3).nextBytes(garbage);
      for (int i = 0; i < garbage.length; i++) {
        if (garbage[i] == '\n') {
          garbage[i] = 0;
        }
      }
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          bad.getOutputStream().write(garbage);
        } catch (IOException closedEarly) {
          // expected: the server closed before the megabyte was through
        }
      });
      String reply = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(reply).isEqualTo("ERR frame too large (max 65536 bytes)\n");
      writer.get(10, TimeUnit.SECONDS);
    }
    bystanderServed(port, "still here");
  }

  @Test
  void badLengthPrefixesGetAnErrFrame() throws Exception {
    int port = start(new JsonObject().put("framing", "length").put("maxFrameBytes", 1000));
    assertThat(lengthExchange(port, Buffer.buffer().appendInt(2).appendString("ab").appendInt(-1)))
      .isEqualTo(new String[] {"ba", "ERR bad length prefix 4294967295"});
    assertThat(lengthExchange(port, Buffer.buffer().appendInt(1001)))
      .isEqualTo(new String[] {"ERR frame too large: 1001 bytes (max 1000)"});
  }

  private static String[] lengthExchange(int port, Buffer request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes());
      DataInputStream in = new DataInputStream(s.getInputStream());
      java.util.List<String> frames = new java.util.ArrayList<>();
      while (true) {
        int n;
        try {
          n = in.readInt();
        } catch (java.io.EOFException end) {
          return frames.toArray(new String[0]);
        }
        byte[] p = new byte[n];
        in.readFully(p);
        frames.add(new String(p, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void invalidUtf8InCodepointModeGetsErrAfterTheEarlierReplies() throws Exception {
    int port = start(new JsonObject().put("unit", "codepoint"));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("café\nnoël\n".getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {(byte) 0xC3, '(', '\n'});
      out.write("never answered\n".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("éfac\nlëon\nERR invalid UTF-8\n");
    }
    bystanderServed(port, "fine");
  }

  @Test
  void resetsInMidFrameHarmNobody() throws Exception {
    int port = start(new JsonObject());
    try (LineSocket bystander = new LineSocket(port, 10_000)) {
      for (int i = 0; i < 50; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("complete " + i + "\nhalf a li").getBytes(StandardCharsets.US_ASCII));
        s.setSoLinger(true, 0); // close() now sends RST
        s.close();
        bystander.send("ping " + i + "\n");
        assertThat(bystander.readLine()).isEqualTo(new StringBuilder("ping " + i).reverse() + "\n");
      }
    }
    bystanderServed(port, "new one");
  }

  @Test
  void halfCloseGetsEveryCompleteFrameAnsweredThenClose() throws Exception {
    int port = start(new JsonObject());
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("one\ntwo\nthree\nincomplete");
      s.shutdownOutput();
      assertThat(s.readToEnd()).isEqualTo("eno\nowt\neerht\n");
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      StringBuilder req = new StringBuilder();
      StringBuilder rep = new StringBuilder();
      for (int i = 0; i < 100_000; i++) {
        String line = "line number " + i;
        req.append(line).append('\n');
        rep.append(new StringBuilder(line).reverse()).append('\n');
      }
      CompletableFuture<Void> writer = HalfClosingWriter.write(s, req.toString().getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(rep.toString());
      writer.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void exitClosesOnlyItsOwnConnection() throws Exception {
    int port = start(new JsonObject());
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("abc\ndef\nexit\nghi\n");
      assertThat(s.readToEnd()).isEqualTo("cba\nfed\n");
    }
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("abc\n");
      assertThat(s.readLine()).isEqualTo("cba\n");
      s.send("exit\r\n");
      assertThat(s.readToEnd()).isEmpty();
    }
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("exit \nexits\n");
      assertThat(s.readLine()).isEqualTo(" tixe\n");
      assertThat(s.readLine()).isEqualTo("stixe\n");
    }
    bystanderServed(port, "the server never stops for exit");
  }
}
