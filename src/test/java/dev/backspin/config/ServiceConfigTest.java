package dev.backspin.config;

import dev.backspin.framing.Framing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceConfigTest {

  private static ServiceConfig parse(ServiceKind kind, String json) {
    return ServiceConfig.fromJson(kind, new JsonObject(json));
  }

  @ParameterizedTest
  @CsvSource({
    "REVERSE,   port,               0,   65535",
    "REVERSE,   instances,          0,   1024",
    "REVERSE,   workers,            0,   1024",
    "REVERSE,   maxFrameBytes,      16,  67108864",
    "REVERSE,   ringCapacity,       1,   1048576",
    "REVERSE,   maxInFlightBytes,   1,   1073741824",
    "REVERSE,   maxConnections,     1,   10000000",
    "REVERSE,   idleTimeoutSeconds, 0,   31536000",
    "BROADCAST, closingStallMillis, 100, 600000",
    "REVERSE,   acceptBacklog,      1,   1048576",
    "REVERSE,   remoteTimeoutMillis, 100, 600000",
    "ECHO,      answerTimeoutSeconds, 1, 86400",
    "ECHO,      port,               0,   65535",
    "ECHO,      maxFrameBytes,      16,  67108864",
    "BROADCAST, maxQueuedBytes,     1,   1073741824",
  })
  void everyLimitTakesItsEdgesAndRejectsOnePast(ServiceKind kind, String key, int min, int max) {
    assertThat(parse(kind, "{\"" + key + "\": " + min + "}").toJson().getInteger(key)).isEqualTo(min);
    assertThat(parse(kind, "{\"" + key + "\": " + max + "}").toJson().getInteger(key)).isEqualTo(max);
    String range = " must be " + min + ".." + max + ", got ";
    assertThatThrownBy(() -> parse(kind, "{\"" + key + "\": " + (min - 1L) + "}"))
      .isInstanceOf(ConfigException.class).hasMessage(kind.id() + "." + key + range + (min - 1L));
    assertThatThrownBy(() -> parse(kind, "{\"" + key + "\": " + (max + 1L) + "}"))
      .isInstanceOf(ConfigException.class).hasMessage(kind.id() + "." + key + range + (max + 1L));
    assertThatThrownBy(() -> parse(kind, "{\"" + key + "\": \"7\"}"))
      .isInstanceOf(ConfigException.class).hasMessage(kind.id() + "." + key + " must be an integer " + min + ".." + max + ", got \"7\"");
  }

  @ParameterizedTest
  @EnumSource(ServiceKind.class)
  void defaultsPerService(ServiceKind kind) {
    ServiceConfig c = parse(kind, "{}");
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.port()).isEqualTo(kind.defaultPort());
    assertThat(c.instances()).isEqualTo(threads);
    assertThat(c.workers()).isEqualTo(kind == ServiceKind.REVERSE ? threads : 0);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.framing()).isEqualTo(Framing.LINE);
    assertThat(c.maxFrameBytes()).isEqualTo(65536);
    assertThat(c.maxInFlightBytes()).isEqualTo(1048576);
    assertThat(c.maxConnections()).isEqualTo(10_000);
    assertThat(c.idleTimeoutSeconds()).isZero();
    assertThat(c.closingStallMillis()).isEqualTo(5000);
    assertThat(c.acceptBacklog()).isEqualTo(4096);
    assertThat(c.maxQueuedBytes()).isEqualTo(1048576);
    assertThat(c.remoteTimeoutMillis()).isEqualTo(5000);
    assertThat(c.answerTimeoutSeconds()).isEqualTo(30);
  }

  @Test
  void anAnswerTimeoutBelowTheRemoteTriesIsWarnedAbout() {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    ServiceConfig.fromJson(ServiceKind.REVERSE, new io.vertx.core.json.JsonObject().put("workers", 0)
      .put("remoteTimeoutMillis", 20_000).put("answerTimeoutSeconds", 30), warnings::add);
    assertThat(warnings).singleElement().asString().contains("reverse.answerTimeoutSeconds (30 s) is not above 3 tries of remoteTimeoutMillis (20000 ms)");
    warnings.clear();
    ServiceConfig.fromJson(ServiceKind.REVERSE, new io.vertx.core.json.JsonObject().put("workers", 0), warnings::add);
    assertThat(warnings).isEmpty();
  }

  @Test
  void defaultPorts() {
    assertThat(ServiceKind.REVERSE.defaultPort()).isEqualTo(9090);
    assertThat(ServiceKind.ECHO.defaultPort()).isEqualTo(9091);
    assertThat(ServiceKind.BROADCAST.defaultPort()).isEqualTo(9092);
  }

  @ParameterizedTest
  @CsvSource({"line, LINE", "raw, RAW", "length, LENGTH"})
  void everyFraming(String value, Framing framing) {
    ServiceConfig c = parse(ServiceKind.ECHO, "{\"framing\": \"" + value + "\"}");
    assertThat(c.framing()).isEqualTo(framing);
    assertThat(c.toJson().getString("framing")).isEqualTo(value);
  }

  @Test
  void everyUnit() {
    assertThat(parse(ServiceKind.REVERSE, "{\"unit\": \"byte\"}").unit()).isEqualTo(ReverseUnit.BYTE);
    assertThat(parse(ServiceKind.REVERSE, "{\"unit\": \"codepoint\"}").unit()).isEqualTo(ReverseUnit.CODEPOINT);
    assertThatThrownBy(() -> parse(ServiceKind.REVERSE, "{\"unit\": \"CODEPOINT\"}")).isInstanceOf(ConfigException.class)
      .hasMessage("reverse.unit must be one of \"byte\", \"codepoint\", got \"CODEPOINT\"");
  }

  @Test
  void toJsonHoldsOnlyTheKeysOfItsKind() {
    List<String> common = List.of("host", "port", "instances", "framing", "maxFrameBytes", "maxInFlightBytes",
      "maxConnections", "idleTimeoutSeconds", "closingStallMillis", "acceptBacklog", "answerTimeoutSeconds");
    assertThat(parse(ServiceKind.ECHO, "{}").toJson().fieldNames()).containsExactlyInAnyOrderElementsOf(common);
    List<String> broadcast = new ArrayList<>(common);
    broadcast.add("maxQueuedBytes");
    assertThat(parse(ServiceKind.BROADCAST, "{}").toJson().fieldNames()).containsExactlyInAnyOrderElementsOf(broadcast);
    List<String> reverse = new ArrayList<>(common);
    reverse.addAll(List.of("unit", "workers", "ringCapacity", "remoteTimeoutMillis", "writeBack"));
    assertThat(parse(ServiceKind.REVERSE, "{}").toJson().fieldNames()).containsExactlyInAnyOrderElementsOf(reverse);
  }

  @ParameterizedTest
  @EnumSource(ServiceKind.class)
  void toJsonRoundTripsWithoutWarnings(ServiceKind kind) {
    ServiceConfig c = parse(kind, "{\"host\": \"::1\", \"port\": 1234, \"instances\": 2, \"framing\": \"length\", \"maxFrameBytes\": 100}");
    List<String> warnings = new ArrayList<>();
    ServiceConfig back = ServiceConfig.fromJson(kind, c.toJson(), warnings::add);
    assertThat(warnings).isEmpty();
    assertThat(back.toJson()).isEqualTo(c.toJson());
    assertThat(back.host()).isEqualTo("::1");
    assertThat(back.port()).isEqualTo(1234);
    assertThat(back.framing()).isEqualTo(Framing.LENGTH);
  }

  @Test
  void unknownKeysGoToTheWarningsWithTheSectionName() {
    List<String> warnings = new ArrayList<>();
    ServiceConfig c = ServiceConfig.fromJson(ServiceKind.ECHO, new JsonObject("{\"prot\": 1, \"workers\": 4}"), warnings::add);
    String known = "(known keys: host, port, instances, framing, maxFrameBytes, maxInFlightBytes, maxConnections, idleTimeoutSeconds, closingStallMillis, acceptBacklog, answerTimeoutSeconds, tls)";
    assertThat(warnings).containsExactly(
      "unknown config key 'echo.prot' is ignored " + known,
      "unknown config key 'echo.workers' is ignored " + known);
    assertThat(c.port()).isEqualTo(9091);
    assertThat(c.workers()).isZero();
  }

  @Test
  void withInstancesChangesOnlyTheInstances() {
    ServiceConfig c = parse(ServiceKind.REVERSE, "{\"instances\": 1, \"workers\": 3, \"unit\": \"codepoint\", \"port\": 0}");
    ServiceConfig more = c.withInstances(5);
    assertThat(more.instances()).isEqualTo(5);
    assertThat(c.instances()).isEqualTo(1);
    assertThat(more.toJson().copy().put("instances", 1)).isEqualTo(c.toJson());
  }

  /*
   * Was a bug (fixed), ServiceConfig.java:68, 73, 78, 79: keys that are not this kind's are warned about
   * as "ignored", yet still parsed and validated, so an ignored key can stop start-up. Expected:
   * only the warning.
   */
  @ParameterizedTest
  
  @CsvSource(delimiter = '|', value = {
    "ECHO      | {\"unit\": \"xml\"}",
    "ECHO      | {\"ringCapacity\": 0}",
    "REVERSE   | {\"maxQueuedBytes\": 0}",
    "BROADCAST | {\"remoteTimeoutMillis\": 1}",
  })
  void regressionAKeyWarnedAsIgnoredIsStillValidated(ServiceKind kind, String json) {
    List<String> warnings = new ArrayList<>();
    ServiceConfig c = ServiceConfig.fromJson(kind, new JsonObject(json), warnings::add);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("is ignored");
    assertThat(c.port()).isEqualTo(kind.defaultPort());
  }

  /*
   * Was a bug (fixed), ServiceConfig.java:100-101: toJson() lower-cases framing and unit with the default
   * locale. In a Turkish locale "LINE" becomes "lıne" (dotless i), so withInstances (the
   * launcher's -instances) and the verticles' fromJson(toJson()) fail.
   */
  @Test
  
  void regressionToJsonDependsOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      ServiceConfig c = parse(ServiceKind.REVERSE, "{\"framing\": \"line\", \"unit\": \"codepoint\"}");
      assertThat(c.toJson().getString("framing")).isEqualTo("line");
      assertThat(c.toJson().getString("unit")).isEqualTo("codepoint");
      assertThat(c.withInstances(2).framing()).isEqualTo(Framing.LINE);
    } finally {
      Locale.setDefault(saved);
    }
  }
}
