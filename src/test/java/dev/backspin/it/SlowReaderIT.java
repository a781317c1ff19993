package dev.backspin.it;

import dev.backspin.support.EachTransport;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineStream;
import dev.backspin.support.ProcessMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 2, bounded memory: a client that sends and never reads cannot make the server
 * buffer without limit, and no byte is lost. One connection pushes lines for 10 s without
 * reading; the server's live heap stays flat; then the client reads everything back, exact.
 * On each transport: pausing a socket's reads is each transport's own code.
 */
class SlowReaderIT extends EachTransport {

  private static final Logger log = LoggerFactory.getLogger(SlowReaderIT.class);
  private static final long TOTAL = 256L << 20;
  private static final Duration STALL = Duration.ofSeconds(10);
  private static final long MB = 1 << 20;
  /** Stated bound: live heap growth while stalled (credits 1 MiB + write queue + read buffers). */
  private static final long MAX_LIVE_HEAP_GROWTH = 16 * MB;

  @TempDir
  Path dir;

  @Test
  void stalledReaderKeepsServerMemoryFlatAndLosesNothing() throws Exception {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"drainSeconds\": 0, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    // a heap far smaller than what the client pushes: buffering it all would fail outright
    try (JarProcess server = JarProcess.start(List.of("-Xmx96m", "-jar", JarProcess.JAR.toString(), "-conf", conf.toString()));
         Socket socket = new Socket("127.0.0.1", server.awaitReversePort(Duration.ofSeconds(30)))) {
      socket.setSoTimeout(30_000);
      long heapBefore = ProcessMemory.liveHeapBytes(server.pid());
      long rssBefore = ProcessMemory.rssBytes(server.pid());

      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(socket, written));

      // phase 1: nobody reads; sample the server's resident memory while the client pushes
      long rssPeak = rssBefore;
      long deadline = System.nanoTime() + STALL.toNanos();
      while (System.nanoTime() < deadline && !writer.isDone()) {
        rssPeak = Math.max(rssPeak, ProcessMemory.rssBytes(server.pid()));
        try {
          writer.get(200, TimeUnit.MILLISECONDS); // a sampling interval; ends early if the writer fails
        } catch (TimeoutException stillWriting) {
          // expected: sample again
        }
      }
      long pushedWhileStalled = written.get();
      long heapStalled = ProcessMemory.liveHeapBytes(server.pid());
      rssPeak = Math.max(rssPeak, ProcessMemory.rssBytes(server.pid()));

      // phase 2: read everything back, checking every byte, while the writer finishes
      long verified = readAndVerify(socket.getInputStream(), TOTAL);
      writer.get(60, TimeUnit.SECONDS);

      log.info("slow reader on {}: pushed {} MB in {} s without reading; server live heap {} MB before, {} MB stalled; "
          + "RSS {} MB before, {} MB peak; then {} MB read back byte-exact",
        transport.id(), pushedWhileStalled / MB, STALL.toSeconds(), heapBefore / MB, heapStalled / MB, rssBefore / MB, rssPeak / MB, verified / MB);
      assertThat(verified).as(server.output()).isEqualTo(TOTAL);
      assertThat(pushedWhileStalled).as("the server stopped reading: the client was held back").isLessThan(TOTAL / 4);
      assertThat(heapStalled - heapBefore).as("live heap growth while stalled").isLessThan(MAX_LIVE_HEAP_GROWTH);
    }
  }

  private static void write(Socket socket, AtomicLong written) {
    LineStream lines = new LineStream(1);
    try {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      long n = 0;
      while (n < TOTAL) {
        byte[] line = lines.line(lines.next());
        int len = (int) Math.min(line.length, TOTAL - n);
        out.write(line, 0, len);
        n += len;
        written.set(n);
      }
      out.flush();
      // as `nc -N` does: every reply is still owed after the FIN (on epoll, EpollInterest's case)
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** Reads {@code owed} bytes, comparing with the expected replies; returns the byte count. */
  private static long readAndVerify(InputStream in, long owed) throws IOException {
    LineStream lines = new LineStream(1);
    byte[] buf = new byte[64 * 1024];
    byte[] expected = lines.reply(lines.next());
    int at = 0;
    long total = 0;
    int n;
    while (total < owed && (n = in.read(buf, 0, (int) Math.min(buf.length, owed - total))) > 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != expected[at]) {
          throw new AssertionError("reply differs at byte " + (total + i));
        }
        if (++at == expected.length) {
          expected = lines.reply(lines.next());
          at = 0;
        }
      }
      total += n;
    }
    return total;
  }
}
