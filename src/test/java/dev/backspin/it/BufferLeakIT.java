package dev.backspin.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.backspin.config.ServiceKind;
import dev.backspin.config.TransportKind;
import dev.backspin.support.TestServer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front frames on Netty's own read buffers and releases each exactly once: on every path a
 * read can take (answered, half-closed, bad input, exit, a client that resets with input unread),
 * with Netty's leak detector at PARANOID, which tracks every buffer: one never released is
 * reported once it is collected (removing the front's release fails this test). Run by the pom's
 * own failsafe execution ({@code leaks}), on Netty's pooled allocator.
 */
class BufferLeakIT {

  private static ResourceLeakDetector.Level before;
  private static final ListAppender<ILoggingEvent> reports = new ListAppender<>();
  private static final Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);

  @BeforeAll
  static void paranoid() {
    // the pooled allocator's buffers are tracked, the adaptive one's (Netty 4.2's default) are not
    // skipped elsewhere (say, -Dit.test=BufferLeakIT, which the default execution runs too);
    // .ci/run fails if the leaks execution skipped it
    Assumptions.assumeTrue(io.netty.buffer.ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator,
      "runs in failsafe's leaks execution, with io.netty.allocator.type=pooled");
    before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    reports.start();
    detector.addAppender(reports);
    detector.setAdditive(false); // the reports are the assertions' to show, the canary's included
  }

  @AfterAll
  static void restore() {
    if (before == null) {
      return; // skipped before it changed anything
    }
    ResourceLeakDetector.setLevel(before);
    detector.detachAppender(reports);
    detector.setAdditive(true);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"EPOLL", "IO_URING", "NIO"})
  void everyReadIsReleasedOnEveryPath(TransportKind transport) throws Exception {
    reports.list.clear();
    Vertx vertx = TestServer.vertx(transport);
    try {
      JsonObject keys = new JsonObject().put("maxFrameBytes", 1024);
      int reverse = TestServer.deploy(vertx, TestServer.reverseConfig(transport, keys)).await(20, TimeUnit.SECONDS).port();
      int echo = TestServer.deploy(vertx, TestServer.serviceConfig(transport, ServiceKind.ECHO, keys)).await(20, TimeUnit.SECONDS).port(ServiceKind.ECHO);
      for (int port : new int[] {reverse, echo}) {
        boolean rev = port == reverse;
        String lines = "hello\nworld\n".repeat(2000);
        String replies = rev ? "olleh\ndlrow\n".repeat(2000) : lines;
        // answered, in pieces that cut lines anywhere; then the client ends its input
        try (Socket s = client(port)) {
          OutputStream out = s.getOutputStream();
          byte[] b = lines.getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < b.length; i += 777) {
            out.write(b, i, Math.min(777, b.length - i));
          }
          s.shutdownOutput();
          assertThat(readAll(s.getInputStream())).isEqualTo(replies);
        }
        // a line over maxFrameBytes: what came before it is answered, then ERR, then close
        try (Socket s = client(port)) {
          s.getOutputStream().write(("abc\n" + "x".repeat(2000) + "\n").getBytes(StandardCharsets.US_ASCII));
          assertThat(readAll(s.getInputStream())).isEqualTo((rev ? "cba\n" : "abc\n") + "ERR frame too large (max 1024 bytes)\n");
        }
        // exit, with more input behind it that is read and dropped
        try (Socket s = client(port)) {
          s.getOutputStream().write("hi\nexit\nnot answered\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(readAll(s.getInputStream())).isEqualTo(rev ? "ih\n" : "hi\n");
        }
        // a client that sends a lot, reads nothing and resets: reads still held are dropped
        try (Socket s = client(port)) {
          byte[] flood = lines.getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < 40; i++) {
            s.getOutputStream().write(flood);
          }
          s.setSoLinger(true, 0);
        }
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    assertThat(leaksAfterCollection()).as("Netty's leak reports").isEmpty();
  }

  /** The harness itself: a buffer dropped unreleased on purpose is reported. */
  @org.junit.jupiter.api.Test
  void aBufferNeverReleasedIsReported() {
    reports.list.clear();
    leak();
    assertThat(leaksAfterCollection()).as("Netty's leak reports").isNotEmpty();
  }

  private static void leak() {
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
  }

  private static Socket client(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(20_000);
    return s;
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    in.transferTo(got);
    return got.toString(StandardCharsets.US_ASCII);
  }

  /**
   * The detector reports a lost buffer once the collector has found it and a later allocation
   * looks: collect, allocate, a few times over (reference processing runs on its own thread).
   */
  private static List<String> leaksAfterCollection() {
    for (int i = 0; i < 10; i++) {
      System.gc();
      for (int k = 0; k < 100; k++) {
        PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
      }
    }
    return reports.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
  }
}
