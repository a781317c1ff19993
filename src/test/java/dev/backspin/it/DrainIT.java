package dev.backspin.it;

import dev.backspin.support.EachTransport;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.LineStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 3, graceful drain: on SIGTERM the server stops accepting at once, serves its open
 * connections until they close or drainSeconds pass, answers every frame it read, and exits 0.
 * On each transport: the drain's closing (half-close, then read and drop) is the transport's.
 */
class DrainIT extends EachTransport {

  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private JarProcess start(int drainSeconds) throws Exception {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"drainSeconds\": " + drainSeconds + ", \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    return JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()));
  }

  @Test
  void sigtermDrainsOpenConnectionsThenExitsZero() throws Exception {
    try (JarProcess server = start(3)) {
      int port = server.awaitReversePort(START);
      try (LineSocket polite = new LineSocket(port, 10_000); Socket busy = new Socket("127.0.0.1", port)) {
        busy.setSoTimeout(15_000);
        polite.send("before\n");
        assertThat(polite.readLine()).isEqualTo("erofeb\n");

        signal(server, "TERM");
        server.awaitLine(Pattern.compile("draining: stopped accepting; 2 connection\\(s\\) open"), START);
        assertThat(refusedWithin(port, Duration.ofSeconds(2))).as("new connections refused once draining").isTrue();

        // still served while draining
        polite.send("during\n");
        assertThat(polite.readLine()).isEqualTo("gnirud\n");
        polite.close(); // this one leaves on its own

        // this one keeps sending until the deadline closes it: every reply it gets is whole and right
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> pushUntilClosed(busy));
        long answered = readAndVerify(busy.getInputStream());
        writer.get(15, TimeUnit.SECONDS);
        assertThat(answered).isPositive();

        assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(server.output())
          .contains("drained in")
          .contains("1 connection(s) were closed at the deadline, every frame read was answered");
      }
    }
  }

  @Test
  void sigintWithNothingOpenExitsZeroAtOnce() throws Exception {
    try (JarProcess server = start(30)) {
      int port = server.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("x\n");
        assertThat(s.readLine()).isEqualTo("x\n");
      }
      long t0 = System.nanoTime();
      signal(server, "INT");
      assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      assertThat(server.output()).contains("drained in");
    }
  }

  /**
   * Whether connects are refused within {@code limit}. Only a connect attempt can observe a closed
   * listener from outside, so this polls; a connect that slips in first is closed by us at once.
   */
  private static boolean refusedWithin(int port, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        TimeUnit.MILLISECONDS.sleep(20); // poll interval, not synchronisation
      } catch (ConnectException refused) {
        return true;
      }
    }
    return false;
  }

  private static void signal(JarProcess p, String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  /** Writes lines until the server stops taking them (it closed at the drain deadline): at most 15 s and 256 MB. */
  private static void pushUntilClosed(Socket s) {
    LineStream lines = new LineStream(3);
    try {
      OutputStream out = s.getOutputStream();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (long sent = 0; sent < (256L << 20) && System.nanoTime() < deadline; ) {
        byte[] line = lines.line(lines.next());
        out.write(line);
        sent += line.length;
      }
    } catch (IOException closedByServer) {
      // expected: the server closed at the deadline
    }
  }

  /** Reads until EOF, checking as it goes: the bytes must be a whole-line prefix of the expected replies. */
  private static long readAndVerify(InputStream raw) throws IOException {
    LineStream lines = new LineStream(3);
    InputStream in = new BufferedInputStream(raw, 64 * 1024);
    long at = 0;
    while (true) {
      byte[] expected = lines.reply(lines.next());
      byte[] got = in.readNBytes(expected.length);
      if (got.length == 0) {
        return at; // the end came between replies
      }
      assertThat(got.length).as("a reply was cut short at byte %d", at).isEqualTo(expected.length);
      int differs = Arrays.mismatch(got, expected);
      if (differs >= 0) {
        throw new AssertionError("reply differs at byte " + (at + differs));
      }
      at += expected.length;
    }
  }
}
