package dev.backspin.it;

import dev.backspin.config.ServiceConfig;
import dev.backspin.config.ServiceKind;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a connection ends once the client has said {@code exit} and its replies are on their way:
 * the server waits while the client reads them, even through a graceful stop, and cuts off only a
 * client that reads nothing for {@code closingStallMillis} (5 s by default, 1 s here).
 *
 * <p>One 8 MB line makes the state exact: its reply is a single write, so it reaches Netty whole
 * and the connection starts lingering at once, with more than the kernel's send buffer (4 MB at
 * most, {@code tcp_wmem}) still waiting in Netty.
 */
class ClosingIT extends TransportVertxTest {

  private static final int LINE = 8 << 20;
  private static final int STALL_MILLIS = 1000;
  private static final String BYTES_OUT = "backspin_bytes_out_total{service=\"reverse\"}";
  private static final String OPEN = "backspin_connections_open{service=\"reverse\"}";

  @Test
  void aGracefulStopWaitsForALingeringClientToReadEveryReply() throws Exception {
    TestServer server = start(new JsonObject(), 20);
    Scrape scrape = new Scrape(server.httpPort());
    try (Socket slow = exitWithTheReplyQueued(server, scrape)) {
      Future<Void> stopped = server.close(); // as on SIGTERM
      assertWhole(readToEnd(slow), reversedLine(line()));
      slow.close(); // the client's close is what ends the drain early
      stopped.await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientThatHalfClosesAfterExitStillGetsEveryReply() throws Exception {
    TestServer server = start(new JsonObject(), 0);
    Scrape scrape = new Scrape(server.httpPort());
    try (Socket slow = exitWithTheReplyQueued(server, scrape)) {
      slow.shutdownOutput(); // its end of input reaches the server while the reply is still queued there
      assertWhole(readToEnd(slow), reversedLine(line()));
    }
  }

  @Test
  void aClosingClientThatReadsNothingIsCutOffAndItsSlotFreed() throws Exception {
    TestServer server = start(new JsonObject().put("maxConnections", 1), 0);
    Scrape scrape = new Scrape(server.httpPort());
    try (Socket stuck = exitWithTheReplyQueued(server, scrape)) {
      long queued = System.nanoTime();
      // the only slot frees once the server has given up on the stuck client
      assertThat(Scrape.value(scrape.metricsWhen(t -> Scrape.value(t, OPEN) == 0), OPEN)).as("connections open").isZero();
      // after the stall the config gives, once or twice over (see docs/limits.md), not the default 5 s
      assertThat(Duration.ofNanos(System.nanoTime() - queued)).as("time until the stuck client was closed")
        .isGreaterThanOrEqualTo(Duration.ofMillis(STALL_MILLIS)).isLessThan(Duration.ofMillis(ServiceConfig.DEFAULT_CLOSING_STALL_MILLIS));
      try (Socket next = new Socket("127.0.0.1", server.port())) {
        next.setSoTimeout(10_000);
        next.getOutputStream().write("abc\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readLine(next.getInputStream())).isEqualTo("cba\n");
      }
      // what the stuck client finds later: the part the kernel held, then the end, nothing else
      byte[] got = readToEnd(stuck);
      byte[] expected = reversedLine(line());
      assertThat(got.length).as("bytes it got").isLessThan(expected.length);
      assertThat(Arrays.mismatch(got, expected)).as("a prefix of its reply").isEqualTo(got.length);
    }
  }

  @Test
  void aClosingClientThatReadsSlowlyGetsEveryReplyHoweverLongItTakes() throws Exception {
    TestServer server = start(new JsonObject(), 0);
    Scrape scrape = new Scrape(server.httpPort());
    try (Socket slow = exitWithTheReplyQueued(server, scrape)) {
      // 2 MB/s: the 8 MB take 4 s, well past the 1 s a client that reads nothing is given
      slow.setSoTimeout(20_000);
      InputStream in = slow.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(40);
      for (int n; System.nanoTime() < deadline && (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
        long due = start + got.size() * 500L; // ns: 2 bytes per µs
        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000)); // pacing a slow reader, not waiting for an event
      }
      assertWhole(got.toByteArray(), reversedLine(line()));
    }
  }

  @Test
  void aBroadcastReceiverCutOffAsTooSlowIsClosedEvenIfItNeverReadsAgain() throws Exception {
    JsonObject cfg = TestServer.serviceConfig(transport, ServiceKind.BROADCAST, new JsonObject().put("maxConnections", 2).put("maxQueuedBytes", 64 * 1024).put("closingStallMillis", STALL_MILLIS))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    TestServer server = TestServer.deploy(vertx, cfg).await(20, TimeUnit.SECONDS);
    int port = server.port(ServiceKind.BROADCAST);
    Scrape scrape = new Scrape(server.httpPort());
    String open = "backspin_connections_open{service=\"broadcast\"}";
    try (Socket stuck = smallWindow(port); Socket sender = new Socket("127.0.0.1", port)) {
      assertThat(Scrape.value(scrape.metricsWhen(t -> Scrape.value(t, open) == 2), open)).as("connections open").isEqualTo(2);
      byte[] lines = ("x".repeat(999) + "\n").repeat(1000).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 5; i++) {
        sender.getOutputStream().write(lines); // 5 MB: far past the stuck one's 64 KiB
      }
      assertThat(Scrape.value(scrape.metricsWhen(t -> Scrape.value(t, open) == 1), open)).as("connections open").isEqualTo(1);
      assertThat(Scrape.value(scrape.metrics(), "backspin_broadcast_slow_disconnects_total{service=\"broadcast\"}")).isEqualTo(1);
      // its slot is free: a new client is served, and the sender hears it
      try (Socket third = new Socket("127.0.0.1", port)) {
        third.getOutputStream().write("third\n".getBytes(StandardCharsets.US_ASCII));
        sender.setSoTimeout(10_000);
        assertThat(readLine(sender.getInputStream())).isEqualTo("third\n");
      }
    }
  }

  /** Every byte of the reply, then the end; compared without printing 8 MB on a failure. */
  private static void assertWhole(byte[] got, byte[] expected) {
    assertThat(got.length).as("bytes before the end").isEqualTo(expected.length);
    assertThat(Arrays.mismatch(got, expected)).as("first byte that differs").isEqualTo(-1);
  }

  private TestServer start(JsonObject reverse, int drainSeconds) throws Exception {
    JsonObject cfg = TestServer.reverseConfig(transport, reverse.put("maxFrameBytes", LINE + 1).put("closingStallMillis", STALL_MILLIS))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0)).put("drainSeconds", drainSeconds);
    return TestServer.deploy(vertx, cfg).await(20, TimeUnit.SECONDS);
  }

  /**
   * A client with a small window that sent the 8 MB line and {@code exit}, once the whole reply
   * has reached its socket on the server: the connection is lingering from then on.
   */
  private static Socket exitWithTheReplyQueued(TestServer server, Scrape scrape) throws Exception {
    Socket s = smallWindow(server.port());
    s.getOutputStream().write(withExit(line()));
    awaitReplyHandedOver(scrape, LINE + 1);
    return s;
  }

  /** Waits until {@code bytes} of replies have reached the socket. */
  private static void awaitReplyHandedOver(Scrape scrape, long bytes) throws Exception {
    assertThat(Scrape.value(scrape.metricsWhen(t -> Scrape.value(t, BYTES_OUT) >= bytes), BYTES_OUT)).as("reply bytes handed to the socket").isEqualTo(bytes);
  }

  /** A client whose receive window is small, so almost all of its reply waits on the server. */
  private static Socket smallWindow(int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return s;
  }

  private static byte[] line() {
    byte[] line = new byte[LINE];
    for (int i = 0; i < line.length; i++) {
      line[i] = (byte) ('a' + i % 26);
    }
    return line;
  }

  private static byte[] withExit(byte[] line) {
    byte[] out = Arrays.copyOf(line, line.length + 6);
    System.arraycopy("\nexit\n".getBytes(StandardCharsets.US_ASCII), 0, out, line.length, 6);
    return out;
  }

  private static byte[] reversedLine(byte[] line) {
    byte[] out = new byte[line.length + 1];
    for (int i = 0; i < line.length; i++) {
      out[i] = line[line.length - 1 - i];
    }
    out[line.length] = '\n';
    return out;
  }

  private static byte[] readToEnd(Socket s) throws IOException {
    s.setSoTimeout(20_000);
    return s.getInputStream().readAllBytes();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0; ) {
      b.write(c);
      if (c == '\n') {
        break;
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }
}
