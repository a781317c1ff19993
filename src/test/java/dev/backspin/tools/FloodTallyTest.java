package dev.backspin.tools;

import dev.backspin.tools.FloodTally.Failure;
import dev.backspin.tools.FloodTally.Kind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients' accounting: each failed client once, by kind; verified only if every byte of every client was. */
class FloodTallyTest {

  private static Failure failure(int client, Kind kind) {
    return new Failure(client, kind, 1024, "ERR server busy\\n", "ERR server busy\\n");
  }

  @Test
  void everyClientVerifiedAndNothingFailedIsVerified() {
    FloodTally t = new FloodTally(3, 100);
    t.connected = 3;
    t.verified = 300;
    t.clientsVerified = 3;
    assertThat(t.allVerified()).isTrue();
    JsonObject j = t.toJson();
    assertThat(j.getBoolean("verified")).isTrue();
    assertThat(j.getLong("bytesExpected")).isEqualTo(300);
    assertThat(j.getJsonObject("failures").fieldNames())
      .containsExactlyInAnyOrder("connect", "write", "err", "mismatch", "closed", "reset", "deadline");
    assertThat(j.getJsonObject("failures").getMap().values()).allMatch(v -> ((Integer) v) == 0);
  }

  @Test
  void aMissingByteOrClientIsNotVerified() {
    FloodTally t = new FloodTally(3, 100);
    t.verified = 299;
    t.clientsVerified = 3;
    assertThat(t.allVerified()).isFalse();
    t.verified = 300;
    t.clientsVerified = 2;
    assertThat(t.allVerified()).isFalse();
  }

  @Test
  void failuresCountByKindAndKeepTheirFirstSamples() {
    FloodTally t = new FloodTally(100, 10);
    for (int c = 0; c < 30; c++) {
      t.failed(failure(c, c % 3 == 0 ? Kind.CLOSED : Kind.ERR));
    }
    assertThat(t.failures(Kind.ERR)).isEqualTo(20);
    assertThat(t.failures(Kind.CLOSED)).isEqualTo(10);
    assertThat(t.failedClients()).isEqualTo(30);
    assertThat(t.samples()).hasSize(FloodTally.SAMPLES);
    assertThat(t.samples().get(0).client()).isZero();
    JsonObject j = t.toJson();
    assertThat(j.getJsonObject("failures").getInteger("err")).isEqualTo(20);
    assertThat(j.getInteger("failedClients")).isEqualTo(30);
    assertThat(j.getJsonArray("failureSamples").getJsonObject(1).getString("kind")).isEqualTo("err");
    assertThat(j.getBoolean("verified")).isFalse();
    assertThat(t.samples().get(1).describe()).isEqualTo("client 1: err at reply byte 1,024: got \"ERR server busy\\n\"; its first bytes \"ERR server busy\\n\"");
  }

  @Test
  void bytesAreShownReadably() {
    byte[] b = "ok\n\"\\".getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[b.length + 2];
    System.arraycopy(b, 0, all, 0, b.length);
    all[b.length] = 0;
    all[b.length + 1] = (byte) 0xff;
    assertThat(FloodTally.show(all, 0, all.length)).isEqualTo("ok\\n\\\"\\\\\\x00\\xff");
    assertThat(FloodTally.show(all, 1, 3)).isEqualTo("k\\n");
  }

  @Test
  void errIsRecognisedFromThreeBytesOn() {
    byte[] err = "xERR server busy\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(FloodTally.isErr(err, 1, err.length)).isTrue();
    assertThat(FloodTally.isErr(err, 1, 4)).isTrue();
    assertThat(FloodTally.isErr(err, 1, 3)).isFalse();
    assertThat(FloodTally.isErr(err, 0, err.length)).isFalse();
    byte[] other = "ERRX".getBytes(StandardCharsets.US_ASCII);
    assertThat(FloodTally.isErr(other, 0, 4)).isFalse();
  }
}
