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
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"drainSeconds\": " + drainSeconds + ", \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"closingStallMillis\": 1000}}");
    return JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()));
  }

  @Test
  void sigtermDrainsOpenConnectionsThenExitsZero() throws Exception {
    try (JarProcess server = start(3)) {
      int port = server.awaitReversePort(START);
      try (LineSocket polite = new LineSocket(port, 10_000); Socket busy = new Socket("127.0.0.1", port);
           Socket counted = new Socket("127.0.0.1", port)) {
        busy.setSoTimeout(15_000);
        counted.setSoTimeout(15_000);
        polite.send("before\n");
        assertThat(polite.readLine()).isEqualTo("erofeb\n");

        signal(server, "TERM");
        server.awaitLine(Pattern.compile("draining: stopped accepting; 3 connection\\(s\\) open"), START);
        assertThat(refusedWithin(port, Duration.ofSeconds(2))).as("new connections refused once draining").isTrue();

        // still served while draining
        polite.send("during\n");
        assertThat(polite.readLine()).isEqualTo("gnirud\n");
        polite.close(); // this one leaves on its own

        // this one sends a known number of lines, then waits: at the deadline it must have had the
        // reply to each of them, exactly, and then the server's FIN, nothing more and no reset
        LineStream mine = new LineStream(7);
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 2_000; i++) {
          sent.write(mine.line(mine.next()));
        }
        counted.getOutputStream().write(sent.toByteArray());
        CompletableFuture<Long> countedReplies = CompletableFuture.supplyAsync(() -> readAndVerify(counted, 7));

        // this one keeps sending until the deadline closes it: every reply it gets is whole and right
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> pushUntilClosed(busy));
        long answered = readAndVerify(busy, 3);
        writer.get(15, TimeUnit.SECONDS);
        assertThat(answered).isPositive();
        assertThat(countedReplies.get(15, TimeUnit.SECONDS)).as("bytes of replies to the counted client's lines").isEqualTo(sent.size());

        assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
        // what the server says of its drain agrees with what the clients got
        assertThat(server.output())
          .contains("drained in")
          .contains("2 connection(s) were closed at the deadline, every frame read was answered and every reply handed to the kernel");
      }
    }
  }

  /**
   * The drain's log line, checked against the bytes: a broadcast receiver that reads nothing is
   * closed by the drain with replies in the server's buffers, and the line must name exactly the
   * bytes it never got.
   */
  @Test
  void sigtermNamesTheBytesADeafReceiverNeverGot() throws Exception {
    Path conf = dir.resolve("broadcast.json");
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"drainSeconds\": 1, "
      + "\"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0, \"instances\": 1, \"maxQueuedBytes\": 16777216, \"closingStallMillis\": 1000}}");
    try (JarProcess server = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      int port = server.awaitPort("broadcast", START);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 200_000; i++) {
        text.append(String.format("broadcast line %06d of the drain test\n", i)); // 7.4 MB: more than the kernel's buffers
      }
      byte[] stream = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try (Socket deaf = new Socket(); Socket witness = new Socket(); Socket sender = new Socket()) {
        deaf.setReceiveBufferSize(4096); // before connect: its window stays small, the rest waits in the server
        deaf.setSoTimeout(30_000);
        witness.setSoTimeout(30_000);
        for (Socket s : List.of(deaf, witness, sender)) {
          s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        }
        // the connections reach the front before the lines: a line from the sender comes back to the witness
        // only once the front has it, and the deaf one was accepted before it (one front, accepted in order)
        awaitEveryoneHears(sender, witness);
        CompletableFuture<byte[]> witnessed = CompletableFuture.supplyAsync(() -> readExactly(witness, stream.length));
        sender.getOutputStream().write(stream);
        assertThat(witnessed.get(30, TimeUnit.SECONDS)).as("the witness's copy").isEqualTo(stream);

        signal(server, "TERM");
        assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        byte[] received = deaf.getInputStream().readAllBytes();
        java.util.regex.Matcher m = Pattern.compile("1 connection\\(s\\) closed with (\\d+) bytes of replies dropped").matcher(server.output());
        assertThat(m.find()).as("the drain's line names what was dropped:%n%s", server.output()).isTrue();
        long dropped = Long.parseLong(m.group(1));
        byte[] hello = "hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Arrays.copyOf(received, Math.min(received.length, hello.length))).as("the deaf receiver's first line").isEqualTo(hello);
        byte[] rest = Arrays.copyOfRange(received, hello.length, received.length);
        assertThat(rest.length).as("the deaf receiver cannot have got everything").isLessThan(stream.length);
        assertThat(Arrays.mismatch(rest, Arrays.copyOf(stream, rest.length))).as("what it got is the stream's prefix").isEqualTo(-1);
        assertThat(dropped).as("dropped bytes, as the server's log says").isEqualTo(stream.length - rest.length);
      }
    }
  }

  /** Sends {@code hello} from {@code sender} until {@code witness} hears it (a connection reaches the front some time after connect). */
  private static void awaitEveryoneHears(Socket sender, Socket witness) throws Exception {
    sender.getOutputStream().write("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(readExactly(witness, 6)).isEqualTo("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] readExactly(Socket s, int n) {
    try {
      byte[] b = s.getInputStream().readNBytes(n);
      assertThat(b.length).as("bytes before the end").isEqualTo(n);
      return b;
    } catch (IOException e) {
      throw new AssertionError(e);
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

  /**
   * Reads until the server's FIN, checking as it goes: the bytes must be a whole-line prefix of the
   * replies to {@code new LineStream(seed)}. A reset fails.
   */
  private static long readAndVerify(Socket s, int seed) {
    try {
      return readAndVerify(s.getInputStream(), seed);
    } catch (IOException e) {
      throw new AssertionError("the connection ended with " + e + ", not the server's FIN", e);
    }
  }

  private static long readAndVerify(InputStream raw, int seed) throws IOException {
    LineStream lines = new LineStream(seed);
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
