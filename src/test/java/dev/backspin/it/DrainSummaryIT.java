package dev.backspin.it;

import dev.backspin.front.DrainSummary;
import dev.backspin.config.ServiceKind;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain's account is checked against the bytes a client really got: a broadcast receiver that
 * reads nothing is closed by the drain with replies still in the server's buffers, and the summary
 * must name exactly the bytes it never got.
 */
class DrainSummaryIT extends TransportVertxTest {

  private static final int LINES = 200_000; // 7.4 MB: more than the kernel buffers take (tcp_wmem max 4 MiB)

  @Test
  void theSummaryNamesEveryByteAClosedReceiverNeverGot() throws Throwable {
    JsonObject config = TestServer.serviceConfig(transport, ServiceKind.BROADCAST,
        new JsonObject().put("instances", 1).put("maxQueuedBytes", 16 << 20).put("closingStallMillis", 1000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    TestServer server = TestServer.deploy(vertx, config).await(20, TimeUnit.SECONDS);
    int port = server.port(ServiceKind.BROADCAST);
    byte[] stream = lines();

    try (Socket deaf = new Socket()) {
      deaf.setReceiveBufferSize(4096); // before connect: the window stays small, the rest waits in the server
      deaf.setSoTimeout(30_000);
      deaf.connect(new InetSocketAddress("127.0.0.1", port));
      NetSocket witness = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
      NetSocket sender = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
      String open = "backspin_connections_open{service=\"broadcast\"}";
      new Scrape(server.httpPort()).metricsWhen(t -> Scrape.value(t, open) == 3);

      // the witness shares the deaf receiver's front: once it has every line, so has the deaf one's connection
      Promise<Buffer> seen = Promise.promise();
      Buffer got = Buffer.buffer();
      witness.handler(b -> {
        got.appendBuffer(b);
        if (got.length() >= stream.length) {
          seen.tryComplete(got);
        }
      });
      sender.write(Buffer.buffer(stream));
      assertThat(seen.future().await(30, TimeUnit.SECONDS).getBytes()).as("the witness's copy").isEqualTo(stream);

      server.close().await(30, TimeUnit.SECONDS);
      DrainSummary summary = server.drainSummary(ServiceKind.BROADCAST).await(5, TimeUnit.SECONDS);

      byte[] received = readToEnd(deaf.getInputStream());
      assertThat(received.length).as("the deaf receiver must not have got everything, or nothing was dropped").isLessThan(stream.length);
      assertThat(Arrays.mismatch(received, Arrays.copyOf(stream, received.length))).as("what it got is the stream's prefix").isEqualTo(-1);
      assertThat(summary.droppedConnections()).as(summary.describe()).isEqualTo(1);
      assertThat(summary.droppedBytes()).as(summary.describe()).isEqualTo(stream.length - received.length);
      assertThat(summary.unansweredConnections()).as(summary.describe()).isZero();
      assertThat(summary.describe()).doesNotContain("every frame read was answered");
    }
  }

  private static byte[] lines() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      s.append(String.format("broadcast line %06d of the drain test\n", i));
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] readToEnd(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    for (int n; (n = in.read(buf)) >= 0; ) {
      all.write(buf, 0, n);
    }
    return all.toByteArray();
  }
}
