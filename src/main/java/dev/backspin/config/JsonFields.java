package dev.backspin.config;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** Typed, validated reads of one JSON object; every error names the full key. */
final class JsonFields {

  private final JsonObject json;
  private final String prefix;

  JsonFields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /**
   * While {@link ConfigSchema} probes the parsers, it learns here which keys each section has:
   * every section's parser declares its keys through {@link #warnUnknown}. Null otherwise.
   */
  static final ThreadLocal<java.util.function.BiConsumer<String, Set<String>>> KEYS_SEEN = new ThreadLocal<>();

  void warnUnknown(Set<String> known, Consumer<String> warnings) {
    java.util.function.BiConsumer<String, Set<String>> seen = KEYS_SEEN.get();
    if (seen != null) {
      seen.accept(prefix, known);
    }
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        warnings.accept("unknown config key '" + key(name) + "' is ignored (known keys: " + String.join(", ", known) + ")");
      }
    }
  }

  int intIn(String name, int def, int min, int max) {
    Long v = longIn(name, min, max);
    return v == null ? def : v.intValue();
  }

  /** A whole number of {@code min..max}, or null when the key is absent. */
  Long longIn(String name, long min, long max) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    // exact, whatever the JSON number's size: a long would wrap 2^64 + 9090 back to 9090
    BigDecimal d = v instanceof Number ? new BigDecimal(v.toString()) : null;
    if (d == null || d.stripTrailingZeros().scale() > 0) {
      throw new ConfigException(key(name), "must be an integer " + min + ".." + max + ", got " + show(v));
    }
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new ConfigException(key(name), "must be " + min + ".." + max + ", got " + d.toBigInteger());
    }
    return d.longValueExact();
  }

  String string(String name, String def) {
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw new ConfigException(key(name), "must be a non-empty string, got " + show(v));
    }
    return (String) v;
  }

  <E extends Enum<E>> E oneOf(String name, Class<E> type, E def) {
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    if (v instanceof String s && allowed.contains(s)) {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    }
    throw new ConfigException(key(name), "must be one of " + String.join(", ", allowed.stream().map(a -> "\"" + a + "\"").toList()) + ", got " + show(v));
  }

  /** A nested object, or null when the key is absent. */
  JsonObject object(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new ConfigException(key(name), "must be an object, got " + show(v));
    }
    return o;
  }

  private static String show(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }
}
