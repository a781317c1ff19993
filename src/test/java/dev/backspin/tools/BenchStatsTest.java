package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchStatsTest {

  @Test
  void theWarmUpResetsThroughputAndLatencyButNotTheChecks() {
    BenchStats s = new BenchStats();
    s.messages = 10;
    s.bytesIn = 640;
    s.bytesOut = 640;
    s.latency.recordValue(100);
    s.mismatches = 1;
    s.excess = 25;
    s.errors = 2;
    s.startMeasuring();
    assertThat(s.messages).isZero();
    assertThat(s.bytesIn).isZero();
    assertThat(s.bytesOut).isZero();
    assertThat(s.latency.getTotalCount()).isZero();
    assertThat(s.mismatches).isEqualTo(1);
    assertThat(s.excess).isEqualTo(25);
    assertThat(s.errors).isEqualTo(2);
  }

  @Test
  void noSamplesNoLatency() {
    BenchStats s = new BenchStats();
    s.messages = 5;
    JsonObject j = s.toJson("stream", 1, 16384, 1.0);
    assertThat(j.containsKey("latencyMicros")).isTrue();
    assertThat(j.getJsonObject("latencyMicros")).isNull();
    String table = BenchStats.table(j);
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).matches("stream +1 +16384 +5 +0\\.0 +0\\.0 +– +– +– +– +– +0 +0 +0 +0");
  }

  @Test
  void aLatencyOfMinutesIsRecordedNotThrown() {
    BenchStats s = new BenchStats();
    s.latency.recordValue(120_000_000); // two minutes, in µs: past the old fixed 60 s maximum
    s.latency.recordValue(50);
    JsonObject l = s.toJson("rr", 1, 64, 1.0).getJsonObject("latencyMicros");
    assertThat(l.getLong("count")).isEqualTo(2);
    assertThat(l.getLong("p50")).isEqualTo(50);
    assertThat(l.getLong("max")).isBetween(119_900_000L, 120_100_000L);
  }

  @Test
  void theTableNamesEveryCheck() {
    BenchStats s = new BenchStats();
    s.mismatches = 1;
    s.excess = 2;
    s.lost = 3;
    s.errors = 4;
    s.latency.recordValue(70);
    String table = BenchStats.table(s.toJson("rr", 2, 64, 1.0));
    assertThat(table.lines().findFirst().orElseThrow()).endsWith("mismatch   excess   lost  errors");
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).endsWith(" 1        2      3       4");
  }
}
