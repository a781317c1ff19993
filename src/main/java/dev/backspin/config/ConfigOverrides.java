package dev.backspin.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Overrides of config keys from the environment and from system properties, over the {@code -conf}
 * file: {@code -Dbackspin.reverse.maxFrameBytes=1024} (the dotted key as it is) or
 * {@code BACKSPIN_REVERSE_MAX_FRAME_BYTES=1024} (upper case, {@code _} between words and sections).
 * A property wins over a variable, both over the file. Setting a key of a section the file lacks
 * creates the section: {@code BACKSPIN_ECHO_PORT=9091} starts echo, {@code BACKSPIN_HTTP_PORT}
 * the operations endpoint.
 *
 * <p>The values are merged into the file's JSON and the result is validated by the same parsers
 * as the file; a bad value's error names the variable ({@code BACKSPIN_REVERSE_PORT (reverse.port)
 * must be 0..65535, got 70000}). A value is a number when it reads as one, {@code true}/{@code false}
 * a boolean, a list when it is a JSON array ({@code ["a", "b"]}), and a string otherwise; a number given to a key the parsers read as a string
 * ({@code BACKSPIN_CLUSTER_NAME=2026}) is taken as that string. A variable or property with the
 * prefix that names no key is warned about and ignored, as unknown keys in the file are.
 *
 * <p>Not vertx-config: its env and sys stores would map {@code BACKSPIN_REVERSE_MAX_FRAME_BYTES}
 * to keys {@code MAX}, {@code FRAME}, {@code BYTES} rather than {@code maxFrameBytes}, guess types
 * without the schema, say nothing of a name that matches no key, and retrieve asynchronously on a
 * Vertx instance, while the launcher needs the config (its transport) before Vert.x is built. And
 * the Vert.x 5.2.3 release of it is not served here (5.0.x and 5.1.1 are). The mapping is small
 * and pure, with its key list taken from the parsers ({@link ConfigSchema}).
 */
public final class ConfigOverrides {

  public static final String ENV_PREFIX = "BACKSPIN_";
  public static final String PROPERTY_PREFIX = "backspin.";
  /** Names with the prefix that are not config keys: logback's switch to JSON lines (logback.xml). */
  static final Set<String> NOT_KEYS = Set.of("BACKSPIN_LOG", "backspin.log");

  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** The merged config: its JSON (for the verticle), parsed, and what the overrides did. */
  public record Result(JsonObject json, BackspinConfig config, List<String> applied, List<String> warnings) {
  }

  private record Source(String variable, String raw) {
  }

  private final ConfigSchema schema = new ConfigSchema();
  private final List<String> warnings = new ArrayList<>();

  private ConfigOverrides() {
  }

  /** The JVM's system properties as a map, for {@link #apply}. */
  public static Map<String, String> properties(Properties props) {
    Map<String, String> m = new TreeMap<>();
    for (String name : props.stringPropertyNames()) {
      m.put(name, props.getProperty(name));
    }
    return m;
  }

  /**
   * Merges the overrides in {@code env} and {@code props} over {@code file} (not changed; null is
   * an empty config) and validates the result.
   *
   * @throws ConfigException for a bad value, naming the variable or property that set it
   */
  public static Result apply(JsonObject file, Map<String, String> env, Map<String, String> props) {
    return new ConfigOverrides().merge(file == null ? new JsonObject() : file.copy(), env, props);
  }

  /** Which key each override sets (key to variable or property), as {@link #apply} would; for tests. */
  static Map<String, String> keys(Map<String, String> env, Map<String, String> props, List<String> warnings) {
    ConfigOverrides o = new ConfigOverrides();
    Map<String, String> keys = new TreeMap<>();
    o.sources(env, props).forEach((key, src) -> keys.put(key, src.variable()));
    warnings.addAll(o.warnings);
    return keys;
  }

  /** Every key the overrides can set: each section's keys, learnt from the parsers. */
  static List<String> allKeys() {
    List<String> all = new ArrayList<>();
    new ConfigOverrides().collect("", all);
    return all;
  }

  private void collect(String section, List<String> all) {
    for (String key : schema.keysOf(section)) {
      String path = section.isEmpty() ? key : section + "." + key;
      if (schema.keysOf(path) != null) {
        collect(path, all);
      } else {
        all.add(path);
      }
    }
  }

  private Result merge(JsonObject json, Map<String, String> env, Map<String, String> props) {
    Map<String, Source> byKey = sources(env, props);
    List<String> applied = new ArrayList<>();
    byKey.forEach((key, src) -> {
      put(json, key, typed(src.raw()));
      applied.add(src.variable() + " sets " + key);
    });
    BackspinConfig config = validate(json, byKey);
    return new Result(json, config, Collections.unmodifiableList(applied), Collections.unmodifiableList(warnings));
  }

  private Map<String, Source> sources(Map<String, String> env, Map<String, String> props) {
    Map<String, Source> byKey = new LinkedHashMap<>();
    new TreeMap<>(env).forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !NOT_KEYS.contains(name)) {
        String key = keyOfVariable(name);
        if (key != null) {
          byKey.put(key, new Source(name, value));
        }
      }
    });
    new TreeMap<>(props).forEach((name, value) -> {
      if (name.startsWith(PROPERTY_PREFIX) && !NOT_KEYS.contains(name)) {
        String key = keyOfProperty(name);
        if (key != null) {
          byKey.put(key, new Source(name, value)); // after the environment: a property wins
        }
      }
    });
    return byKey;
  }

  /** Parses as the file is parsed; an error about an overridden key names its variable. */
  private static BackspinConfig validate(JsonObject json, Map<String, Source> byKey) {
    Map<String, ConfigException> asTyped = new HashMap<>();
    while (true) {
      try {
        return BackspinConfig.fromJson(json);
      } catch (ConfigException e) {
        Source src = e.key() == null ? null : byKey.get(e.key());
        if (src == null) {
          throw e;
        }
        if (!(value(json, e.key()) instanceof String)) {
          // read as a number or boolean: perhaps the key wants a string; try it as the text it was
          asTyped.put(e.key(), e);
          put(json, e.key(), src.raw());
          continue;
        }
        // no better as text: the first error says what the key wants of a number
        throw asTyped.getOrDefault(e.key(), e).from(src.variable());
      }
    }
  }

  /** {@code backspin.reverse.maxFrameBytes} to {@code reverse.maxFrameBytes}, or null (warned) if no key. */
  private String keyOfProperty(String name) {
    String key = name.substring(PROPERTY_PREFIX.length());
    String section = "";
    String[] parts = key.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      Set<String> keys = schema.keysOf(section);
      if (keys == null || !keys.contains(parts[i])) {
        return unknown(name);
      }
      section = section.isEmpty() ? parts[i] : section + "." + parts[i];
    }
    return leaf(name, key);
  }

  /** {@code BACKSPIN_REVERSE_MAX_FRAME_BYTES} to {@code reverse.maxFrameBytes}, or null (warned) if no key. */
  private String keyOfVariable(String name) {
    List<String> found = new ArrayList<>();
    match("", name.substring(ENV_PREFIX.length()), found);
    if (found.isEmpty()) {
      return unknown(name);
    }
    if (found.size() > 1) {
      warnings.add("environment variable " + name + " is ignored: it could set any of " + String.join(", ", found));
      return null;
    }
    return leaf(name, found.get(0));
  }

  /** Every key in {@code section} and below whose upper-snake path is {@code rest}. */
  private void match(String section, String rest, List<String> found) {
    Set<String> keys = schema.keysOf(section);
    if (keys == null) {
      return;
    }
    for (String key : keys) {
      String snake = upperSnake(key);
      String path = section.isEmpty() ? key : section + "." + key;
      if (rest.equals(snake)) {
        found.add(path);
      } else if (rest.startsWith(snake + "_")) {
        match(path, rest.substring(snake.length() + 1), found);
      }
    }
  }

  /** A key, not a section: sections are set key by key. */
  private String leaf(String name, String key) {
    Set<String> keys = schema.keysOf(key);
    if (keys != null) {
      String first = keys.iterator().next();
      String example = name.startsWith(ENV_PREFIX) ? name + "_" + upperSnake(first) : name + "." + first;
      warnings.add(name + " is ignored: " + key + " is a section; set its keys, e.g. " + example);
      return null;
    }
    return key;
  }

  private String unknown(String name) {
    warnings.add((name.startsWith(ENV_PREFIX) ? "environment variable " : "system property ") + name
      + " is ignored: it names no config key (see the README's Config section)");
    return null;
  }

  /** {@code maxFrameBytes} to {@code MAX_FRAME_BYTES}. */
  static String upperSnake(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static Object typed(String raw) {
    if (raw.startsWith("[")) {
      try {
        return new JsonArray(raw); // a list, written as JSON: ["a", "b"]
      } catch (DecodeException notJson) {
        return raw;
      }
    }
    if (NUMBER.matcher(raw).matches()) {
      BigDecimal d = new BigDecimal(raw);
      try {
        return d.longValueExact();
      } catch (ArithmeticException notALong) {
        return d; // a fraction or a huge number: the parser names it in full
      }
    }
    if (raw.equals("true") || raw.equals("false")) {
      return Boolean.valueOf(raw);
    }
    return raw;
  }

  private static void put(JsonObject json, String key, Object value) {
    String[] parts = key.split("\\.");
    JsonObject at = json;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = at.getValue(parts[i]);
      if (next == null) {
        next = new JsonObject();
        at.put(parts[i], next);
      } else if (!(next instanceof JsonObject)) {
        return; // the file's value is no object: its parser says so, naming the file's key
      }
      at = (JsonObject) next;
    }
    at.put(parts[parts.length - 1], value);
  }

  private static Object value(JsonObject json, String key) {
    Object at = json;
    for (String part : key.split("\\.")) {
      if (!(at instanceof JsonObject o)) {
        return null;
      }
      at = o.getValue(part);
    }
    return at;
  }
}
