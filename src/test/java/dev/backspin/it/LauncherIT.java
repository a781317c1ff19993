package dev.backspin.it;

import dev.backspin.config.TransportKind;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fat jar as an operator runs it: both launcher forms, and a bad config. About the command
 * line, so not a class run per transport; one test checks that the launcher builds Vert.x on the
 * transport the config names, for each transport.
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
}
