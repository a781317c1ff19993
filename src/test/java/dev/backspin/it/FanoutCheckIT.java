package dev.backspin.it;

import dev.backspin.support.FaultyBroadcast;
import dev.backspin.tools.Fanout;
import dev.backspin.tools.FanoutResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fanout tool, in-process, against a broadcast relay that goes wrong on purpose
 * ({@link FaultyBroadcast}, port 0): a correct relay passes, and a line swapped, dropped, doubled
 * or changed on its way to the receivers shows in their counts and makes the run unclean. The
 * fault hits every connection but the sender, so each of the 2 receivers sees it once. Small:
 * 2 senders at 1,000 lines/s for 1 s. Not run per transport: it tests the tool.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanoutCheckIT {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final int RECEIVERS = 2;

  /** The relay runs in {@code vertx} (the extension's, closed after each test); the tool in a Vert.x of its own. */
  private static FanoutResult fanout(Vertx vertx, FaultyBroadcast.Fault fault) throws Exception {
    FaultyBroadcast relay = FaultyBroadcast.start(vertx, fault).await(10, TimeUnit.SECONDS);
    Fanout.Address a = new Fanout.Address("127.0.0.1", relay.port());
    Fanout.Options o = new Fanout.Options(a, List.of(a), 2, RECEIVERS, 1000, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
      60, Duration.ofSeconds(20));
    return Fanout.run(o, QUIET);
  }

  private static JsonObject receivers(FanoutResult r) {
    return r.toJson().getJsonArray("receive").getJsonObject(0);
  }

  @Test
  void aCorrectRelayIsClean(Vertx vertx) throws Exception {
    FanoutResult r = fanout(vertx, FaultyBroadcast.NONE);
    assertThat(r.clean()).as(r.summary()).isTrue();
    JsonObject j = receivers(r);
    assertThat(j.getLong("delivered")).isEqualTo(RECEIVERS * r.senders().lines()).isPositive();
    assertThat(j.getLong("gaps") + j.getLong("reordered") + j.getLong("duplicates") + j.getLong("lost") + j.getLong("malformed")).isZero();
  }

  @Test
  void aSwappedPairIsSeenAsReorderedThoughNothingIsLost(Vertx vertx) throws Exception {
    byte[][] held = {null};
    FanoutResult r = fanout(vertx, (conn, line) -> {
      if (FaultyBroadcast.is(line, 1, 10)) {
        held[0] = line;
        return List.of();
      }
      return FaultyBroadcast.is(line, 1, 11) ? List.of(line, held[0]) : List.of(line);
    });
    JsonObject j = receivers(r);
    assertThat(j.getLong("reordered")).as(r.summary()).isEqualTo(RECEIVERS);
    assertThat(j.getLong("gaps")).isEqualTo(RECEIVERS);
    assertThat(j.getLong("lost") + j.getLong("duplicates") + j.getLong("malformed")).isZero();
    assertThat(j.getLong("delivered")).isEqualTo(j.getLong("expected"));
    assertThat(j.getString("problem")).contains("sender 1's line 11 was gap");
    assertThat(r.drained()).isTrue();
    assertThat(r.clean()).isFalse();
  }

  @Test
  void aDroppedLineIsAGapAndLostAndTheDrainRunsOut(Vertx vertx) throws Exception {
    FanoutResult r = fanout(vertx, (conn, line) -> FaultyBroadcast.is(line, 2, 5) ? List.of() : List.of(line));
    JsonObject j = receivers(r);
    assertThat(j.getLong("lost")).as(r.summary()).isEqualTo(RECEIVERS);
    assertThat(j.getLong("gaps")).isEqualTo(RECEIVERS);
    assertThat(j.getLong("delivered")).isEqualTo(j.getLong("expected") - RECEIVERS);
    assertThat(r.drained()).as("every receiver still misses a line at the end of the drain").isFalse();
    assertThat(r.clean()).isFalse();
    assertThat(r.summary()).contains("FAILED: not every line reached every receiver within the drain");
  }

  @Test
  void aLineTwiceIsADuplicate(Vertx vertx) throws Exception {
    FanoutResult r = fanout(vertx, (conn, line) -> FaultyBroadcast.is(line, 1, 3) ? List.of(line, line) : List.of(line));
    JsonObject j = receivers(r);
    assertThat(j.getLong("duplicates")).as(r.summary()).isEqualTo(RECEIVERS);
    assertThat(j.getLong("gaps") + j.getLong("lost")).isZero();
    assertThat(j.getLong("delivered")).isEqualTo(j.getLong("expected"));
    assertThat(r.clean()).isFalse();
  }

  @Test
  void aChangedByteIsMalformedAndItsLineLost(Vertx vertx) throws Exception {
    FanoutResult r = fanout(vertx, (conn, line) -> {
      if (FaultyBroadcast.is(line, 1, 7)) {
        byte[] b = line.clone();
        b[b.length - 2] = 'x';
        return List.of(b);
      }
      return List.of(line);
    });
    JsonObject j = receivers(r);
    assertThat(j.getLong("malformed")).as(r.summary()).isEqualTo(RECEIVERS);
    assertThat(j.getLong("lost")).isEqualTo(RECEIVERS);
    assertThat(j.getString("problem")).contains("got \"S0001 000000000007 ").contains("x.\"");
    assertThat(r.clean()).isFalse();
  }
}
