package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A bystander visit fails when its answer is slow, wrong or missing; clean means visits, and none failed. */
class BystanderStatsTest {

  @Test
  void eachVisitIsJudgedByItsAnswerAndItsTime() {
    BystanderStats s = new BystanderStats(2_000_000);
    assertThat(s.record(1_000, true, true, null)).isEqualTo(BystanderStats.Outcome.ANSWERED);
    assertThat(s.record(2_000_000, true, true, null)).isEqualTo(BystanderStats.Outcome.ANSWERED);
    assertThat(s.clean()).isTrue();
    assertThat(s.record(2_000_001, true, true, null)).isEqualTo(BystanderStats.Outcome.SLOW);
    assertThat(s.record(5_000, true, false, "visit 3: got \"ERR server busy\\n\"")).isEqualTo(BystanderStats.Outcome.WRONG);
    assertThat(s.record(10_000_000, false, false, "visit 4: no answer within 10000 ms")).isEqualTo(BystanderStats.Outcome.MISSING);
    assertThat(s.visits()).isEqualTo(5);
    assertThat(s.answered()).isEqualTo(2);
    assertThat(s.failures()).isEqualTo(3);
    assertThat(s.clean()).isFalse();
    // a slow answer has no problem text of its own: it says how slow
    assertThat(s.firstProblem()).isEqualTo("answered after 2,000,001 µs");
    assertThat(s.maxMicros()).isBetween(9_990_000L, 10_010_000L);
    JsonObject j = s.toJson();
    assertThat(j.getLong("slow")).isEqualTo(1);
    assertThat(j.getLong("wrong")).isEqualTo(1);
    assertThat(j.getLong("missing")).isEqualTo(1);
    assertThat(j.getLong("timeoutMillis")).isEqualTo(2000);
    assertThat(s.summary()).contains("5 visits").contains("1 slower than 2000.0 ms, 1 wrong, 1 missing");
  }

  @Test
  void noVisitsIsNotClean() {
    BystanderStats s = new BystanderStats(1);
    assertThat(s.clean()).isFalse();
    assertThat(s.percentileMicros(99)).isZero();
    assertThat(s.maxMicros()).isZero();
  }

  @Test
  void percentilesComeFromEveryVisit() {
    BystanderStats s = new BystanderStats(2_000_000);
    for (int i = 1; i <= 100; i++) {
      s.record(i * 1000L, true, true, null);
    }
    assertThat(s.percentileMicros(50)).isBetween(49_900L, 50_100L);
    assertThat(s.percentileMicros(99)).isBetween(98_900L, 99_100L);
    assertThat(s.maxMicros()).isBetween(99_900L, 100_100L);
  }

  @Test
  void aVisitWaitsFiveTimeoutsAndAtLeastTenSeconds() {
    assertThat(Bystanders.patience(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(10));
    assertThat(Bystanders.patience(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(15));
    assertThat(Bystanders.patience(Duration.ofMillis(100))).isEqualTo(Duration.ofSeconds(10));
  }
}
