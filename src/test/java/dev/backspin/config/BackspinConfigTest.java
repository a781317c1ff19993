package dev.backspin.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackspinConfigTest {

  private static BackspinConfig parse(String json) {
    return BackspinConfig.fromJson(new JsonObject(json));
  }

  private static void rejected(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    rejected("{\"reverse\": {\"port\": 70000}}", "reverse.port must be 0..65535, got 70000");
    rejected("{\"reverse\": {\"port\": \"abc\"}}", "reverse.port must be an integer 0..65535, got \"abc\"");
    rejected("{\"reverse\": {\"port\": 1.5}}", "reverse.port must be an integer 0..65535, got 1.5");
    rejected("{\"reverse\": {\"framing\": \"xml\"}}", "reverse.framing must be one of \"line\", \"raw\", \"length\", got \"xml\"");
    rejected("{\"reverse\": {\"unit\": \"word\"}}", "reverse.unit must be one of \"byte\", \"codepoint\", got \"word\"");
    rejected("{\"transport\": \"kqueue\"}", "transport must be one of \"epoll\", \"io_uring\", \"nio\", \"auto\", got \"kqueue\"");
    rejected("{\"reverse\": {\"maxFrameBytes\": 0}}", "reverse.maxFrameBytes must be 16..67108864, got 0");
    rejected("{\"reverse\": {\"ringCapacity\": 0}}", "reverse.ringCapacity must be 1..1048576, got 0");
    rejected("{\"reverse\": 3}", "reverse must be an object, got 3");
    rejected("{\"reverse\": {\"host\": \"\"}}", "reverse.host must be a non-empty string, got \"\"");
    rejected("{\"drainSeconds\": 1000}", "drainSeconds must be 0..100, got 1000");
    rejected("{\"echo\": {\"maxConnections\": -1}}", "echo.maxConnections must be 1..10000000, got -1");
    rejected("{\"reverse\": {\"tls\": {\"certPath\": \"/no/such.pem\", \"keyPath\": \"/no/key.pem\"}}}",
      "reverse.tls.certPath must be a readable PEM file, got \"/no/such.pem\"");
    rejected("{\"reverse\": {\"tls\": {}}}", "reverse.tls.certPath is required: a PEM file");
  }

  @Test
  void defaults() {
    BackspinConfig c = parse("{\"reverse\": {}}");
    ServiceConfig r = c.service(ServiceKind.REVERSE).orElseThrow();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(c.transport()).isEqualTo(TransportKind.EPOLL);
    assertThat(c.drainSeconds()).isEqualTo(30);
    assertThat(r.host()).isEqualTo("0.0.0.0");
    assertThat(r.port()).isEqualTo(9090);
    assertThat(r.framing()).isEqualTo(Framing.LINE);
    assertThat(r.unit()).isEqualTo(ReverseUnit.BYTE);
    assertThat(r.maxFrameBytes()).isEqualTo(65536);
    assertThat(r.ringCapacity()).isEqualTo(1024);
    assertThat(r.maxInFlightBytes()).isEqualTo(1 << 20);
    assertThat(r.maxConnections()).isEqualTo(10_000);
    assertThat(r.idleTimeoutSeconds()).isZero();
    assertThat(r.acceptBacklog()).isEqualTo(1024);
    assertThat(r.instances()).isEqualTo(threads);
    assertThat(r.workers()).isEqualTo(threads);
  }

  @Test
  void eachServiceHasItsPortAndOnlyReverseHasWorkers() {
    BackspinConfig c = parse("{\"echo\": {}, \"broadcast\": {}}");
    assertThat(c.service(ServiceKind.REVERSE)).isEmpty();
    assertThat(c.service(ServiceKind.ECHO).orElseThrow().port()).isEqualTo(9091);
    assertThat(c.service(ServiceKind.BROADCAST).orElseThrow().port()).isEqualTo(9092);
    assertThat(c.service(ServiceKind.ECHO).orElseThrow().workers()).isZero();
    assertThat(c.service(ServiceKind.BROADCAST).orElseThrow().maxQueuedBytes()).isEqualTo(1 << 20);
  }

  @Test
  void unknownKeysAreWarnedAboutByName() {
    BackspinConfig c = parse("{\"transprot\": \"nio\", \"reverse\": {\"maxFrameByte\": 10}, \"echo\": {\"unit\": \"byte\"}}");
    assertThat(c.warnings()).hasSize(3);
    assertThat(c.warnings().get(0)).contains("'transprot'");
    assertThat(c.warnings()).anyMatch(w -> w.contains("'reverse.maxFrameByte'"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("'echo.unit'")); // unit is reverse's only
  }

  @Test
  void toJsonRoundTrips() {
    BackspinConfig c = parse("{\"transport\": \"nio\", \"drainSeconds\": 5, \"reverse\": {\"port\": 0, \"framing\": \"length\", \"unit\": \"codepoint\"}, \"broadcast\": {\"maxQueuedBytes\": 99}}");
    BackspinConfig back = BackspinConfig.fromJson(c.toJson());
    assertThat(back.toJson()).isEqualTo(c.toJson());
    assertThat(back.warnings()).isEmpty();
    assertThat(back.service(ServiceKind.REVERSE).orElseThrow().unit()).isEqualTo(ReverseUnit.CODEPOINT);
  }

  @Test
  void frontInstancesCanBeOverridden() {
    BackspinConfig c = parse("{\"reverse\": {\"instances\": 1}, \"echo\": {}}").withFrontInstances(3);
    assertThat(c.service(ServiceKind.REVERSE).orElseThrow().instances()).isEqualTo(3);
    assertThat(c.service(ServiceKind.ECHO).orElseThrow().instances()).isEqualTo(3);
  }
}
