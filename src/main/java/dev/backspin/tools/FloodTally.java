package dev.backspin.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the flood's clients achieved: bytes written while nobody read, bytes checked back, and
 * each client that failed, once, by the first way it failed. Confined to the flood's selector
 * thread until the run ends.
 */
final class FloodTally {

  /** How a flood client can fail; each client counts once, by the first. */
  enum Kind {
    /** The connection could not be opened. */
    CONNECT,
    /** A write failed: the server reset or closed the connection while the client was still sending. */
    WRITE,
    /** The client got {@code ERR ...} where a reply was owed. */
    ERR,
    /** A wrong byte, or bytes beyond those owed. */
    MISMATCH,
    /** The server closed the connection before every reply came. */
    CLOSED,
    /** A read failed (a reset). */
    RESET,
    /** The replies were not all in by the deadline. */
    DEADLINE;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One client's failure: where in its reply stream, what it got there, and the first bytes it ever got. */
  record Failure(int client, Kind kind, long at, String got, String firstBytes) {

    String describe() {
      return String.format(Locale.ROOT, "client %d: %s at reply byte %,d: got \"%s\"; its first bytes \"%s\"",
        client, kind.id(), at, got, firstBytes);
    }

    JsonObject toJson() {
      return new JsonObject().put("client", client).put("kind", kind.id()).put("at", at).put("got", got).put("firstBytes", firstBytes);
    }
  }

  /** Failures kept with their details; the counts have them all. */
  static final int SAMPLES = 20;

  final int clients;
  final long bytesPerClient;
  int connected;
  long writtenDuringHold;
  long written;
  long verified;
  int clientsVerified;
  private final Map<Kind, Integer> failures = new EnumMap<>(Kind.class);
  private final List<Failure> samples = new ArrayList<>();

  FloodTally(int clients, long bytesPerClient) {
    this.clients = clients;
    this.bytesPerClient = bytesPerClient;
    for (Kind k : Kind.values()) {
      failures.put(k, 0);
    }
  }

  void failed(Failure f) {
    failures.merge(f.kind(), 1, Integer::sum);
    if (samples.size() < SAMPLES) {
      samples.add(f);
    }
  }

  int failures(Kind k) {
    return failures.get(k);
  }

  int failedClients() {
    return failures.values().stream().mapToInt(Integer::intValue).sum();
  }

  List<Failure> samples() {
    return List.copyOf(samples);
  }

  long bytesExpected() {
    return clients * bytesPerClient;
  }

  /** Every client connected and got every byte back, checked, and none failed. */
  boolean allVerified() {
    return failedClients() == 0 && clientsVerified == clients && verified == bytesExpected();
  }

  JsonObject toJson() {
    JsonObject kinds = new JsonObject();
    failures.forEach((k, n) -> kinds.put(k.id(), n));
    JsonArray s = new JsonArray();
    samples.forEach(f -> s.add(f.toJson()));
    return new JsonObject().put("clients", clients).put("bytesPerClient", bytesPerClient).put("connected", connected)
      .put("bytesWritten", written).put("bytesWrittenDuringHold", writtenDuringHold)
      .put("bytesExpected", bytesExpected()).put("bytesVerified", verified).put("clientsVerified", clientsVerified)
      .put("failedClients", failedClients()).put("failures", kinds).put("failureSamples", s)
      .put("verified", allVerified());
  }

  /** The first bytes of {@code b[from, to)} as readable text: printable ASCII kept, {@code \n} and the rest escaped. */
  static String show(byte[] b, int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c == '\n') {
        s.append("\\n");
      } else if (c == '\\' || c == '"') {
        s.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        s.append((char) c);
      } else {
        s.append(String.format(Locale.ROOT, "\\x%02x", c));
      }
    }
    return s.toString();
  }

  /** Whether {@code b[from, to)} begins with {@code ERR } (as far as it goes, at least 3 bytes). */
  static boolean isErr(byte[] b, int from, int to) {
    byte[] err = "ERR ".getBytes(StandardCharsets.US_ASCII);
    int n = Math.min(err.length, to - from);
    if (n < 3) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[from + i] != err[i]) {
        return false;
      }
    }
    return true;
  }
}
