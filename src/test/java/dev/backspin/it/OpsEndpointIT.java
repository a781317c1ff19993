package dev.backspin.it;

import dev.backspin.config.ServiceKind;
import dev.backspin.metrics.Metrics;
import dev.backspin.support.EachTransport;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import dev.backspin.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operations endpoint over real sockets: {@code /ready} and {@code /health}, and the meters in
 * {@code /metrics} counting exactly the traffic the test sent. Vert.x is built as the launcher
 * builds it when the config has an {@code http} section, so its own meters are there too.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OpsEndpointIT extends EachTransport {

  private static final JsonObject HTTP = new JsonObject().put("host", "127.0.0.1").put("port", 0);

  private Vertx vertx;

  private TestServer start(Vertx v, JsonObject config) throws Exception {
    vertx = v;
    return TestServer.deploy(vertx, config.put("http", HTTP.copy())).await(20, TimeUnit.SECONDS);
  }

  private TestServer start(JsonObject config) throws Exception {
    return start(Metrics.enable(Vertx.builder(), new VertxOptions()).withTransport(Transports.select(transport)).build(), config);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static String reversed(String line) {
    return new StringBuilder(line).reverse() + "\n";
  }

  @Test
  void readyAndHealthAnswer200OnceDeployed() throws Exception {
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject()));
    Scrape s = new Scrape(server.httpPort());
    HttpResponse<String> ready = s.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("outcome")).isEqualTo("UP");
    assertThat(body.getJsonArray("checks").encode()).contains("\"id\":\"deployed\",\"status\":\"UP\"")
      .contains("\"id\":\"draining\",\"status\":\"UP\"");
    try (LineSocket c = new LineSocket(server.port(), 10_000)) {
      c.send("abc\n");
      assertThat(c.readLine()).isEqualTo("cba\n");
      HttpResponse<String> health = s.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(health.body()).getJsonArray("checks").getJsonObject(0).getJsonObject("data").getInteger("reverse")).isEqualTo(1);
    }
    assertThat(s.get("/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsCountExactlyTheTrafficServed() throws Exception {
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject())
      .put("echo", new JsonObject().put("host", "127.0.0.1").put("port", 0)));
    Scrape s = new Scrape(server.httpPort());
    long bytes = 0;
    List<LineSocket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        clients.add(new LineSocket(server.port(), 10_000));
      }
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 5; j++) {
          String line = "hello-" + i + "-" + j;
          clients.get(i).send(line + "\n");
          assertThat(clients.get(i).readLine()).isEqualTo(reversed(line));
          bytes += line.length() + 1;
        }
      }
      try (LineSocket echo = new LineSocket(server.port(ServiceKind.ECHO), 10_000)) {
        echo.send("one\ntwo\n");
        assertThat(echo.readLine()).isEqualTo("one\n");
        assertThat(echo.readLine()).isEqualTo("two\n");
      }
      String m = s.metrics();
      assertThat(Scrape.value(m, "backspin_connections_open{service=\"reverse\"}")).isEqualTo(3);
      assertThat(Scrape.value(m, "backspin_connections_accepted_total{service=\"reverse\"}")).isEqualTo(3);
      assertThat(Scrape.value(m, "backspin_frames_in_total{service=\"reverse\"}")).isEqualTo(15);
      assertThat(Scrape.value(m, "backspin_frames_out_total{service=\"reverse\"}")).isEqualTo(15);
      assertThat(Scrape.value(m, "backspin_bytes_in_total{service=\"reverse\"}")).isEqualTo(bytes);
      assertThat(Scrape.value(m, "backspin_bytes_out_total{service=\"reverse\"}")).isEqualTo(bytes);
      assertThat(Scrape.value(m, "backspin_frames_in_total{service=\"echo\"}")).isEqualTo(2);
      assertThat(Scrape.value(m, "backspin_frames_out_total{service=\"echo\"}")).isEqualTo(2);
      assertThat(Scrape.value(m, "backspin_bytes_out_total{service=\"echo\"}")).isEqualTo(8);
      // one batch per read here: each line went alone and waited for its answer
      assertThat(Scrape.value(m, "backspin_worker_latency_seconds_count{service=\"reverse\"}")).isEqualTo(15);
      assertThat(Scrape.value(m, "backspin_ring_capacity{service=\"reverse\",shard=\"0\"}")).isEqualTo(1024);
      assertThat(Scrape.value(m, "backspin_ring_occupancy{service=\"reverse\",shard=\"0\"}")).isZero();
      // the event bus's queue depth, from Vert.x's own meters
      assertThat(Scrape.value(m, "vertx_eventbus_pending{address=\"backspin.reverse.worker.0\",side=\"local\"}")).isZero();
      assertThat(Scrape.value(m, "vertx_eventbus_processed_total{address=\"backspin.reverse.worker.0\",side=\"local\"}")).isEqualTo(15);
      assertThat(m).doesNotContain("backspin_worker_latency_seconds_count{service=\"echo\"}");
      assertThat(m).doesNotContain("backspin_remote_retries_total{service=\"echo\"}");
      // the remote path's retries: none here, where the workers are local
      assertThat(Scrape.value(m, "backspin_remote_retries_total{service=\"reverse\"}")).isZero();
      // the JVM's heap beside them: a live figure, more than nothing
      assertThat(m).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"\\} [1-9]");
    } finally {
      for (LineSocket c : clients) {
        c.close();
      }
    }
    String after = s.metricsWhen(t -> Scrape.value(t, "backspin_connections_open{service=\"reverse\"}") == 0);
    assertThat(Scrape.value(after, "backspin_connections_open{service=\"reverse\"}")).isZero();
  }

  /** Every event-bus series in a scrape, named with its labels, without its value. */
  private static Set<String> eventBusSeries(String text) {
    Set<String> series = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("vertx_eventbus")) {
        series.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return series;
  }

  /** Opens {@code n} connections, each sending {@code lines} lines and reading each answer before the next. */
  private static void converse(int port, List<LineSocket> clients, int n, int lines) throws IOException {
    for (int i = 0; i < n; i++) {
      LineSocket c = new LineSocket(port, 10_000);
      clients.add(c);
      for (int j = 0; j < lines; j++) {
        String line = "x" + clients.size() + "-" + j;
        c.send(line + "\n");
        assertThat(c.readLine()).isEqualTo(reversed(line));
      }
    }
  }

  @Test
  void eventBusSeriesDoNotGrowWithConnections() throws Exception {
    // said, not left to the defaults: local workers, and replies written back through each
    // socket's writeHandlerID, so every socket registers an address of its own
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject()
      .put("instances", 1).put("workers", 1).put("writeBack", "socket")));
    Scrape s = new Scrape(server.httpPort());
    List<LineSocket> clients = new ArrayList<>();
    int lines = 3; // each waits for its answer: one message to the socket's address per line
    try {
      converse(server.port(), clients, 5, lines);
      String before = s.metrics();
      converse(server.port(), clients, 45, lines);
      String after = s.metrics();
      // each socket has an address of its own (its writeHandlerID), and every reply went there:
      // they are one series, not one per socket, which would grow without bound
      assertThat(eventBusSeries(after)).as("event-bus series after 50 sockets, against after 5")
        .isEqualTo(eventBusSeries(before));
      assertThat(Scrape.labelValues(after, "vertx_eventbus", "address"))
        .allMatch(a -> a.startsWith("backspin.") || a.equals("vertx.net.*"))
        .contains("vertx.net.*");
      // and that one series counts them all: the sockets did register, and the replies went through them
      assertThat(Scrape.value(before, "vertx_eventbus_handlers{address=\"vertx.net.*\"}")).as("write handlers of 5 sockets").isEqualTo(5);
      assertThat(Scrape.value(after, "vertx_eventbus_handlers{address=\"vertx.net.*\"}")).as("write handlers of 50 sockets").isEqualTo(50);
      assertThat(Scrape.value(after, "vertx_eventbus_processed_total{address=\"vertx.net.*\",side=\"local\"}"))
        .as("replies through the sockets' write handlers").isEqualTo(50 * lines);
    } finally {
      for (LineSocket c : clients) {
        c.close();
      }
    }
  }

  @Test
  void rejectionsAndErrorsAreCountedByReason() throws Exception {
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject().put("maxConnections", 1).put("maxFrameBytes", 16)));
    Scrape s = new Scrape(server.httpPort());
    try (LineSocket first = new LineSocket(server.port(), 10_000)) {
      first.send("ok\n");
      assertThat(first.readLine()).isEqualTo("ko\n");
      try (LineSocket second = new LineSocket(server.port(), 10_000)) {
        assertThat(second.readToEnd()).isEqualTo("ERR too many connections\n");
      }
      first.send("y".repeat(40) + "\n");
      assertThat(first.readToEnd()).startsWith("ERR frame too large");
    }
    String m = s.metrics();
    assertThat(Scrape.value(m, "backspin_connections_rejected_total{reason=\"too_many_connections\",service=\"reverse\"}")).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_connections_accepted_total{service=\"reverse\"}")).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_errors_total{kind=\"frame_too_large\",service=\"reverse\"}")).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_errors_total{kind=\"invalid_utf8\",service=\"reverse\"}")).isZero();
  }

  @Test
  void aFailedConnectionIsOneErrorHoweverManyBatchesWereOnTheWay() throws Exception {
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject().put("unit", "codepoint")));
    try (Socket c = new Socket("127.0.0.1", server.port())) {
      OutputStream out = c.getOutputStream();
      out.write(new byte[] {(byte) 0xff, '\n'}); // invalid UTF-8 first
      for (int i = 0; i < 2000; i++) { // then reads that arrive while the rejection travels back
        try {
          out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
          break; // the server has answered ERR and closed: nothing more is read
        }
      }
      c.setSoTimeout(20_000);
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ERR invalid UTF-8\n");
    }
    String m = new Scrape(server.httpPort()).metrics();
    assertThat(Scrape.value(m, "backspin_errors_total{kind=\"invalid_utf8\",service=\"reverse\"}")).isEqualTo(1);
  }

  @Test
  void aSlowBroadcastReceiverIsCountedWhenCutOff() throws Exception {
    TestServer server = start(TestServer.serviceConfig(transport, ServiceKind.BROADCAST, new JsonObject().put("maxQueuedBytes", 64 * 1024)));
    int port = server.port(ServiceKind.BROADCAST);
    Scrape s = new Scrape(server.httpPort());
    try (Socket stuck = new Socket(); Socket sender = new Socket("127.0.0.1", port)) {
      stuck.setReceiveBufferSize(4096); // never reads until the end: its window fills, then its queue
      stuck.connect(new InetSocketAddress("127.0.0.1", port));
      String m = s.metricsWhen(t -> Scrape.value(t, "backspin_connections_open{service=\"broadcast\"}") == 2);
      assertThat(Scrape.value(m, "backspin_connections_open{service=\"broadcast\"}")).isEqualTo(2);
      OutputStream out = sender.getOutputStream();
      byte[] chunk = ("x".repeat(999) + "\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 200; i++) { // 20 MB: far past the stuck receiver's window and queue
        out.write(chunk);
      }
      stuck.setSoTimeout(20_000);
      byte[] tail = stuck.getInputStream().readAllBytes();
      assertThat(new String(tail, StandardCharsets.US_ASCII)).endsWith("ERR too slow\n");
    }
    String m = s.metrics();
    assertThat(Scrape.value(m, "backspin_broadcast_slow_disconnects_total{service=\"broadcast\"}")).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_errors_total{kind=\"slow_receiver\",service=\"broadcast\"}")).isEqualTo(1);
    assertThat(m).doesNotContain("backspin_broadcast_slow_disconnects_total{service=\"reverse\"}");
  }

  @Test
  void aFailedTlsHandshakeIsCountedAsARejection() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject()
      .put("tls", new JsonObject().put("certPath", cert.certificatePath()).put("keyPath", cert.privateKeyPath()))));
    try (LineSocket plain = new LineSocket(server.port(), 10_000)) {
      plain.send("hello\n"); // not a TLS ClientHello
      assertThat(plain.readToEnd()).doesNotContain("olleh");
    }
    String series = "backspin_connections_rejected_total{reason=\"tls_handshake\",service=\"reverse\"}";
    String m = new Scrape(server.httpPort()).metricsWhen(t -> Scrape.value(t, series) >= 1);
    assertThat(Scrape.value(m, series)).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_connections_accepted_total{service=\"reverse\"}")).isZero();
  }

  @Test
  void notReadyWhileDrainingYetStillServing() throws Exception {
    // the open client neither reads nor closes after the deadline: it is let go after 1 s, not 5
    TestServer server = start(TestServer.reverseConfig(transport, new JsonObject().put("closingStallMillis", 1000)).put("drainSeconds", 3));
    Scrape s = new Scrape(server.httpPort());
    try (LineSocket open = new LineSocket(server.port(), 15_000)) {
      open.send("before\n");
      assertThat(open.readLine()).isEqualTo(reversed("before"));
      Future<Void> undeployed = server.close();
      HttpResponse<String> ready = s.get("/ready");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(20); // the drain begins on the event loop, just after the undeploy call
        ready = s.get("/ready");
      }
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("draining");
      assertThat(s.get("/health").statusCode()).isEqualTo(200);
      // a connection open when the drain began is still served
      open.send("during\n");
      assertThat(open.readLine()).isEqualTo(reversed("during"));
      undeployed.await(20, TimeUnit.SECONDS);
    }
    // drained and stopped: the endpoint is gone with the services
    assertThatThrownBy(() -> s.get("/ready")).isInstanceOf(ConnectException.class);
  }

  @Test
  void noHttpSectionNoEndpoint() throws Exception {
    vertx = TestServer.vertx(transport);
    TestServer server = TestServer.deploy(vertx, TestServer.reverseConfig(transport, new JsonObject())).await(20, TimeUnit.SECONDS);
    assertThat(server.httpPort()).isEqualTo(-1);
    try (LineSocket c = new LineSocket(server.port(), 10_000)) {
      c.send("abc\n");
      assertThat(c.readLine()).isEqualTo("cba\n");
    }
  }

  @Test
  void withoutVertxMetricsBackspinsOwnMetersAreServed() throws Exception {
    TestServer server = start(TestServer.vertx(transport), TestServer.reverseConfig(transport, new JsonObject()));
    try (LineSocket c = new LineSocket(server.port(), 10_000)) {
      c.send("abc\n");
      assertThat(c.readLine()).isEqualTo("cba\n");
    }
    String m = new Scrape(server.httpPort()).metrics();
    assertThat(Scrape.value(m, "backspin_frames_in_total{service=\"reverse\"}")).isEqualTo(1);
    assertThat(m).doesNotContain("vertx_eventbus");
  }

  @Test
  void anHttpPortInUseFailsTheStartClearly() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      vertx = TestServer.vertx(transport);
      JsonObject cfg = TestServer.reverseConfig(transport, new JsonObject())
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", taken.getLocalPort()));
      assertThatThrownBy(() -> TestServer.deploy(vertx, cfg).await(20, TimeUnit.SECONDS))
        .hasMessageContaining("Address already in use");
    }
  }
}
