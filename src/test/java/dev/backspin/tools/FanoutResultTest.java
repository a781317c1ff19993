package dev.backspin.tools;

import dev.backspin.tools.FanoutOrder.Verdict;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A fan-out is clean only if every line reached every receiver once, in order, within the drain; its JSON and summary say what it measured. */
class FanoutResultTest {

  private static final Fanout.Address A = Fanout.Address.parse("127.0.0.1:9291");
  private static final Fanout.Address B = Fanout.Address.parse("127.0.0.1:9292");
  private final Fanout.Options options = new Fanout.Options(A, List.of(A, B), 2, 2, 0, Duration.ofSeconds(1), Duration.ofSeconds(10),
    Duration.ofSeconds(5), 100, Duration.ofSeconds(60));
  private final FanoutResult.Senders senders = new FanoutResult.Senders(2, 6, 6, 1, 500_000_000L, 0, 0);

  /** Two receivers, both connected and confirmed, that got {@code lines} deliveries in order, each timed at {@code micros}. */
  private static FanoutTally inOrder(Fanout.Address a, int lines, long micros) {
    FanoutTally t = new FanoutTally(a.toString(), 2);
    t.connected = 2;
    t.confirmed = 2;
    for (int i = 0; i < lines; i++) {
      t.delivery(Verdict.NEXT, true, micros);
    }
    return t;
  }

  /** Two receivers that each got 2 senders x 3 lines in order, each timed at {@code micros}. */
  private static FanoutTally everyLine(Fanout.Address a, long micros) {
    FanoutTally t = inOrder(a, 12, micros);
    t.end(6, 0);
    return t;
  }

  private FanoutResult result(List<FanoutTally> tallies, double drainedIn, List<String> problems) {
    return new FanoutResult(options, tallies, senders, 2.0, drainedIn, problems);
  }

  @Test
  void everyLineEverywhereInOrderIsCleanAndCounted() {
    FanoutResult r = result(List.of(everyLine(A, 1000), everyLine(B, 2000)), 0.25, List.of());
    assertThat(r.clean()).isTrue();
    JsonObject j = r.toJson();
    assertThat(j.getBoolean("clean")).isTrue();
    assertThat(j.getLong("linesSent")).isEqualTo(6);
    assertThat(j.getLong("linesPerSecond")).isEqualTo(3);
    assertThat(j.getLong("deliveriesMeasured")).isEqualTo(24);
    assertThat(j.getLong("deliveriesPerSecond")).isEqualTo(12);
    assertThat(j.getLong("delivered")).isEqualTo(24).isEqualTo(j.getLong("expected"));
    assertThat(j.getLong("lost")).isZero();
    assertThat(j.getDouble("senderPausedSeconds")).isEqualTo(0.5);
    assertThat(j.getLong("senderPauses")).isEqualTo(1);
    assertThat(j.getValue("scheduleLagMaxMillis")).as("no schedule as fast as possible").isNull();
    assertThat(j.getDouble("drainedInSeconds")).isEqualTo(0.25);
    JsonObject all = j.getJsonObject("latencyMicros");
    assertThat(all.getLong("count")).isEqualTo(24);
    assertThat(all.getLong("p50")).isEqualTo(1000);
    assertThat(all.getLong("max")).isBetween(2000L, 2002L); // HdrHistogram: within 3 significant digits
    JsonObject b = j.getJsonArray("receive").getJsonObject(1);
    assertThat(b.getString("address")).isEqualTo("127.0.0.1:9292");
    assertThat(b.getLong("deliveriesPerSecond")).isEqualTo(6);
    assertThat(b.getLong("delivered")).isEqualTo(12).isEqualTo(b.getLong("expected"));
    assertThat(b.getJsonObject("latencyMicros").getLong("p99")).isBetween(2000L, 2002L);
    assertThat(b.getBoolean("clean")).isTrue();
    assertThat(r.summary()).startsWith("fanout: 12 deliveries/s (127.0.0.1:9291 6, 127.0.0.1:9292 6), 3 lines/s sent; p99 1.00 / 2.00 ms; clean\n")
      .contains("2 senders on 127.0.0.1:9291, 100-byte lines, as fast as the server takes them; 1 s warm-up, 2.00 s measured")
      .contains("write queue full 1 times, 0.50 s in all")
      .contains("127.0.0.1:9292, 2 receiver(s): 6 deliveries/s, latency p50 2.00, p99 2.00").contains("delivered 12 of 12")
      .contains("CLEAN: every line reached every receiver once, in order, within 0.25 s of the end");
  }

  @Test
  void aSwappedPairAtOneAddressIsNotClean() {
    FanoutTally b = inOrder(B, 10, 500);
    b.delivery(Verdict.GAP, true, 500);
    b.delivery(Verdict.LATE, true, 500);
    b.problem("receiver 3: sender 1's line 4 was gap");
    b.end(6, 0);
    FanoutResult r = result(List.of(everyLine(A, 1000), b), 0.1, List.of());
    assertThat(b.delivered).isEqualTo(b.expected);
    assertThat(r.clean()).isFalse();
    JsonObject j = r.toJson().getJsonArray("receive").getJsonObject(1);
    assertThat(j.getLong("gaps")).isEqualTo(1);
    assertThat(j.getLong("reordered")).isEqualTo(1);
    assertThat(j.getBoolean("clean")).isFalse();
    assertThat(r.toJson().getJsonArray("receive").getJsonObject(0).getBoolean("clean")).isTrue();
    assertThat(r.summary()).contains("; NOT clean\n").contains("gaps 1, reordered 1, duplicates 0, lost 0")
      .contains("first: receiver 3: sender 1's line 4 was gap").contains("FAILED: see the counts above");
  }

  @Test
  void aDuplicateCountsAsSuchAndNotAsADelivery() {
    FanoutTally a = everyLine(A, 1000);
    a.delivery(Verdict.DUPLICATE, true, 1000);
    assertThat(a.delivered).isEqualTo(12);
    assertThat(a.duplicates).isEqualTo(1);
    assertThat(a.latency.getTotalCount()).isEqualTo(12);
    assertThat(result(List.of(a), 0.1, List.of()).clean()).isFalse();
  }

  @Test
  void linesStillMissingAfterTheDrainAreLostAndSaidSo() {
    FanoutTally a = inOrder(A, 10, 1000);
    a.end(6, 2);
    FanoutResult r = result(List.of(a), -1, List.of());
    assertThat(r.drained()).isFalse();
    assertThat(r.clean()).isFalse();
    assertThat(r.toJson().getLong("lost")).isEqualTo(2);
    assertThat(r.toJson().getValue("drainedInSeconds")).isNull();
    assertThat(r.summary()).contains("delivered 10 of 12").contains("lost 2")
      .contains("FAILED: not every line reached every receiver within the drain (5 s)");
  }

  @Test
  void aReceiverThatNeverHeardTheProbeOrASenderCutOffIsNotClean() {
    FanoutTally a = everyLine(A, 1000);
    a.confirmed = 1;
    assertThat(result(List.of(a), 0.1, List.of()).clean()).isFalse();
    FanoutResult cut = new FanoutResult(options, List.of(everyLine(A, 1000)), new FanoutResult.Senders(2, 6, 6, 0, 0, 0, 1), 2.0, 0.1,
      List.of("sender 2 was closed by the server"));
    assertThat(cut.clean()).isFalse();
    assertThat(cut.toJson().getInteger("senderDisconnects")).isEqualTo(1);
    assertThat(cut.toJson().getJsonArray("problems").getString(0)).isEqualTo("sender 2 was closed by the server");
    assertThat(cut.summary()).contains("1 sender(s) disconnected").contains("problem: sender 2 was closed by the server");
  }

  @Test
  void atARateTheScheduleLagIsReported() {
    Fanout.Options rated = new Fanout.Options(A, List.of(A), 2, 2, 5000, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 100,
      Duration.ofSeconds(10));
    FanoutResult r = new FanoutResult(rated, List.of(everyLine(A, 1000)), new FanoutResult.Senders(2, 6, 6, 0, 0, 3_500_000, 0), 1.0, 0.0,
      List.of());
    assertThat(r.toJson().getDouble("scheduleLagMaxMillis")).isEqualTo(3.5);
    assertThat(r.summary()).contains("5,000 lines/s in all; 0 s warm-up").contains("at worst 3.5 ms behind schedule");
  }
}
