package dev.backspin.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerConfigTest {

  private static ServiceConfig reverse(String json) {
    return ServiceConfig.fromJson(ServiceKind.REVERSE, new JsonObject(json));
  }

  @Test
  void aShardTakesItsServicesSettings() {
    WorkerConfig w = WorkerConfig.of(reverse("{\"workers\": 3, \"unit\": \"codepoint\", \"ringCapacity\": 7, \"writeBack\": \"front\"}"), 2);
    assertThat(w).isEqualTo(new WorkerConfig(ServiceKind.REVERSE, 2, ReverseUnit.CODEPOINT, 7, WriteBack.FRONT));
  }

  @Test
  void aShardOfTheDefaults() {
    WorkerConfig w = WorkerConfig.of(reverse("{\"workers\": 1}"), 0);
    assertThat(w.service()).isEqualTo(ServiceKind.REVERSE);
    assertThat(w.shard()).isZero();
    assertThat(w.unit()).isEqualTo(ReverseUnit.BYTE);
    assertThat(w.ringCapacity()).isEqualTo(ServiceConfig.DEFAULT_RING_CAPACITY);
    assertThat(w.writeBack()).isEqualTo(WriteBack.SOCKET);
  }

  @Test
  void noShardBeyondTheServicesWorkers() {
    assertThatThrownBy(() -> WorkerConfig.of(reverse("{\"workers\": 3}"), 3))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("reverse has 3 worker shard(s), no shard 3");
    assertThatThrownBy(() -> WorkerConfig.of(ServiceConfig.fromJson(ServiceKind.ECHO, new JsonObject()), 0))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("echo has 0 worker shard(s), no shard 0");
    assertThatThrownBy(() -> new WorkerConfig(ServiceKind.REVERSE, -1, ReverseUnit.BYTE, 1, WriteBack.SOCKET))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("shard must be >= 0, got -1");
  }

  @Test
  void theRingTakesItsEdgesAndRejectsOnePast() {
    assertThat(new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, 1, WriteBack.SOCKET).ringCapacity()).isEqualTo(1);
    assertThat(new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, 1 << 30, WriteBack.SOCKET).ringCapacity()).isEqualTo(1 << 30);
    assertThatThrownBy(() -> new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, 0, WriteBack.SOCKET))
      .isInstanceOf(ConfigException.class).hasMessage("reverse.ringCapacity must be 1..1073741824, got 0")
      .extracting(e -> ((ConfigException) e).key()).isEqualTo("reverse.ringCapacity");
    assertThatThrownBy(() -> new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, (1 << 30) + 1, WriteBack.SOCKET))
      .isInstanceOf(ConfigException.class).hasMessage("reverse.ringCapacity must be 1..1073741824, got 1073741825");
  }

  @Test
  void everySettingIsRequired() {
    assertThatThrownBy(() -> new WorkerConfig(null, 0, ReverseUnit.BYTE, 1, WriteBack.SOCKET)).isInstanceOf(NullPointerException.class).hasMessage("service");
    assertThatThrownBy(() -> new WorkerConfig(ServiceKind.REVERSE, 0, null, 1, WriteBack.SOCKET)).isInstanceOf(NullPointerException.class).hasMessage("unit");
    assertThatThrownBy(() -> new WorkerConfig(ServiceKind.REVERSE, 0, ReverseUnit.BYTE, 1, null)).isInstanceOf(NullPointerException.class).hasMessage("writeBack");
  }
}
