package dev.backspin.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A service's TLS: its certificate and key (PEM) and, for client authentication, the PEM
 * certificate of the CA that clients' certificates must be signed by. Files are checked at start.
 */
public record TlsConfig(String certPath, String keyPath, String clientCaPath) {

  static TlsConfig fromJson(JsonObject json, String prefix, Consumer<String> warnings) {
    JsonFields f = new JsonFields(json, prefix);
    f.warnUnknown(Set.of("certPath", "keyPath", "clientCaPath"), warnings);
    String cert = readable(f, "certPath", true);
    String key = readable(f, "keyPath", true);
    String ca = readable(f, "clientCaPath", false);
    return new TlsConfig(cert, key, ca);
  }

  private static String readable(JsonFields f, String name, boolean required) {
    String path = f.string(name, null);
    if (path == null) {
      if (required) {
        throw new ConfigException(f.key(name), "is required: a PEM file");
      }
      return null;
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(f.key(name), "must be a readable PEM file, got \"" + path + "\"");
    }
    return path;
  }

  JsonObject toJson() {
    JsonObject j = new JsonObject().put("certPath", certPath).put("keyPath", keyPath);
    if (clientCaPath != null) {
      j.put("clientCaPath", clientCaPath);
    }
    return j;
  }
}
