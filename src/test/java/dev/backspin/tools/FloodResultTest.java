package dev.backspin.tools;

import dev.backspin.tools.FloodTally.Failure;
import dev.backspin.tools.FloodTally.Kind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A flood is clean only if every byte was verified and every bystander answered in time; its JSON says which. */
class FloodResultTest {

  private final Flood.Options options = Flood.Options.defaults(9190).withClients(2, 1000);

  private static FloodTally verifiedTally() {
    FloodTally t = new FloodTally(2, 1000);
    t.connected = 2;
    t.written = 2000;
    t.writtenDuringHold = 1500;
    t.verified = 2000;
    t.clientsVerified = 2;
    return t;
  }

  private static BystanderStats bystander(long... micros) {
    BystanderStats s = new BystanderStats(2_000_000);
    for (long m : micros) {
      s.record(m, true, true, null);
    }
    return s;
  }

  @Test
  void everyByteAndEveryBystanderInTimeIsClean() {
    FloodResult r = new FloodResult(options, verifiedTally().toJson(), bystander(1_000, 3_000), null, 30.04);
    assertThat(r.clean()).isTrue();
    JsonObject j = r.toJson();
    assertThat(j.getBoolean("clean")).isTrue();
    assertThat(j.getInteger("clients")).isEqualTo(2);
    assertThat(j.getLong("bytesPerClient")).isEqualTo(1000);
    assertThat(j.getLong("bytesVerified")).isEqualTo(2000);
    assertThat(j.getDouble("holdSeconds")).isEqualTo(25.0);
    assertThat(j.getDouble("seconds")).isEqualTo(30.0);
    assertThat(j.getJsonObject("bystander").getLong("visits")).isEqualTo(2);
    assertThat(j.getJsonObject("bystander").getLong("intervalMillis")).isEqualTo(500);
    assertThat(j.getValue("server")).isNull();
    assertThat(r.peakHeapUsedBytes()).isEqualTo(-1);
    assertThat(r.summary()).contains("verified 2,000 of 2,000 bytes (2 of 2 clients)").contains("failed clients: none")
      .contains("1,500 of them while nobody read").contains("CLEAN");
  }

  @Test
  void aSlowBystanderMakesItUncleanThoughEveryByteCameBack() {
    FloodResult r = new FloodResult(options, verifiedTally().toJson(), bystander(1_000, 2_500_000), null, 30);
    assertThat(r.verified()).isTrue();
    assertThat(r.clean()).isFalse();
    assertThat(r.summary()).contains("FAILED: bystanders not all answered in time").contains("1 slower than 2000.0 ms");
  }

  @Test
  void noBystanderVisitIsNotClean() {
    assertThat(new FloodResult(options, verifiedTally().toJson(), bystander(), null, 30).clean()).isFalse();
  }

  @Test
  void aFailedClientMakesItUncleanAndIsShownWithWhatItGot() {
    FloodTally t = verifiedTally();
    t.clientsVerified = 1;
    t.verified = 1000 + 512;
    t.failed(new Failure(1, Kind.ERR, 512, "ERR server busy\\n", "ERR server busy\\n"));
    JsonObject server = new JsonObject().put("pid", 42).put("rssSamples", 30).put("heapSamples", 29).put("peakRssBytes", 400L << 20)
      .put("peakHeapUsedBytes", 250L << 20).put("peakHeapCapacityBytes", 256L << 20).putNull("problem");
    FloodResult r = new FloodResult(options, t.toJson(), bystander(1_000), server, 30);
    assertThat(r.clean()).isFalse();
    assertThat(r.failedClients()).isEqualTo(1);
    assertThat(r.peakHeapUsedBytes()).isEqualTo(250L << 20);
    assertThat(r.peakRssBytes()).isEqualTo(400L << 20);
    assertThat(r.toJson().getJsonObject("failures").getInteger("err")).isEqualTo(1);
    assertThat(r.summary()).contains("failed clients: 1 (err 1)")
      .contains("client 1: err at reply byte 512: got \"ERR server busy\\n\"")
      .contains("peak heap in use 250 MiB").contains("peak RSS 400 MiB")
      .contains("FAILED: not every byte verified");
  }

  @Test
  void optionsRefuseADeadlineBeforeTheHoldEnds() {
    assertThatThrownBy(() -> Flood.Options.defaults(1).withHold(Duration.ofSeconds(30), Duration.ofSeconds(30)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Flood.Options.defaults(1).withClients(0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
