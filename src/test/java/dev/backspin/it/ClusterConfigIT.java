package dev.backspin.it;

import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes joined by the JSON cluster keys alone (no XML, no -D): members 127.0.0.1, a cluster
 * name of their own, and a Hazelcast port range of their own. The front on A has no workers, so
 * every reply comes from B's worker.
 */
class ClusterConfigIT {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern DEPLOYED = Pattern.compile("Succeeded in deploying verticle");

  @TempDir
  Path dir;

  private final List<JarProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (JarProcess n : nodes) {
      n.close();
    }
  }

  private JarProcess node(String name, String cluster, String services, boolean legacy) throws Exception {
    Path conf = dir.resolve(name + ".json");
    Files.writeString(conf, "{\"cluster\": " + cluster + ", \"drainSeconds\": 0, " + services + "}");
    List<String> args = legacy
      ? List.of("-cp", JarProcess.JAR.toString(), "io.vertx.core.Launcher", "run", "dev.backspin.BackspinVerticle", "-cluster", "-conf", conf.toString(),
        "-options", "conf/vertx-options.json") // epoll, as the README says for this form
      : List.of("-jar", JarProcess.JAR.toString(), "-cluster", "-conf", conf.toString());
    JarProcess p = JarProcess.start(args);
    nodes.add(p);
    return p;
  }

  private JarProcess node(String name, String cluster, String services) throws Exception {
    return node(name, cluster, services, false);
  }

  @ParameterizedTest(name = "node A launched by {0}")
  @ValueSource(strings = {"java -jar", "the legacy Launcher run"})
  void twoNodesJoinByTheJsonKeysAndReverseAcrossThem(String form) throws Exception {
    boolean legacy = form.startsWith("the legacy");
    int port = freePortPair();
    String cluster = "{\"name\": \"backspin-test-" + UUID.randomUUID() + "\", \"members\": [\"127.0.0.1\"], \"port\": " + port + "}";
    JarProcess b = node("b", cluster, "\"reverse\": {\"instances\": 0, \"workers\": 1}");
    b.awaitLine(DEPLOYED, START);
    // the legacy form too: its Hazelcast takes the keys, or it never finds B on a port of its own
    JarProcess a = node("a", cluster, "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"workers\": 0, \"remoteTimeoutMillis\": 1500}, "
      + "\"http\": {\"host\": \"127.0.0.1\", \"port\": 0}", legacy);
    int httpA = Integer.parseInt(a.awaitLine(Pattern.compile("operations endpoint on http://127.0.0.1:(\\d+)/"), START).group(1));
    int reverseA = a.awaitReversePort(START);
    if (!legacy) {
      a.awaitLine(DEPLOYED, START); // the legacy launcher says nothing when done: /ready below waits for it
    }

    // Hazelcast took cluster.port: B on the first port, A on the next (auto-increment)
    assertThat(listening(port)).as("B's Hazelcast on cluster.port %d", port).isTrue();
    assertThat(listening(port + 1)).as("A's Hazelcast on cluster.port + 1").isTrue();
    HttpResponse<String> ready = new Scrape(httpA).getWhen("/ready", r -> r.statusCode() == 200);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"id\":\"cluster\",\"status\":\"UP\"");

    try (LineSocket client = new LineSocket(reverseA, 15_000)) {
      for (int i = 0; i < 50; i++) {
        client.send("line " + i + " via B\n");
        assertThat(client.readLine()).isEqualTo(new StringBuilder("line " + i + " via B").reverse() + "\n");
      }
    }
  }

  /** A port P with P and P + 1 free on loopback, away from the 5701.. range other tests use. */
  private static int freePortPair() throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int p = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (free(p) && free(p + 1) && free(p + 2)) {
        return p;
      }
    }
    throw new IllegalStateException("no free port pair found");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
