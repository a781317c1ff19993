package dev.backspin.it;

import dev.backspin.support.JarProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
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
      assertThat(r.getLong("mismatches")).isZero();
      assertThat(r.getInteger("connected")).isEqualTo(8);
      assertThat(r.getJsonObject("latencyMicros").getLong("p50")).isPositive();

      // an echo server measured as if it reversed: every reply is a mismatch, and the exit says so
      Process wrong = tool("bench", "--port", Integer.toString(echo), "--connections", "2", "--duration", "1", "--json", json.toString());
      wrong.getInputStream().readAllBytes();
      assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(wrong.exitValue()).isEqualTo(3);
      assertThat(new JsonObject(Files.readString(json)).getLong("mismatches")).isPositive();
    }
  }
}
