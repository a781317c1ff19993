package dev.backspin.it;

import dev.backspin.support.EachTransport;
import dev.backspin.support.HalfClosingWriter;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clustered nodes as separate processes from the fat jar, on loopback, joined by Hazelcast under
 * a cluster name of their own. Fronts on one node, workers on others. On each transport: the
 * event bus between the nodes runs on it too, not only the clients' sockets.
 */
class ClusterIT extends EachTransport {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern DEPLOYED = Pattern.compile("Succeeded in deploying verticle");

  @TempDir
  Path dir;

  private final String cluster = "backspin-test-" + UUID.randomUUID();
  private final List<JarProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (JarProcess n : nodes) {
      n.close();
    }
  }

  private JarProcess node(String name, String services) throws Exception {
    Path conf = dir.resolve(name + ".json");
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"cluster\": {\"name\": \"" + cluster + "\"}, \"drainSeconds\": 0, " + services + "}");
    JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-cluster", "-conf", conf.toString()));
    nodes.add(p);
    return p;
  }

  private static final String WORKERS_ONLY = "\"reverse\": {\"instances\": 0, \"workers\": 1}";
  private static final String FRONTS_ONLY = "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"workers\": 0, \"remoteTimeoutMillis\": 1500}";

  @Test
  void aRemoteWorkerReversesInOrderAndBroadcastCrossesNodes() throws Exception {
    JarProcess b = node("b", WORKERS_ONLY + ", \"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0}");
    int broadcastB = b.awaitPort("broadcast", START);
    b.awaitLine(DEPLOYED, START);
    JarProcess a = node("a", FRONTS_ONLY + ", \"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0}, "
      + "\"http\": {\"host\": \"127.0.0.1\", \"port\": 0}");
    int httpA = Integer.parseInt(a.awaitLine(Pattern.compile("operations endpoint on http://127.0.0.1:(\\d+)/"), START).group(1));
    int reverseA = a.awaitReversePort(START);
    int broadcastA = a.awaitPort("broadcast", START);
    a.awaitLine(DEPLOYED, START);
    // ready: deployed, and a member of the cluster
    HttpResponse<String> ready = new Scrape(httpA).get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"id\":\"cluster\",\"status\":\"UP\"");

    // 8 connections pipeline 2000 lines each through node A to node B's worker and back
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int id = c;
      clients.add(CompletableFuture.runAsync(() -> pipeline(reverseA, id, 2000)));
    }
    CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

    try (LineSocket onA = new LineSocket(broadcastA, 15_000); LineSocket onB = new LineSocket(broadcastB, 15_000)) {
      // both nodes were up and subscribed before: a frame published on one is written on the other
      onB.send("from B\n");
      assertThat(onA.readLine()).isEqualTo("from B\n");
      onA.send("from A\n");
      assertThat(onB.readLine()).isEqualTo("from A\n");
    }
  }

  @Test
  void killedWorkerNodesNeitherHangNorLoseFrames() throws Exception {
    JarProcess b = node("b", WORKERS_ONLY);
    JarProcess c = node("c", WORKERS_ONLY);
    b.awaitLine(DEPLOYED, START);
    c.awaitLine(DEPLOYED, START);
    JarProcess a = node("a", FRONTS_ONLY);
    int port = a.awaitReversePort(START);
    a.awaitLine(DEPLOYED, START);

    try (LineSocket s = new LineSocket(port, 30_000)) {
      for (int i = 0; i < 20; i++) {
        s.send("before " + i + "\n");
        assertThat(s.readLine()).isEqualTo(new StringBuilder("before " + i).reverse() + "\n");
      }
      kill9(b);
      // requests that went to b time out and are asked again; c answers all of them, in order
      for (int i = 0; i < 20; i++) {
        s.send("after " + i + "\n");
        assertThat(s.readLine()).isEqualTo(new StringBuilder("after " + i).reverse() + "\n");
      }
      kill9(c);
      // no worker is left: the client is told, not left hanging
      s.send("orphan\n");
      assertThat(s.readLine()).isIn("ERR worker timed out\n", "ERR no worker available\n");
      assertThat(s.readLine()).isNull();
    }
    // the front node still accepts and answers with ERR, it does not hang
    try (LineSocket s = new LineSocket(port, 30_000)) {
      s.send("anyone\n");
      assertThat(s.readLine()).startsWith("ERR ");
    }
  }

  private static void kill9(JarProcess p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
    p.awaitExit(Duration.ofSeconds(10));
  }

  private static void pipeline(int port, int id, int lines) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder();
      StringBuilder rep = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        String line = "client " + id + " says " + i;
        req.append(line).append('\n');
        rep.append(new StringBuilder(line).reverse()).append('\n');
      }
      CompletableFuture<Void> writer = HalfClosingWriter.write(s, req.toString().getBytes(StandardCharsets.US_ASCII));
      String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      writer.get(30, TimeUnit.SECONDS);
      assertThat(got).isEqualTo(rep.toString());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
