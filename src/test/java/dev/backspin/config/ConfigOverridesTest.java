package dev.backspin.config;

import dev.backspin.framing.Framing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The override mapping, with the environment and the properties given as maps (never the JVM's own). */
class ConfigOverridesTest {

  private static final JsonObject FILE = new JsonObject("{\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 9090}}");

  private static ConfigOverrides.Result apply(Map<String, String> env, Map<String, String> props) {
    return ConfigOverrides.apply(FILE, env, props);
  }

  private static String propertyOf(String key) {
    return "backspin." + key;
  }

  private static String variableOf(String key) {
    return "BACKSPIN_" + ConfigOverrides.upperSnake(key).replace('.', '_');
  }

  @Test
  void everyKeyOfEverySectionIsReachableByBothNames() {
    List<String> all = ConfigOverrides.allKeys();
    // learnt from the parsers: each service's keys (and its tls section's), http's, cluster's, the top level's
    assertThat(all).contains("transport", "drainSeconds", "maxBufferedBytes", "cluster.name", "http.host", "http.port",
      "reverse.maxFrameBytes", "reverse.writeBack", "reverse.tls.certPath", "reverse.tls.clientCaPath",
      "echo.port", "echo.tls.keyPath", "broadcast.maxQueuedBytes");
    assertThat(all).doesNotContain("echo.unit", "reverse", "reverse.tls");
    for (ServiceKind kind : ServiceKind.values()) {
      for (String key : ServiceConfig.keys(kind)) {
        if (!key.equals("tls")) {
          assertThat(all).contains(kind.id() + "." + key);
        }
      }
    }
    for (String key : all) {
      List<String> warnings = new ArrayList<>();
      assertThat(ConfigOverrides.keys(Map.of(variableOf(key), "1"), Map.of(), warnings)).containsExactly(Map.entry(key, variableOf(key)));
      assertThat(ConfigOverrides.keys(Map.of(), Map.of(propertyOf(key), "1"), warnings)).containsExactly(Map.entry(key, propertyOf(key)));
      assertThat(warnings).as(key).isEmpty();
    }
  }

  @Test
  void camelCaseKeysBecomeUpperSnakeInVariables() {
    List<String> warnings = new ArrayList<>();
    assertThat(ConfigOverrides.keys(Map.of(
      "BACKSPIN_REVERSE_MAX_FRAME_BYTES", "1024",
      "BACKSPIN_REVERSE_TLS_CLIENT_CA_PATH", "/ca.pem",
      "BACKSPIN_MAX_BUFFERED_BYTES", "1048576",
      "BACKSPIN_CLUSTER_NAME", "x"), Map.of("backspin.reverse.maxFrameBytes", "2048"), warnings))
      .containsOnly(Map.entry("reverse.maxFrameBytes", "backspin.reverse.maxFrameBytes"),
        Map.entry("reverse.tls.clientCaPath", "BACKSPIN_REVERSE_TLS_CLIENT_CA_PATH"),
        Map.entry("maxBufferedBytes", "BACKSPIN_MAX_BUFFERED_BYTES"),
        Map.entry("cluster.name", "BACKSPIN_CLUSTER_NAME"));
    assertThat(warnings).isEmpty();
  }

  @Test
  void valuesAreTypedByTheirKeys() {
    BackspinConfig c = apply(Map.of(
      "BACKSPIN_REVERSE_PORT", "9000",
      "BACKSPIN_REVERSE_FRAMING", "length",
      "BACKSPIN_REVERSE_HOST", "10.0.0.1",
      "BACKSPIN_TRANSPORT", "nio",
      "BACKSPIN_MAX_BUFFERED_BYTES", "1073741824",
      "BACKSPIN_CLUSTER_NAME", "2026"), Map.of()).config();
    ServiceConfig r = c.services().get(ServiceKind.REVERSE);
    assertThat(r.port()).isEqualTo(9000);
    assertThat(r.framing()).isEqualTo(Framing.LENGTH);
    assertThat(r.host()).isEqualTo("10.0.0.1");
    assertThat(c.transport()).isEqualTo(TransportKind.NIO);
    assertThat(c.maxBufferedBytes()).isEqualTo(1L << 30);
    assertThat(c.cluster().name()).isEqualTo("2026"); // a number to a string key is that text
  }

  @Test
  void aPropertyWinsOverAVariableAndBothOverTheFile() {
    assertThat(port(apply(Map.of(), Map.of()))).isEqualTo(9090);
    assertThat(port(apply(Map.of("BACKSPIN_REVERSE_PORT", "9001"), Map.of()))).isEqualTo(9001);
    ConfigOverrides.Result both = apply(Map.of("BACKSPIN_REVERSE_PORT", "9001"), Map.of("backspin.reverse.port", "9002"));
    assertThat(port(both)).isEqualTo(9002);
    assertThat(both.applied()).containsExactly("backspin.reverse.port sets reverse.port");
    assertThat(both.json().getJsonObject("reverse").getInteger("port")).isEqualTo(9002);
    assertThat(both.json().getJsonObject("reverse").getString("host")).isEqualTo("127.0.0.1"); // the file's other keys stay
    assertThat(FILE.getJsonObject("reverse").getInteger("port")).isEqualTo(9090); // the file's JSON is not changed
  }

  private static int port(ConfigOverrides.Result r) {
    return r.config().services().get(ServiceKind.REVERSE).port();
  }

  @Test
  void aKeyOfAnAbsentSectionCreatesIt() {
    ConfigOverrides.Result r = apply(Map.of("BACKSPIN_ECHO_PORT", "9191", "BACKSPIN_HTTP_PORT", "0"), Map.of());
    assertThat(r.config().services().get(ServiceKind.ECHO).port()).isEqualTo(9191);
    assertThat(r.config().http().port()).isZero();
    assertThat(r.config().services()).doesNotContainKey(ServiceKind.BROADCAST);
    // without a file at all
    assertThat(ConfigOverrides.apply(null, Map.of(), Map.of("backspin.broadcast.port", "0")).config().services()).containsKey(ServiceKind.BROADCAST);
  }

  @Test
  void aBadValueNamesTheVariableAndTheKey() {
    assertThatThrownBy(() -> apply(Map.of("BACKSPIN_REVERSE_PORT", "70000"), Map.of())).isInstanceOf(ConfigException.class)
      .hasMessage("BACKSPIN_REVERSE_PORT (reverse.port) must be 0..65535, got 70000");
    assertThatThrownBy(() -> apply(Map.of(), Map.of("backspin.reverse.port", "abc"))).isInstanceOf(ConfigException.class)
      .hasMessage("backspin.reverse.port (reverse.port) must be an integer 0..65535, got \"abc\"");
    assertThatThrownBy(() -> apply(Map.of("BACKSPIN_REVERSE_MAX_FRAME_BYTES", "1.5"), Map.of())).isInstanceOf(ConfigException.class)
      .hasMessage("BACKSPIN_REVERSE_MAX_FRAME_BYTES (reverse.maxFrameBytes) must be an integer 16..67108864, got 1.5");
    assertThatThrownBy(() -> apply(Map.of("BACKSPIN_TRANSPORT", "epol"), Map.of())).isInstanceOf(ConfigException.class)
      .hasMessage("BACKSPIN_TRANSPORT (transport) must be one of \"epoll\", \"io_uring\", \"nio\", \"auto\", got \"epol\"");
    assertThatThrownBy(() -> apply(Map.of("BACKSPIN_HTTP_HOST", ""), Map.of())).isInstanceOf(ConfigException.class)
      .hasMessage("BACKSPIN_HTTP_HOST (http.host) must be a non-empty string, got \"\"");
    assertThatThrownBy(() -> apply(Map.of("BACKSPIN_ECHO_TLS_CERT_PATH", "/nonexistent/cert.pem", "BACKSPIN_ECHO_TLS_KEY_PATH", "/k.pem"), Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessage("BACKSPIN_ECHO_TLS_CERT_PATH (echo.tls.certPath) must be a readable PEM file, got \"/nonexistent/cert.pem\"");
  }

  @Test
  void theFilesOwnErrorIsNotBlamedOnAVariable() {
    JsonObject bad = new JsonObject("{\"reverse\": {\"port\": 70000}}");
    assertThatThrownBy(() -> ConfigOverrides.apply(bad, Map.of("BACKSPIN_ECHO_PORT", "9191"), Map.of()))
      .isInstanceOf(ConfigException.class).hasMessage("reverse.port must be 0..65535, got 70000");
    // and a variable mends it
    assertThat(port(ConfigOverrides.apply(bad, Map.of("BACKSPIN_REVERSE_PORT", "1"), Map.of()))).isEqualTo(1);
  }

  @Test
  void namesThatMatchNoKeyAreWarnedAboutAndIgnored() {
    ConfigOverrides.Result r = apply(Map.of(
      "BACKSPIN_REVERSE_MAX_FRAME_BYTE", "1",
      "BACKSPIN_ECHO_UNIT", "codepoint", // reverse's only
      "BACKSPIN_REVERSE", "x",
      "BACKSPIN_LOG", "JSON", // logback's
      "PATH", "/bin"), Map.of(
      "backspin.reverse.maxframebytes", "1",
      "backspin.log", "JSON",
      "java.home", "/jdk"));
    assertThat(r.warnings()).containsExactlyInAnyOrder(
      "environment variable BACKSPIN_REVERSE_MAX_FRAME_BYTE is ignored: it names no config key (see the README's Config section)",
      "environment variable BACKSPIN_ECHO_UNIT is ignored: it names no config key (see the README's Config section)",
      "BACKSPIN_REVERSE is ignored: reverse is a section; set its keys, e.g. BACKSPIN_REVERSE_HOST",
      "system property backspin.reverse.maxframebytes is ignored: it names no config key (see the README's Config section)");
    assertThat(r.applied()).isEmpty();
    assertThat(r.json()).isEqualTo(FILE);
    assertThat(r.config().services()).doesNotContainKey(ServiceKind.ECHO);
  }

  @Test
  void rawValuesReadAsNumbersBooleansListsOrText() {
    assertThat(ConfigOverrides.typed("9090")).isEqualTo(9090L);
    assertThat(ConfigOverrides.typed("-1")).isEqualTo(-1L);
    assertThat(ConfigOverrides.typed("1.5")).isEqualTo(new java.math.BigDecimal("1.5"));
    assertThat(ConfigOverrides.typed("18446744073709560706")).isEqualTo(new java.math.BigDecimal("18446744073709560706"));
    assertThat(ConfigOverrides.typed("true")).isEqualTo(true);
    assertThat(ConfigOverrides.typed("[\"a\", 1]")).isEqualTo(new io.vertx.core.json.JsonArray().add("a").add(1));
    assertThat(ConfigOverrides.typed("[oops")).isEqualTo("[oops");
    assertThat(ConfigOverrides.typed("007")).isEqualTo("007"); // no JSON number: text
    assertThat(ConfigOverrides.typed("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void upperSnakeSplitsCamelCase() {
    assertThat(ConfigOverrides.upperSnake("maxFrameBytes")).isEqualTo("MAX_FRAME_BYTES");
    assertThat(ConfigOverrides.upperSnake("clientCaPath")).isEqualTo("CLIENT_CA_PATH");
    assertThat(ConfigOverrides.upperSnake("port")).isEqualTo("PORT");
  }
}
