package dev.backspin.it;

import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import dev.backspin.bus.Batch;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame whose answer is lost does not hang its connection: the front's watchdog gives its client
 * {@code ERR no answer in time} after answerTimeoutSeconds, closes it, and counts it. The loss is
 * real: an event-bus interceptor drops the batch on its way to the worker.
 */
class WatchdogIT extends TransportVertxTest {

  @Test
  void aLostBatchEndsItsConnectionWithErrAndTheOthersAreServed() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    vertx.eventBus().addInboundInterceptor(dc -> {
      if (dc.body() instanceof Batch b && contains(b, "lose me")) {
        dropped.incrementAndGet(); // not passed on: lost
        return;
      }
      dc.next();
    });
    JsonObject config = TestServer.reverseConfig(transport, new JsonObject().put("answerTimeoutSeconds", 1).put("workers", 1).put("instances", 1))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    TestServer server = TestServer.deploy(vertx, config).await(20, TimeUnit.SECONDS);
    try (LineSocket victim = new LineSocket(server.port(), 15_000); LineSocket bystander = new LineSocket(server.port(), 15_000)) {
      victim.send("one\n");
      assertThat(victim.readLine()).isEqualTo("eno\n");
      bystander.send("before\n");
      assertThat(bystander.readLine()).isEqualTo("erofeb\n");
      // alone in its batch (a batch dropped with others' frames ends each of them the same way)
      victim.send("lose me\n");
      // within 1 s and the watchdog's period after the loss: the ERR, then the server's close, nothing else
      assertThat(victim.readToEnd()).isEqualTo("ERR no answer in time\n");
      assertThat(dropped.get()).as("batches the interceptor dropped").isEqualTo(1);
      bystander.send("after\n");
      assertThat(bystander.readLine()).isEqualTo("retfa\n");
    }
    String m = new Scrape(server.httpPort()).metrics();
    assertThat(Scrape.value(m, "backspin_errors_total{kind=\"no_answer\",service=\"reverse\"}")).isEqualTo(1);
  }

  /**
   * A client that reads nothing for several bounds holds its own replies back: they wait in
   * Netty's and Vert.x's queues, not lost, and the watchdog must leave it alone. Then it reads,
   * and gets every reply.
   */
  @Test
  void aClientThatReadsNothingForLongIsNotTakenForALostAnswer() throws Exception {
    JsonObject config = TestServer.reverseConfig(transport, new JsonObject().put("answerTimeoutSeconds", 1).put("workers", 1).put("instances", 1));
    TestServer server = TestServer.deploy(vertx, config).await(20, TimeUnit.SECONDS);
    String line = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(28) + "\n"; // 1,009 bytes
    int lines = 8192; // 8 MB: more than loopback's buffers and the server's queues hold
    String expected = new StringBuilder(line.substring(0, line.length() - 1)).reverse() + "\n";
    try (java.net.Socket s = new java.net.Socket()) {
      s.setReceiveBufferSize(16 * 1024);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 10_000);
      s.setSoTimeout(30_000);
      java.util.concurrent.CompletableFuture<Void> sent = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          byte[] b = line.getBytes(StandardCharsets.US_ASCII);
          var out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
          for (int i = 0; i < lines; i++) {
            out.write(b);
          }
          out.flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // reading nothing is the case itself: a span of time, three answer timeouts long
      Thread.sleep(3_500);
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      for (int i = 0; i < lines; i++) {
        String got = in.readLine();
        assertThat(got).as("reply %d of %d", i + 1, lines).isEqualTo(expected.substring(0, expected.length() - 1));
      }
      sent.get(30, TimeUnit.SECONDS);
    }
  }

  private static boolean contains(Batch b, String text) {
    for (int i = 0; i < b.size(); i++) {
      var f = b.frames(i);
      if (new String(f.data(), 0, f.length(), StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
    }
    return false;
  }
}
