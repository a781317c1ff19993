package dev.backspin.config;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/** The operations endpoint: {@code /metrics}, {@code /health} and {@code /ready}. Absent: none runs. */
public record HttpConfig(String host, int port) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8090;

  static HttpConfig fromJson(JsonObject json, Consumer<String> warnings) {
    JsonFields f = new JsonFields(json, "http");
    f.warnUnknown(new LinkedHashSet<>(List.of("host", "port")), warnings);
    return new HttpConfig(f.string("host", DEFAULT_HOST), f.intIn("port", DEFAULT_PORT, 0, 65535));
  }

  JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }
}
