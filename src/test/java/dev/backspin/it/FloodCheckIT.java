package dev.backspin.it;

import dev.backspin.support.FaultyServer;
import dev.backspin.tools.Flood;
import dev.backspin.tools.FloodResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flood driver, in-process, against a server that goes wrong on purpose ({@link FaultyServer},
 * port 0): a correct server passes, and each way a client or a bystander can fail shows in its
 * counts, with what the client got. Small: a few clients of 64 KiB and a hold under a second. Not
 * run per transport: it tests the driver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FloodCheckIT {

  private static final long BYTES = 64 * 1024;
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private FloodResult flood(FaultyServer.Fault fault, int clients) throws Exception {
    FaultyServer server = FaultyServer.start(vertx, fault).await(10, TimeUnit.SECONDS);
    Flood.Options o = new Flood.Options("127.0.0.1", server.port(), clients, BYTES, Duration.ofMillis(800), Duration.ofMillis(200),
      Duration.ofSeconds(2), Duration.ofSeconds(30), null, 5, 0);
    return Flood.run(o, QUIET);
  }

  /** The flood client and line number a reply answers, read from its reversed header (" 300000000S 200000C\n"); -1s for other lines. */
  private static long[] clientAndLine(Buffer reply) {
    String s = reply.toString(StandardCharsets.US_ASCII);
    if (s.length() != 1024) {
      return new long[] {-1, -1}; // a bystander's line
    }
    String header = new StringBuilder(s.substring(s.length() - 20, s.length() - 1)).reverse().toString(); // "C000002 S000000003 "
    return new long[] {Long.parseLong(header.substring(1, 7)), Long.parseLong(header.substring(9, 18))};
  }

  @Test
  void aCorrectServerIsCleanAndEveryByteIsVerified() throws Exception {
    FloodResult r = flood(FaultyServer.NONE, 4);
    assertThat(r.clean()).as(r.summary()).isTrue();
    assertThat(r.bytesVerified()).isEqualTo(4 * BYTES);
    JsonObject j = r.toJson();
    assertThat(j.getInteger("clientsVerified")).isEqualTo(4);
    assertThat(j.getLong("bytesWrittenDuringHold")).isEqualTo(4 * BYTES); // a server that reads: all of it went in the hold
    assertThat(r.bystander().visits()).isPositive();
  }

  @Test
  void busyClosedCorruptedAndCutShortClientsAreEachCountedWithWhatTheyGot() throws Exception {
    Set<NetSocket> closed = ConcurrentHashMap.newKeySet();
    FloodResult r = flood((socket, conn, n, reply) -> {
      if (closed.contains(socket)) {
        return;
      }
      long[] cl = clientAndLine(reply);
      if (cl[0] == 1 && cl[1] == 3) {
        FaultyServer.write(socket, Buffer.buffer("ERR server busy\n"));
        closed.add(socket);
        FaultyServer.close(socket);
      } else if (cl[0] == 2 && cl[1] == 1) {
        byte[] b = reply.getBytes();
        b[10] ^= 1;
        FaultyServer.write(socket, Buffer.buffer(b));
      } else if (cl[0] == 3 && cl[1] == 5) {
        closed.add(socket);
        FaultyServer.close(socket);
      } else {
        FaultyServer.write(socket, reply);
      }
    }, 4);
    JsonObject j = r.toJson();
    JsonObject f = j.getJsonObject("failures");
    assertThat(r.clean()).isFalse();
    assertThat(r.failedClients()).as(r.summary()).isEqualTo(3);
    assertThat(f.getInteger("err")).as(r.summary()).isEqualTo(1);
    assertThat(f.getInteger("mismatch")).as(r.summary()).isEqualTo(1);
    assertThat(f.getInteger("closed") + f.getInteger("reset")).as(r.summary()).isEqualTo(1);
    assertThat(j.getInteger("clientsVerified")).isEqualTo(1);
    assertThat(r.bytesVerified()).isEqualTo(BYTES + 3 * 1024 + 1024 + 10 + 5 * 1024);
    for (Object o : j.getJsonArray("failureSamples")) {
      JsonObject s = (JsonObject) o;
      switch (s.getInteger("client")) {
        case 1 -> {
          assertThat(s.getString("kind")).isEqualTo("err");
          assertThat(s.getLong("at")).isEqualTo(3 * 1024);
          assertThat(s.getString("got")).isEqualTo("ERR server busy\\n");
        }
        case 2 -> {
          assertThat(s.getString("kind")).isEqualTo("mismatch");
          assertThat(s.getLong("at")).isEqualTo(1024 + 10);
        }
        case 3 -> assertThat(s.getLong("at")).isEqualTo(5 * 1024);
        default -> throw new AssertionError("client " + s.getInteger("client") + " failed: " + r.summary());
      }
    }
  }

  @Test
  void aBystanderAnsweredLateIsAFailureThoughEveryByteCameBack() throws Exception {
    FloodResult r = flood((socket, conn, n, reply) -> {
      if (clientAndLine(reply)[0] < 0) {
        vertx.setTimer(2500, t -> FaultyServer.write(socket, reply)); // a bystander: answered after its 2 s
      } else {
        FaultyServer.write(socket, reply);
      }
    }, 2);
    assertThat(r.verified()).as(r.summary()).isTrue();
    assertThat(r.bystander().slow()).as(r.summary()).isPositive();
    assertThat(r.bystander().maxMicros()).isGreaterThan(2_500_000);
    assertThat(r.clean()).isFalse();
  }
}
