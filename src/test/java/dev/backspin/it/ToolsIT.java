package dev.backspin.it;

import dev.backspin.support.JarProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's client and bench subcommands, run as a user runs them, against a live server. Not
 * run per transport: it tests the tools, and the server under them is the default one (epoll);
 * the server on each transport is the other integration tests' job.
 */
class ToolsIT {

  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private JarProcess server() throws Exception {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"drainSeconds\": 0, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}, "
      + "\"echo\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    return JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()));
  }

  private static Process tool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JarProcess.JAR.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  @Test
  void clientSendsStdinLinesAndPrintsTheReplies() throws Exception {
    try (JarProcess server = server()) {
      int port = server.awaitReversePort(START);
      Process client = tool("client", "--port", Integer.toString(port));
      try (OutputStream in = client.getOutputStream()) {
        in.write("hello\nnever odd or even\n".getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(out).isEqualTo("olleh\nneve ro ddo reven\n");
      assertThat(client.exitValue()).isZero();
    }
  }

  @Test
  void clientExitsWhenTheServerClosesThoughItsInputIsStillOpen() throws Exception {
    try (JarProcess server = server()) {
      int port = server.awaitReversePort(START);
      Process client = tool("client", "--port", Integer.toString(port));
      OutputStream in = client.getOutputStream();
      try {
        // "exit": the server answers the line before it, then closes; stdin stays open, as a terminal's does
        in.write("hello\nexit\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).as("the client ended when the server closed").isTrue();
        assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("olleh\n");
        assertThat(client.exitValue()).isZero();
      } finally {
        client.destroyForcibly();
        in.close();
      }
    }
  }

  @Test
  void clientExitsWithOneWhenTheConnectionBreaks() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process client = tool("client", "--port", Integer.toString(listener.getLocalPort()));
      OutputStream in = client.getOutputStream();
      try (Socket s = listener.accept()) {
        in.write("hello\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        InputStream from = s.getInputStream();
        assertThat(from.readNBytes(6)).isEqualTo("hello\n".getBytes(StandardCharsets.UTF_8));
        s.setSoLinger(true, 0); // close with a reset: a broken connection, not a clean end
      }
      try {
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).as("the client ended when the connection broke").isTrue();
        assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("connection lost: ");
        assertThat(client.exitValue()).isEqualTo(1);
      } finally {
        client.destroyForcibly();
        in.close();
      }
    }
  }

  @Test
  void benchMeasuresAndCatchesAWrongServer() throws Exception {
    try (JarProcess server = server()) {
      int reverse = server.awaitReversePort(START);
      int echo = server.awaitPort("echo", START);
      Path json = dir.resolve("bench.json");
      Process ok = tool("bench", "--port", Integer.toString(reverse), "--connections", "8", "--duration", "2", "--json", json.toString());
      ok.getInputStream().readAllBytes();
      assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ok.exitValue()).isZero();
      JsonObject r = new JsonObject(Files.readString(json));
      assertThat(r.getLong("messages")).isPositive();
      assertThat(r.getLong("mismatches") + r.getLong("excess") + r.getLong("lost") + r.getLong("errors")).isZero();
      assertThat(r.getInteger("connected")).isEqualTo(8);
      // every measured reply was timed, and the percentiles are a distribution within the run
      JsonObject l = r.getJsonObject("latencyMicros");
      assertThat(l.getLong("count")).isEqualTo(r.getLong("messages"));
      assertThat(List.of(l.getLong("p50"), l.getLong("p90"), l.getLong("p99"), l.getLong("p999"), l.getLong("max"))).isSorted();
      assertThat(l.getLong("p50")).isPositive();
      assertThat(l.getLong("max")).isLessThan(2_000_000L + 5_000_000L);
      assertThat(r.getLong("msgsPerSecond")).isEqualTo(Math.round(r.getLong("messages") / r.getDouble("seconds")));

      // streaming: checked, and no latency reported, since none was measured
      Process stream = tool("bench", "--port", Integer.toString(reverse), "--mode", "stream", "--size", "16384", "--duration", "1",
        "--json", json.toString());
      stream.getInputStream().readAllBytes();
      assertThat(stream.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(stream.exitValue()).isZero();
      JsonObject s = new JsonObject(Files.readString(json));
      assertThat(s.getDouble("mbInPerSecond")).isPositive();
      assertThat(s.getLong("mismatches") + s.getLong("excess") + s.getLong("lost") + s.getLong("errors")).isZero();
      assertThat(s.getValue("latencyMicros")).isNull();

      // an echo server measured as if it reversed: every reply is a mismatch, and the exit says so
      Process wrong = tool("bench", "--port", Integer.toString(echo), "--connections", "2", "--duration", "1", "--json", json.toString());
      wrong.getInputStream().readAllBytes();
      assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(wrong.exitValue()).isEqualTo(3);
      assertThat(new JsonObject(Files.readString(json)).getLong("mismatches")).isPositive();
    }
  }

  @Test
  void floodChecksEveryByteAndTheBystanderAndCatchesAWrongServer() throws Exception {
    try (JarProcess server = server()) {
      int reverse = server.awaitReversePort(START);
      int echo = server.awaitPort("echo", START);
      Path json = dir.resolve("flood.json");
      Process ok = tool("flood", "--port", Integer.toString(reverse), "--clients", "8", "--bytes", "100000", "--hold", "1",
        "--deadline", "30", "--json", json.toString());
      String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ok.exitValue()).as(out).isZero();
      JsonObject r = new JsonObject(Files.readString(json));
      assertThat(r.getLong("bytesVerified")).isEqualTo(800_000L);
      assertThat(r.getInteger("failedClients")).isZero();
      assertThat(r.getJsonObject("bystander").getLong("visits")).isPositive();
      assertThat(r.getJsonObject("bystander").getLong("slow") + r.getJsonObject("bystander").getLong("missing")).isZero();
      assertThat(out).contains("verified 800,000 of 800,000 bytes (8 of 8 clients)");

      // echo sends each line back unreversed: every client's first reply is wrong, and the exit says so
      Process wrong = tool("flood", "--port", Integer.toString(echo), "--clients", "2", "--bytes", "10000", "--hold", "0.5",
        "--deadline", "30", "--json", json.toString());
      wrong.getInputStream().readAllBytes();
      assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(wrong.exitValue()).isEqualTo(3);
      JsonObject w = new JsonObject(Files.readString(json));
      assertThat(w.getJsonObject("failures").getInteger("mismatch")).isEqualTo(2);
      assertThat(w.getBoolean("verified")).isFalse();
    }
  }
}
