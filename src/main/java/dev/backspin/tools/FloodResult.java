package dev.backspin.tools;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * What one flood run found: the clients' tally, the bystanders' visits and, if sampled, the
 * server's peak memory. Clean only if every byte came back as owed and every bystander was
 * answered in time.
 */
public record FloodResult(Flood.Options options, JsonObject clients, BystanderStats bystander, JsonObject server, double seconds) {

  public boolean verified() {
    return clients.getBoolean("verified");
  }

  public boolean clean() {
    return verified() && bystander.clean();
  }

  public long bytesVerified() {
    return clients.getLong("bytesVerified");
  }

  public long bytesExpected() {
    return clients.getLong("bytesExpected");
  }

  public int failedClients() {
    return clients.getInteger("failedClients");
  }

  /** Peak RSS of the server, or -1 if not sampled. */
  public long peakRssBytes() {
    return server == null || server.getLong("peakRssBytes") == null ? -1 : server.getLong("peakRssBytes");
  }

  /** Peak heap in use of the server (garbage included), or -1 if not sampled. */
  public long peakHeapUsedBytes() {
    return server == null || server.getLong("peakHeapUsedBytes") == null ? -1 : server.getLong("peakHeapUsedBytes");
  }

  public JsonObject toJson() {
    return clients.copy()
      .put("holdSeconds", options.hold().toMillis() / 1000.0).put("deadlineSeconds", options.deadline().toMillis() / 1000.0)
      .put("bystander", bystander.toJson().put("intervalMillis", options.bystanderInterval().toMillis()))
      .put("server", server).put("seconds", Math.round(seconds * 10) / 10.0).put("clean", clean());
  }

  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "flood: %d clients x %,d bytes, %s s without reading, then read back%n",
      options.clients(), options.bytes(), seconds(options.hold().toMillis())));
    s.append(String.format(Locale.ROOT, "  connected %d; written %,d bytes, %,d of them while nobody read%n",
      clients.getInteger("connected"), clients.getLong("bytesWritten"), clients.getLong("bytesWrittenDuringHold")));
    s.append(String.format(Locale.ROOT, "  verified %,d of %,d bytes (%d of %d clients)%n", bytesVerified(), bytesExpected(),
      clients.getInteger("clientsVerified"), options.clients()));
    JsonObject f = clients.getJsonObject("failures");
    StringBuilder kinds = new StringBuilder();
    for (String k : f.fieldNames()) {
      if (f.getInteger(k) > 0) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(f.getInteger(k));
      }
    }
    s.append("  failed clients: ").append(failedClients() == 0 ? "none" : failedClients() + " (" + kinds + ")").append('\n');
    clients.getJsonArray("failureSamples").forEach(o -> {
      JsonObject j = (JsonObject) o;
      s.append(String.format(Locale.ROOT, "    client %d: %s at reply byte %,d: got \"%s\"; its first bytes \"%s\"%n",
        j.getInteger("client"), j.getString("kind"), j.getLong("at"), j.getString("got"), j.getString("firstBytes")));
    });
    s.append(String.format(Locale.ROOT, "  bystander (a new connection every %s s): %s%n", seconds(options.bystanderInterval().toMillis()),
      bystander.summary()));
    if (server != null) {
      s.append("  ").append(ServerMemory.summary(server)).append('\n');
    }
    s.append(String.format(Locale.ROOT, "  %s in %.1f s%n", clean() ? "CLEAN: every byte verified, every bystander answered in time"
      : "FAILED: " + (verified() ? "" : "not every byte verified") + (verified() || bystander.clean() ? "" : "; ")
        + (bystander.clean() ? "" : "bystanders not all answered in time"), seconds));
    return s.toString();
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }
}
