package dev.backspin.it;

import dev.backspin.config.ServiceKind;
import dev.backspin.config.TransportKind;
import dev.backspin.support.JarProcess;
import dev.backspin.support.TestServer;
import dev.backspin.tools.Fanout;
import dev.backspin.tools.FanoutResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The jar's fanout command against one real broadcast service (in this test's Vert.x, port 0): a
 * second or so of load, then every receiver must have every sender's every line, once and in
 * order, and the counts must add up. Not run per transport: it tests the tool, on the default one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanoutIT {

  @TempDir
  Path dir;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void startServer() throws Exception {
    vertx = TestServer.vertx(TransportKind.EPOLL);
    TestServer server = TestServer.deploy(vertx, TestServer.serviceConfig(TransportKind.EPOLL, ServiceKind.BROADCAST, new JsonObject()))
      .await(20, TimeUnit.SECONDS);
    port = server.port(ServiceKind.BROADCAST);
  }

  @AfterEach
  void stopServer() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void asFastAsTheServerTakesThemEveryLineReachesEveryReceiver() throws Exception {
    Path json = dir.resolve("fanout.json");
    String address = "127.0.0.1:" + port;
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JarProcess.JAR.toString(),
      "fanout", "--send", address, "--receive", address, "--senders", "3", "--receivers", "3", "--warmup", "0.5", "--duration", "1",
      "--deadline", "30", "--json", json.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).startsWith("fanout: ").contains("; clean\n").contains("CLEAN: every line reached every receiver once, in order");

    JsonObject r = new JsonObject(Files.readString(json));
    assertThat(r.getBoolean("clean")).isTrue();
    long lines = r.getLong("linesSent");
    long measured = r.getLong("linesSentMeasured");
    assertThat(measured).isPositive().isLessThan(lines);
    JsonObject a = r.getJsonArray("receive").getJsonObject(0);
    assertThat(a.getString("address")).isEqualTo(address);
    // every line to each of the 3 receivers, once; the senders' own connections are no receivers of theirs
    assertThat(a.getLong("delivered")).isEqualTo(3 * lines).isEqualTo(a.getLong("expected")).isEqualTo(r.getLong("delivered"));
    assertThat(a.getLong("lost") + a.getLong("gaps") + a.getLong("reordered") + a.getLong("duplicates") + a.getLong("malformed")
      + a.getLong("disconnects")).isZero();
    assertThat(a.getInteger("confirmed")).isEqualTo(3);
    // each line sent in the measured second was timed at each receiver, whenever it arrived
    JsonObject l = a.getJsonObject("latencyMicros");
    assertThat(l.getLong("count")).isEqualTo(3 * measured);
    assertThat(List.of(l.getLong("p50"), l.getLong("p90"), l.getLong("p99"), l.getLong("p999"), l.getLong("max"))).isSorted();
    assertThat(l.getLong("max")).isLessThan(30_000_000L);
    assertThat(a.getLong("deliveriesMeasured")).isPositive();
    assertThat(a.getDouble("deliveriesPerSecond")).isCloseTo(a.getLong("deliveriesMeasured") / r.getDouble("seconds"), withinPercentage(1));
    assertThat(r.getDouble("seconds")).isBetween(0.9, 1.5);
  }

  @Test
  void atARateTheSendersKeepItAndEachAddressCountsOnItsOwn() throws Exception {
    Fanout.Address a = new Fanout.Address("127.0.0.1", port);
    // the same service twice: two tallies, each of its own 2 receivers
    Fanout.Options o = new Fanout.Options(a, List.of(a, a), 2, 2, 2000, Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(5), 100, Duration.ofSeconds(30));
    FanoutResult result = Fanout.run(o, new PrintStream(OutputStream.nullOutputStream()));
    assertThat(result.clean()).as(result.summary()).isTrue();
    JsonObject r = result.toJson();
    // due every 1 ms (2 senders, 2,000 lines/s in all) over the measured second
    assertThat(r.getLong("linesSentMeasured")).isBetween(1600L, 2400L);
    JsonArray receive = r.getJsonArray("receive");
    assertThat(receive).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject t = receive.getJsonObject(i);
      assertThat(t.getLong("delivered")).isEqualTo(2 * r.getLong("linesSent"));
      assertThat(t.getJsonObject("latencyMicros").getLong("count")).isEqualTo(2 * r.getLong("linesSentMeasured"));
    }
    assertThat(r.getLong("delivered")).isEqualTo(4 * r.getLong("linesSent"));
    assertThat(r.getValue("scheduleLagMaxMillis")).isNotNull();
  }
}
