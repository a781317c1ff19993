package dev.backspin.it;

import dev.backspin.config.TransportKind;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fat jar as an operator runs it: both launcher forms, and a bad config. About the command
 * line, so not a class run per transport; one test checks that the launcher builds Vert.x on the
 * transport the config names, for each transport. A start that fails exits non-zero in every
 * launch form and says why once; a stop after a good start exits 0.
 */
class LauncherIT {

  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private Path config(String json) throws Exception {
    Path p = dir.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void jarServesReverseOnEpoll() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      int port = p.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("hello\n");
        assertThat(s.readLine()).isEqualTo("olleh\n");
      }
      assertThat(p.output()).contains("transport in use: epoll");
    }
  }

  @ParameterizedTest(name = "[{argumentSetName}]")
  @MethodSource("dev.backspin.support.EachTransport#transports")
  void jarServesReverseOnTheTransportItsConfigNames(TransportKind transport) throws Exception {
    Path conf = config("{\"transport\": \"" + transport.id() + "\", \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      int port = p.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("hello\n");
        assertThat(s.readLine()).isEqualTo("olleh\n");
      }
      assertThat(p.output()).contains("transport in use: " + transport.id());
    }
  }

  @Test
  void httpSectionServesMetricsOfVertxAndBackspinAndReadiness() throws Exception {
    Path conf = config("{\"http\": {\"host\": \"127.0.0.1\", \"port\": 0}, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      // the endpoint starts first, so that /ready can say "starting"
      int http = Integer.parseInt(p.awaitLine(java.util.regex.Pattern.compile("operations endpoint on http://127.0.0.1:(\\d+)/"), START).group(1));
      int port = p.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("hello\n");
        assertThat(s.readLine()).isEqualTo("olleh\n");
      }
      Scrape scrape = new Scrape(http);
      assertThat(scrape.get("/ready").statusCode()).isEqualTo(200);
      String m = scrape.metrics();
      assertThat(Scrape.value(m, "backspin_frames_in_total{service=\"reverse\"}")).isEqualTo(1);
      // the launcher built Vert.x with Micrometer: the event bus's own meters are there
      assertThat(Scrape.value(m, "vertx_eventbus_processed_total{address=\"backspin.reverse.worker.0\",side=\"local\"}")).isEqualTo(1);
      assertThat(p.output()).doesNotContain("has been already registered");
    }
  }

  @Test
  void instancesFlagMeansFrontInstancesNotCopiesOfTheServer() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"workers\": 2}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString(), "-instances", "3"))) {
      int port = p.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("three\n");
        assertThat(s.readLine()).isEqualTo("eerht\n");
      }
      assertThat(p.output()).contains("3 front instance(s), 2 worker(s)").containsOnlyOnce("reverse: listening");
    }
  }

  @Test
  void legacyVertxRunFormServesToo() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-cp", JarProcess.JAR.toString(), "io.vertx.core.Launcher", "run",
      "dev.backspin.BackspinVerticle", "-conf", conf.toString(), "-options", "conf/vertx-options.json"))) {
      int port = p.awaitReversePort(START);
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("legacy\n");
        assertThat(s.readLine()).isEqualTo("ycagel\n");
      }
      assertThat(p.output()).contains("transport in use: epoll");
    }
  }

  @Test
  void badConfigExitsNonZeroNamingTheKey() throws Exception {
    Path conf = config("{\"reverse\": {\"port\": 70000}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      int code = p.awaitExit(START);
      assertThat(code).isNotZero();
      assertThat(p.output()).contains("reverse.port must be 0..65535, got 70000");
    }
  }

  @Test
  void logsAreJsonLinesWhenAskedFor() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()), Map.of("BACKSPIN_LOG", "JSON"))) {
      String line = p.awaitLine(java.util.regex.Pattern.compile("^\\{.*transport in use: epoll.*$"), START).group();
      io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(line);
      assertThat(json.getString("level")).isEqualTo("INFO");
      assertThat(json.getString("loggerName")).isEqualTo("dev.backspin.BackspinVerticle");
      assertThat(json.getString("formattedMessage")).isEqualTo("transport in use: epoll");
      assertThat(p.output()).doesNotContain("|-INFO in ch.qos.logback");
    }
  }

  @Test
  void unknownKeyIsWarnedAbout() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"maxFrameByte\": 10}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString()))) {
      p.awaitReversePort(START);
      assertThat(p.output()).contains("WARN").contains("unknown config key 'reverse.maxFrameByte'");
    }
  }

  /*
   * Was a bug (fixed), Backspin.java beforeDeployingVerticle: -instances gave the verticle the typed
   * config's JSON, which has no unknown keys, so the verticle had none to warn about.
   */
  @Test
  void unknownKeyIsWarnedAboutWithInstancesToo() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"maxFrameByte\": 10}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString(), "-instances", "2"))) {
      p.awaitReversePort(START);
      assertThat(p.output()).contains("2 front instance(s)")
        .contains("WARN").containsOnlyOnce("unknown config key 'reverse.maxFrameByte'");
    }
  }

  @Test
  void tooManyInstancesExitsNonZeroSayingWhy() throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString(), "-instances", "1025"))) {
      int code = p.awaitExit(Duration.ofSeconds(60));
      String out = p.output();
      assertThat(code).as("exit status; output:%n%s", out).isNotZero();
      assertThat(out).containsOnlyOnce("invalid -instances: reverse.instances").doesNotContain("reverse: listening");
    }
  }

  /** --help and -h print Backspin's usage on stdout, nothing on stderr, and start no server. */
  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpDescribesTheServerAndItsCommands(String flag) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JarProcess.JAR.toString(), flag).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(new String(err, StandardCharsets.UTF_8)).isEmpty();
    String help = new String(out, StandardCharsets.UTF_8);
    List<String> lines = help.lines().toList();
    assertThat(lines.get(0)).isEqualTo("Usage: java -jar backspin.jar -conf FILE|JSON [-cluster] [-instances N] [OPTIONS]");
    assertThat(lines).contains(
      "       java -jar backspin.jar COMMAND [COMMAND OPTIONS]",
      "  client   Send lines from stdin to a Backspin service and print what comes back.",
      "  bench    Load a Backspin service and check every reply.",
      "  flood    Flood a reverse service with clients that send and do not read; check every reply and a bystander's latency.",
      "  fanout   Measure a broadcast service's fan-out: lines/s delivered and send-to-delivery latency per receive address, every line checked.");
    assertThat(lines).anyMatch(l -> l.startsWith("  -conf FILE|JSON "))
      .anyMatch(l -> l.startsWith("  -cluster "))
      .anyMatch(l -> l.startsWith("  -instances N "))
      .anyMatch(l -> l.startsWith("  -Dbackspin.KEY=VALUE "))
      .anyMatch(l -> l.startsWith("  BACKSPIN_KEY=VALUE "));
    assertThat(help).endsWith("Run 'java -jar backspin.jar COMMAND --help' for a command's options.\n")
      .doesNotContain("<mainVerticle>").doesNotContain("VertxApplication");
  }

  /** A command's own help is still its own. */
  @Test
  void aCommandsHelpIsItsOwn() throws Exception {
    try (JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "bench", "--help"))) {
      assertThat(p.awaitExit(START)).isZero();
      assertThat(p.output()).startsWith("Usage: bench ").contains("--connections=<connections>");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * How a container sets a port without a file: a variable over {@code -conf}, and a property over
   * both, in both launch forms (the legacy one has no afterConfigParsed hook: its run command
   * applies them).
   */
  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"JAR", "LEGACY"})
  void environmentAndPropertyOverridesBeatTheFile(Form form) throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": " + freePort() + "}}");
    int fromEnv = freePort();
    try (JarProcess p = JarProcess.start(form.command(conf), Map.of("BACKSPIN_REVERSE_PORT", Integer.toString(fromEnv), "BACKSPIN_REVERSE_UNIT", "codepoint"))) {
      assertThat(p.awaitReversePort(START)).isEqualTo(fromEnv);
      try (LineSocket s = new LineSocket(fromEnv, 10_000)) {
        s.send("café\n");
        assertThat(s.readLine()).isEqualTo("éfac\n"); // the unit came from the environment too
      }
      assertThat(p.output()).contains("config override: BACKSPIN_REVERSE_PORT sets reverse.port");
    }
    int fromProperty = freePort();
    List<String> cmd = new ArrayList<>(List.of("-Dbackspin.reverse.port=" + fromProperty));
    cmd.addAll(form.command(conf));
    try (JarProcess p = JarProcess.start(cmd, Map.of("BACKSPIN_REVERSE_PORT", Integer.toString(fromEnv), "BACKSPIN_REVERSE_PROT", "1"))) {
      assertThat(p.awaitReversePort(START)).isEqualTo(fromProperty);
      try (LineSocket s = new LineSocket(fromProperty, 10_000)) {
        s.send("prop\n");
        assertThat(s.readLine()).isEqualTo("porp\n");
      }
      assertThat(p.output()).contains("WARN").contains("environment variable BACKSPIN_REVERSE_PROT is ignored: it names no config key");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"JAR", "LEGACY"})
  void aBadOverrideExitsNonZeroNamingTheVariable(Form form) throws Exception {
    Path conf = config("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(form.command(conf), Map.of("BACKSPIN_REVERSE_PORT", "70000"))) {
      int code = p.awaitExit(START);
      String out = p.output();
      assertThat(code).as("exit status; output:%n%s", out).isNotZero();
      assertThat(out).containsOnlyOnce("BACKSPIN_REVERSE_PORT (reverse.port) must be 0..65535, got 70000").doesNotContain("reverse: listening");
    }
  }

  /** How the jar is launched: its own launcher, the legacy {@code vertx run} form, or clustered. */
  enum Form {
    JAR, LEGACY, CLUSTER;

    List<String> command(Path conf) {
      return switch (this) {
        case JAR -> List.of("-jar", JarProcess.JAR.toString(), "-conf", conf.toString());
        case CLUSTER -> List.of("-jar", JarProcess.JAR.toString(), "-cluster", "-conf", conf.toString());
        case LEGACY -> List.of("-cp", JarProcess.JAR.toString(), "io.vertx.core.Launcher", "run",
          "dev.backspin.BackspinVerticle", "-conf", conf.toString(), "-options", "conf/vertx-options.json");
      };
    }

    /** The top-level config keys this form needs: a cluster of its own, so that no other test run joins it. */
    String prefix() {
      return this == CLUSTER ? "\"cluster\": {\"name\": \"backspin-launcher-" + UUID.randomUUID() + "\"}, " : "";
    }
  }

  /** A start that cannot succeed, and the words of its reason. */
  enum Failure {
    SERVICE_PORT_TAKEN("Address already in use"),
    HTTP_PORT_TAKEN("Address already in use"),
    WORKERS_ZERO_WITHOUT_CLUSTER("reverse.workers is 0 on a node that is not clustered"),
    TLS_FILE_NOT_PEM("Missing -----BEGIN PRIVATE KEY-----"),
    TLS_FILE_MISSING("reverse.tls.certPath must be a readable PEM file");

    final String reason;

    Failure(String reason) {
      this.reason = reason;
    }

    String services(int takenPort, Path dir) throws Exception {
      return switch (this) {
        case SERVICE_PORT_TAKEN -> "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": " + takenPort + "}";
        case HTTP_PORT_TAKEN -> "\"http\": {\"host\": \"127.0.0.1\", \"port\": " + takenPort + "}, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}";
        case WORKERS_ZERO_WITHOUT_CLUSTER -> "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"workers\": 0}";
        case TLS_FILE_NOT_PEM -> {
          Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
          yield "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"tls\": {\"certPath\": \"" + garbage + "\", \"keyPath\": \"" + garbage + "\"}}";
        }
        case TLS_FILE_MISSING -> "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"tls\": {\"certPath\": \""
          + dir.resolve("missing-cert.pem") + "\", \"keyPath\": \"" + dir.resolve("missing-key.pem") + "\"}}";
      };
    }
  }

  static Stream<Arguments> failedStarts() {
    List<Arguments> cases = new ArrayList<>();
    for (Failure f : Failure.values()) {
      cases.add(Arguments.argumentSet("java -jar, " + f, Form.JAR, f));
      cases.add(Arguments.argumentSet("legacy run, " + f, Form.LEGACY, f));
    }
    // a cluster may run a reverse service without workers: not a failure there
    cases.add(Arguments.argumentSet("-cluster, " + Failure.SERVICE_PORT_TAKEN, Form.CLUSTER, Failure.SERVICE_PORT_TAKEN));
    cases.add(Arguments.argumentSet("-cluster, " + Failure.TLS_FILE_NOT_PEM, Form.CLUSTER, Failure.TLS_FILE_NOT_PEM));
    return cases.stream();
  }

  /** systemd and Kubernetes take exit 0 for success: a start that failed must not end with it, nor say why twice. */
  @ParameterizedTest(name = "[{argumentSetName}]")
  @MethodSource("failedStarts")
  void failedStartExitsNonZeroAndLogsTheReasonOnce(Form form, Failure failure) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path conf = config("{" + form.prefix() + failure.services(taken.getLocalPort(), dir) + "}");
      try (JarProcess p = JarProcess.start(form.command(conf))) {
        int code = p.awaitExit(Duration.ofSeconds(90));
        String out = p.output();
        // each check reported on its own: a wrong exit status does not hide a reason logged twice
        SoftAssertions.assertSoftly(soft -> {
          soft.assertThat(code).as("exit status; output:%n%s", out).isNotZero();
          soft.assertThat(out).as("the reason, logged once").containsOnlyOnce(failure.reason);
          soft.assertThat(out).as("nothing listens").doesNotContain("reverse: listening");
          soft.assertThat(out).as("no logback status on the console").doesNotContain("|-WARN in ch.qos.logback");
        });
      }
    }
  }

  /** A stop after a good start (nothing open, so the drain is done at once) still exits 0, in every form. */
  @ParameterizedTest
  @EnumSource(Form.class)
  void sigtermAfterAGoodStartExitsZero(Form form) throws Exception {
    Path conf = config("{" + form.prefix() + "\"drainSeconds\": 5, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    try (JarProcess p = JarProcess.start(form.command(conf))) {
      int port = p.awaitReversePort(Duration.ofSeconds(60));
      try (LineSocket s = new LineSocket(port, 10_000)) {
        s.send("up\n");
        assertThat(s.readLine()).isEqualTo("pu\n");
      }
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
      assertThat(kill.waitFor()).isZero();
      int code = p.awaitExit(Duration.ofSeconds(60));
      assertThat(code).as("exit status; output:%n%s", p.output()).isZero();
      assertThat(p.output()).contains("drained in");
    }
  }
}
