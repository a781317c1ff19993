package dev.backspin.it;

import dev.backspin.support.FaultyServer;
import dev.backspin.support.JarProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's bench against a server that goes wrong on purpose ({@link FaultyServer}, in this
 * test's Vert.x, port 0): each fault must show in the counts and in the exit status. Each run is
 * a second or three of load and a grace of one second. Not run per transport: it tests the bench.
 */
class BenchCheckIT {

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** What one bench run left: its exit status, its JSON and its stderr (to explain a failure). */
  private record Run(int exit, JsonObject json, String err) {
    long count(String key) {
      return json.getLong(key);
    }

    JsonObject latency() {
      return json.getJsonObject("latencyMicros");
    }
  }

  private Run bench(FaultyServer.Fault fault, String... args) throws Exception {
    FaultyServer server = FaultyServer.start(vertx, fault).await(10, TimeUnit.SECONDS);
    Path json = dir.resolve("bench.json");
    Path err = dir.resolve("bench.err");
    Files.deleteIfExists(json);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JarProcess.JAR.toString(), "bench", "--port", Integer.toString(server.port()), "--json", json.toString(),
      "--grace", "1"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    p.getInputStream().readAllBytes(); // the table; ends when the bench does
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the bench did not end within 60 s: " + Files.readString(err));
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(json).as("the bench's JSON; stderr:\n%s", stderr).exists();
    return new Run(p.exitValue(), new JsonObject(Files.readString(json)), stderr);
  }

  /** The right reply with one byte of its payload changed. */
  private static Buffer corrupted(Buffer reply) {
    byte[] b = reply.getBytes();
    b[0] ^= 0x20;
    return Buffer.buffer(b);
  }

  @Test
  void aCorrectServerPassesEveryCheck() throws Exception {
    Run r = bench(FaultyServer.NONE, "--connections", "2", "--warmup", "0", "--duration", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.count("messages")).isPositive();
    assertThat(r.count("mismatches") + r.count("excess") + r.count("lost") + r.count("errors")).as(r.err()).isZero();
  }

  @Test
  void aCorruptedReplyIsAMismatch() throws Exception {
    Run r = bench((s, conn, n, reply) -> FaultyServer.write(s, n == 50 ? corrupted(reply) : reply),
      "--connections", "2", "--warmup", "0", "--duration", "1");
    assertThat(r.count("mismatches")).as(r.err()).isEqualTo(2);
    assertThat(r.count("excess") + r.count("lost") + r.count("errors")).isZero();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void wrongRepliesDuringTheWarmUpStillCount() throws Exception {
    // the 5th reply comes within milliseconds of the start, well inside the 1 s warm-up
    Run r = bench((s, conn, n, reply) -> FaultyServer.write(s, n == 5 ? corrupted(reply) : reply),
      "--connections", "2", "--warmup", "1", "--duration", "1");
    assertThat(r.count("mismatches")).as(r.err()).isEqualTo(2);
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aConnectionClosedDuringTheWarmUpIsAnError() throws Exception {
    FaultyServer.Fault closeSecond = new FaultyServer.Fault() {
      @Override
      public boolean accepted(Vertx v, NetSocket socket, int conn) {
        if (conn == 2) {
          v.setTimer(300, t -> FaultyServer.close(socket));
        }
        return true;
      }

      @Override
      public void answer(NetSocket socket, int conn, long n, Buffer reply) {
        FaultyServer.write(socket, reply);
      }
    };
    Run r = bench(closeSecond, "--connections", "2", "--warmup", "1", "--duration", "1");
    assertThat(r.count("errors")).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("closed by the server");
    assertThat(r.exit()).isEqualTo(3);
  }

  /** A reply cut short by a close: the error shows the bytes of it that came. */
  @Test
  void aReplyCutShortShowsWhatCameOfIt() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> sent = new java.util.concurrent.atomic.AtomicReference<>();
    Run r = bench((s, conn, n, reply) -> {
      if (n < 3) {
        FaultyServer.write(s, reply);
      } else if (n == 3) {
        sent.set(reply.getString(0, 10, "ISO-8859-1"));
        FaultyServer.write(s, reply.getBuffer(0, 10));
        FaultyServer.close(s);
      }
    }, "--connections", "1", "--warmup", "0", "--duration", "1");
    assertThat(r.count("errors")).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("closed by the server, in a reply after 10 bytes: \"" + sent.get().replaceAll("[^\\x20-\\x7e]", "?") + "\"");
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aConnectionRefusedWhileTheOthersConnectIsSeen() throws Exception {
    byte[] refusal = "ERR too many connections\n".getBytes(StandardCharsets.US_ASCII);
    FaultyServer.Fault refuseSecond = new FaultyServer.Fault() {
      @Override
      public boolean accepted(Vertx v, NetSocket socket, int conn) {
        if (conn == 2) {
          FaultyServer.write(socket, Buffer.buffer(refusal));
          FaultyServer.close(socket);
          return false;
        }
        return true;
      }

      @Override
      public void answer(NetSocket socket, int conn, long n, Buffer reply) {
        FaultyServer.write(socket, reply);
      }
    };
    Run r = bench(refuseSecond, "--connections", "3", "--warmup", "0", "--duration", "1");
    assertThat(r.count("errors")).as(r.err()).isEqualTo(1);
    // read before the first request went, the refusal is excess; after, the start of a reply cut short: shown either way
    assertThat(r.err()).contains("ERR too many connections");
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aDroppedReplyIsLost() throws Exception {
    Run r = bench((s, conn, n, reply) -> {
      if (!(conn == 1 && n == 50)) {
        FaultyServer.write(s, reply);
      }
    }, "--connections", "2", "--warmup", "0", "--duration", "1");
    assertThat(r.count("lost")).as(r.err()).isEqualTo(1);
    assertThat(r.count("mismatches") + r.count("excess") + r.count("errors")).isZero();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aDuplicatedReplyInAClosedLoopIsAMismatch() throws Exception {
    Run r = bench((s, conn, n, reply) -> {
      FaultyServer.write(s, reply);
      if (n == 50) {
        FaultyServer.write(s, reply);
      }
    }, "--connections", "1", "--warmup", "0", "--duration", "1");
    // the copy is taken as the next request's reply: its stamp is wrong, and so is each reply after it
    assertThat(r.count("mismatches")).as(r.err()).isPositive();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aDuplicatedReplyWithNothingOwedIsExcess() throws Exception {
    // at 20 messages/s the copy comes while the connection waits 50 ms for its next send: nothing is owed.
    // The 30th is due 1.5 s in: past the warm-up, once any backlog of a cold start is sent
    Run r = bench((s, conn, n, reply) -> {
      FaultyServer.write(s, reply);
      if (n == 30) {
        FaultyServer.write(s, reply);
      }
    }, "--connections", "1", "--warmup", "1", "--duration", "1", "--rate", "20");
    assertThat(r.count("excess")).as(r.err()).isEqualTo(64);
    assertThat(r.count("mismatches") + r.count("lost") + r.count("errors")).isZero();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aCorruptedStreamReplyIsAMismatch() throws Exception {
    Run r = bench((s, conn, n, reply) -> FaultyServer.write(s, n == 100 ? corrupted(reply) : reply),
      "--mode", "stream", "--size", "1024", "--window", "16384", "--warmup", "0", "--duration", "1");
    assertThat(r.count("mismatches")).as(r.err()).isEqualTo(1);
    assertThat(r.count("excess") + r.count("lost") + r.count("errors")).isZero();
    assertThat(r.latency()).as("stream mode times no round trip").isNull();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aDroppedStreamReplyIsLostAndShiftsTheRest() throws Exception {
    Run r = bench((s, conn, n, reply) -> {
      if (n != 100) {
        FaultyServer.write(s, reply);
      }
    }, "--mode", "stream", "--size", "1024", "--window", "16384", "--warmup", "0", "--duration", "1");
    assertThat(r.count("lost")).as(r.err()).isEqualTo(1);
    assertThat(r.count("mismatches")).isPositive();
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void latencyIsTheTimeTheServerTook() throws Exception {
    Run r = bench((s, conn, n, reply) -> vertx.setTimer(20, t -> FaultyServer.write(s, reply)),
      "--connections", "1", "--warmup", "0", "--duration", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject l = r.latency();
    assertThat(l.getLong("count")).isEqualTo(r.count("messages")).isBetween(20L, 50L);
    assertThat(l.getLong("p50")).isBetween(20_000L, 60_000L);
  }

  @Test
  void atARateAStallCountsAgainstEveryRequestItHeldUp() throws Exception {
    long[] firstAccept = {0};
    Buffer[] held = {null};
    FaultyServer.Fault stallOnce = new FaultyServer.Fault() {
      @Override
      public boolean accepted(Vertx v, NetSocket socket, int conn) {
        firstAccept[0] = System.nanoTime();
        return true;
      }

      @Override
      public void answer(NetSocket socket, int conn, long n, Buffer reply) {
        long ms = (System.nanoTime() - firstAccept[0]) / 1_000_000;
        if (ms >= 2000 && held[0] == null) {
          // the first request 2 s in (after the warm-up) is answered 1 s later; a closed loop sends nothing meanwhile
          held[0] = reply;
          vertx.setTimer(1000, t -> FaultyServer.write(socket, reply));
        } else {
          FaultyServer.write(socket, reply);
        }
      }
    };
    Run r = bench(stallOnce, "--connections", "1", "--warmup", "1", "--duration", "3", "--rate", "50");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject l = r.latency();
    // ~150 requests were due; the ~50 due during the stall waited for it, from up to 1 s down to 0
    assertThat(l.getLong("p90")).as("p90 counts the requests held up, not only the one held").isGreaterThan(400_000L);
    assertThat(l.getLong("max")).isBetween(950_000L, 1_200_000L);
    assertThat(r.count("messages")).isBetween(120L, 155L);
  }
}
