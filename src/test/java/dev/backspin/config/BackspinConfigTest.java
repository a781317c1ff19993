package dev.backspin.config;

import dev.backspin.framing.Framing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

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
  void outOfRangeValuesNameTheKeyAndTheRange() {
    rejected("{\"reverse\": {\"port\": 70000}}", "reverse.port must be 0..65535, got 70000");
    rejected("{\"reverse\": {\"port\": -1}}", "reverse.port must be 0..65535, got -1");
    rejected("{\"reverse\": {\"maxFrameBytes\": 0}}", "reverse.maxFrameBytes must be 16..67108864, got 0");
    rejected("{\"reverse\": {\"ringCapacity\": 0}}", "reverse.ringCapacity must be 1..1048576, got 0");
    rejected("{\"drainSeconds\": 101}", "drainSeconds must be 0..100, got 101");
    rejected("{\"drainSeconds\": -1}", "drainSeconds must be 0..100, got -1");
    rejected("{\"echo\": {\"maxConnections\": 0}}", "echo.maxConnections must be 1..10000000, got 0");
    rejected("{\"broadcast\": {\"maxQueuedBytes\": 1073741825}}", "broadcast.maxQueuedBytes must be 1..1073741824, got 1073741825");
  }

  @Test
  void wrongTypesNameTheKeyAndTheType() {
    rejected("{\"reverse\": {\"port\": \"abc\"}}", "reverse.port must be an integer 0..65535, got \"abc\"");
    rejected("{\"reverse\": {\"port\": 1.5}}", "reverse.port must be an integer 0..65535, got 1.5");
    rejected("{\"reverse\": {\"port\": true}}", "reverse.port must be an integer 0..65535, got true");
    rejected("{\"reverse\": {\"port\": [1]}}", "reverse.port must be an integer 0..65535, got [1]");
    rejected("{\"reverse\": 3}", "reverse must be an object, got 3");
    rejected("{\"cluster\": \"x\"}", "cluster must be an object, got \"x\"");
    rejected("{\"cluster\": {\"name\": 5}}", "cluster.name must be a non-empty string, got 5");
    rejected("{\"reverse\": {\"host\": \"\"}}", "reverse.host must be a non-empty string, got \"\"");
  }

  @Test
  void enumsListWhatIsAllowed() {
    rejected("{\"reverse\": {\"framing\": \"xml\"}}", "reverse.framing must be one of \"line\", \"raw\", \"length\", got \"xml\"");
    rejected("{\"reverse\": {\"unit\": \"word\"}}", "reverse.unit must be one of \"byte\", \"codepoint\", got \"word\"");
    rejected("{\"transport\": \"kqueue\"}", "transport must be one of \"epoll\", \"io_uring\", \"nio\", \"auto\", got \"kqueue\"");
    rejected("{\"transport\": 1}", "transport must be one of \"epoll\", \"io_uring\", \"nio\", \"auto\", got 1");
  }

  @ParameterizedTest
  @CsvSource({"epoll, EPOLL", "io_uring, IO_URING", "nio, NIO", "auto, AUTO"})
  void everyTransport(String value, TransportKind kind) {
    BackspinConfig c = parse("{\"transport\": \"" + value + "\"}");
    assertThat(c.transport()).isEqualTo(kind);
    assertThat(c.toJson().getString("transport")).isEqualTo(value);
    assertThat(BackspinConfig.fromJson(c.toJson()).transport()).isEqualTo(kind);
  }

  @Test
  void defaults() {
    BackspinConfig c = parse("{\"reverse\": {}}");
    ServiceConfig r = c.services().get(ServiceKind.REVERSE);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(c.transport()).isEqualTo(TransportKind.EPOLL);
    assertThat(c.drainSeconds()).isEqualTo(30);
    assertThat(c.cluster().name()).isEqualTo("backspin");
    assertThat(c.http()).as("no http section, no endpoint").isNull();
    assertThat(c.warnings()).isEmpty();
    assertThat(r.host()).isEqualTo("0.0.0.0");
    assertThat(r.port()).isEqualTo(9090);
    assertThat(r.framing()).isEqualTo(Framing.LINE);
    assertThat(r.unit()).isEqualTo(ReverseUnit.BYTE);
    assertThat(r.maxFrameBytes()).isEqualTo(65536);
    assertThat(r.ringCapacity()).isEqualTo(1024);
    assertThat(r.maxInFlightBytes()).isEqualTo(1048576);
    assertThat(r.maxConnections()).isEqualTo(10_000);
    assertThat(r.idleTimeoutSeconds()).isZero();
    assertThat(r.acceptBacklog()).isEqualTo(4096);
    assertThat(r.instances()).isEqualTo(threads);
    assertThat(r.workers()).isEqualTo(threads);
    assertThat(r.writeBack()).isEqualTo(WriteBack.SOCKET);
    assertThat(c.maxBufferedBytes()).as("absent: a share of the heap, decided where it runs").isNull();
    assertThat(c.toJson().containsKey("maxBufferedBytes")).isFalse();
  }

  @Test
  void theMemoryBudgetIsBoundedAndNamed() {
    assertThat(parse("{\"maxBufferedBytes\": 67108864}").maxBufferedBytes()).isEqualTo(64L << 20);
    assertThat(parse("{\"maxBufferedBytes\": 4398046511104}").maxBufferedBytes()).as("beyond an int").isEqualTo(4L << 40);
    rejected("{\"maxBufferedBytes\": 1000}", "maxBufferedBytes must be 1048576..1125899906842624, got 1000");
    rejected("{\"maxBufferedBytes\": \"64m\"}", "maxBufferedBytes must be an integer 1048576..1125899906842624, got \"64m\"");
    BackspinConfig c = parse("{\"maxBufferedBytes\": 2097152, \"reverse\": {}}");
    assertThat(BackspinConfig.fromJson(c.toJson()).maxBufferedBytes()).isEqualTo(2097152L);
    assertThat(c.withFrontInstances(3).maxBufferedBytes()).isEqualTo(2097152L);
  }

  @Test
  void writeBackIsSocketOrFront() {
    assertThat(parse("{\"reverse\": {\"writeBack\": \"front\"}}").services().get(ServiceKind.REVERSE).writeBack()).isEqualTo(WriteBack.FRONT);
    rejected("{\"reverse\": {\"writeBack\": \"sockets\"}}", "reverse.writeBack must be one of \"socket\", \"front\", got \"sockets\"");
    assertThat(parse("{\"echo\": {\"writeBack\": \"front\"}}").warnings()).anyMatch(w -> w.startsWith("unknown config key 'echo.writeBack'"));
  }

  @Test
  void theHttpSectionSetsTheOperationsEndpoint() {
    assertThat(parse("{\"http\": {}}").http()).isEqualTo(new HttpConfig("0.0.0.0", 8090));
    BackspinConfig c = parse("{\"http\": {\"host\": \"127.0.0.1\", \"port\": 0, \"path\": \"/x\"}}");
    assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1", 0));
    assertThat(c.warnings()).containsExactly("unknown config key 'http.path' is ignored (known keys: host, port)");
    assertThat(BackspinConfig.fromJson(c.toJson()).http()).isEqualTo(c.http());
    assertThat(parse("{}").toJson().containsKey("http")).isFalse();
    rejected("{\"http\": {\"port\": 65536}}", "http.port must be 0..65535, got 65536");
    rejected("{\"http\": {\"host\": 5}}", "http.host must be a non-empty string, got 5");
    assertThatThrownBy(() -> parse("{\"http\": 8090}")).isInstanceOf(ConfigException.class).hasMessageContaining("http");
  }

  @Test
  void anAbsentSectionMeansThatServiceIsNotRun() {
    assertThat(parse("{}").services().get(ServiceKind.REVERSE)).isNull();
    assertThat(parse("{}").services()).isEmpty();
    assertThat(BackspinConfig.fromJson(null).services()).isEmpty();
    assertThat(parse("{\"reverse\": null}").services().get(ServiceKind.REVERSE)).isNull();
    BackspinConfig c = parse("{\"echo\": {}, \"broadcast\": {}}");
    assertThat(c.services().get(ServiceKind.REVERSE)).isNull();
    assertThat(c.services()).containsOnlyKeys(ServiceKind.ECHO, ServiceKind.BROADCAST);
    assertThat(c.services().get(ServiceKind.ECHO).port()).isEqualTo(9091);
    assertThat(c.services().get(ServiceKind.BROADCAST).port()).isEqualTo(9092);
  }

  @Test
  void unknownKeysAreWarnedAboutByNameAndOtherwiseIgnored() {
    BackspinConfig c = parse("{\"transprot\": \"nio\", \"reverse\": {\"maxFrameByte\": 10, \"port\": 1}, "
      + "\"echo\": {\"unit\": \"byte\"}, \"cluster\": {\"nmae\": \"x\"}}");
    assertThat(c.warnings()).hasSize(4);
    assertThat(c.warnings().get(0)).isEqualTo("unknown config key 'transprot' is ignored "
      + "(known keys: transport, spinWaitMicros, workerSpinMicros, drainSeconds, maxBufferedBytes, cluster, http, reverse, echo, broadcast)");
    assertThat(c.warnings()).anyMatch(w -> w.startsWith("unknown config key 'reverse.maxFrameByte' is ignored"));
    assertThat(c.warnings()).anyMatch(w -> w.startsWith("unknown config key 'echo.unit' is ignored")); // unit is reverse's only
    assertThat(c.warnings()).anyMatch(w -> w.startsWith("unknown config key 'cluster.nmae' is ignored"));
    assertThat(c.transport()).isEqualTo(TransportKind.EPOLL);
    assertThat(c.services().get(ServiceKind.REVERSE).maxFrameBytes()).isEqualTo(65536);
    assertThat(c.services().get(ServiceKind.REVERSE).port()).isEqualTo(1);
  }

  @Test
  void toJsonRoundTrips() {
    BackspinConfig c = parse("{\"transport\": \"io_uring\", \"drainSeconds\": 5, \"cluster\": {\"name\": \"blue\"}, "
      + "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"instances\": 3, \"workers\": 0, \"framing\": \"length\", "
      + "\"unit\": \"codepoint\", \"maxFrameBytes\": 16, \"ringCapacity\": 7, \"maxInFlightBytes\": 99, \"maxConnections\": 5, "
      + "\"idleTimeoutSeconds\": 60, \"closingStallMillis\": 700, \"acceptBacklog\": 8, \"remoteTimeoutMillis\": 100, \"writeBack\": \"front\"}, "
      + "\"echo\": {\"framing\": \"raw\"}, \"broadcast\": {\"maxQueuedBytes\": 99}}");
    BackspinConfig back = BackspinConfig.fromJson(c.toJson());
    assertThat(back.toJson()).isEqualTo(c.toJson());
    assertThat(back.warnings()).isEmpty();
    assertThat(back.transport()).isEqualTo(TransportKind.IO_URING);
    assertThat(back.drainSeconds()).isEqualTo(5);
    assertThat(back.cluster().name()).isEqualTo("blue");
    ServiceConfig r = back.services().get(ServiceKind.REVERSE);
    assertThat(r.host()).isEqualTo("127.0.0.1");
    assertThat(r.port()).isZero();
    assertThat(r.instances()).isEqualTo(3);
    assertThat(r.workers()).isZero();
    assertThat(r.framing()).isEqualTo(Framing.LENGTH);
    assertThat(r.unit()).isEqualTo(ReverseUnit.CODEPOINT);
    assertThat(r.maxFrameBytes()).isEqualTo(16);
    assertThat(r.ringCapacity()).isEqualTo(7);
    assertThat(r.maxInFlightBytes()).isEqualTo(99);
    assertThat(r.maxConnections()).isEqualTo(5);
    assertThat(r.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(r.closingStallMillis()).isEqualTo(700);
    assertThat(r.acceptBacklog()).isEqualTo(8);
    assertThat(r.remoteTimeoutMillis()).isEqualTo(100);
    assertThat(r.writeBack()).isEqualTo(WriteBack.FRONT);
    assertThat(back.services().get(ServiceKind.ECHO).framing()).isEqualTo(Framing.RAW);
    assertThat(back.services().get(ServiceKind.BROADCAST).maxQueuedBytes()).isEqualTo(99);
  }

  @Test
  void frontInstancesCanBeOverriddenForEveryService() {
    BackspinConfig c = parse("{\"reverse\": {\"instances\": 1, \"workers\": 2, \"port\": 7}, \"echo\": {}, \"bogus\": 1}");
    BackspinConfig more = c.withFrontInstances(3);
    assertThat(more.services().get(ServiceKind.REVERSE).instances()).isEqualTo(3);
    assertThat(more.services().get(ServiceKind.ECHO).instances()).isEqualTo(3);
    assertThat(more.services()).doesNotContainKey(ServiceKind.BROADCAST);
    // everything else stays, and the original is unchanged
    assertThat(more.services().get(ServiceKind.REVERSE).workers()).isEqualTo(2);
    assertThat(more.services().get(ServiceKind.REVERSE).port()).isEqualTo(7);
    assertThat(more.warnings()).isEqualTo(c.warnings()).hasSize(1);
    assertThat(c.services().get(ServiceKind.REVERSE).instances()).isEqualTo(1);
    assertThatThrownBy(() -> c.withFrontInstances(1025)).isInstanceOf(ConfigException.class)
      .hasMessage("reverse.instances must be 0..1024, got 1025");
  }

  /*
   * Was a bug (fixed), BackspinConfig.java:71: toJson() lower-cases the transport with the default locale.
   * In a Turkish locale "NIO" becomes "nıo" (dotless i), which fromJson then rejects.
   */
  @Test
  
  void regressionToJsonDependsOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      BackspinConfig c = parse("{\"transport\": \"nio\"}");
      assertThat(c.toJson().getString("transport")).isEqualTo("nio");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void tlsFilesAreCheckedAndNamed() {
    rejected("{\"reverse\": {\"tls\": {\"certPath\": \"/no/such.pem\", \"keyPath\": \"/no/key.pem\"}}}",
      "reverse.tls.certPath must be a readable PEM file, got \"/no/such.pem\"");
    rejected("{\"reverse\": {\"tls\": {}}}", "reverse.tls.certPath is required: a PEM file");
  }

  @Test
  void whatOnlyTheNodeDecidesIsCheckedInConfigToo() {
    assertThatThrownBy(() -> parse("{}").checkRunnable(false)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("no service is configured");
    BackspinConfig noWorkers = parse("{\"reverse\": {\"workers\": 0}}");
    assertThatThrownBy(() -> noWorkers.checkRunnable(false)).isInstanceOf(ConfigException.class)
      .hasMessage("reverse.workers is 0 on a node that is not clustered: no worker would answer");
    noWorkers.checkRunnable(true); // workers elsewhere in the cluster
    parse("{\"reverse\": {\"workers\": 0, \"instances\": 0}}").checkRunnable(false); // no front: nobody asks
    parse("{\"echo\": {}}").checkRunnable(false);
  }

  @Test
  void spinWaitIsOffUnlessAskedAndBounded() {
    assertThat(parse("{}").spinWaitMicros()).isZero();
    BackspinConfig c = parse("{\"spinWaitMicros\": 50}");
    assertThat(c.spinWaitMicros()).isEqualTo(50);
    assertThat(BackspinConfig.fromJson(c.toJson()).spinWaitMicros()).isEqualTo(50);
    rejected("{\"spinWaitMicros\": 1001}", "spinWaitMicros must be 0..1000, got 1001");
  }

  @Test
  void workerSpinIs50MicrosUnlessAskedAndBounded() {
    assertThat(parse("{}").workerSpinMicros()).isEqualTo(BackspinConfig.DEFAULT_WORKER_SPIN_MICROS).isEqualTo(50);
    assertThat(parse("{\"workerSpinMicros\": 0}").workerSpinMicros()).isZero();
    BackspinConfig c = parse("{\"workerSpinMicros\": 200}");
    assertThat(BackspinConfig.fromJson(c.toJson()).workerSpinMicros()).isEqualTo(200);
    rejected("{\"workerSpinMicros\": -1}", "workerSpinMicros must be 0..1000, got -1");
    rejected("{\"workerSpinMicros\": 1001}", "workerSpinMicros must be 0..1000, got 1001");
  }
}
