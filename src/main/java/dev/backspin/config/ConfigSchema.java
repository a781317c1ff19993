package dev.backspin.config;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which keys the config has, learnt from the parsers themselves rather than from a list of its
 * own: every section's parser declares its keys (through {@link JsonFields#warnUnknown}), so a key
 * added to a parser later is known here with no change. Asked about a section, it parses a
 * config in which only that section is present (empty, with its parents) and notes the keys each
 * parser declared on the way. No files, sockets or environment are read.
 */
final class ConfigSchema {

  private final Map<String, Set<String>> sections = new HashMap<>();
  private final Set<String> notSections = new java.util.HashSet<>();

  /** The keys of the section at a dotted path ("" is the top level), or null when it is no section. */
  Set<String> keysOf(String section) {
    if (sections.containsKey(section)) {
      return sections.get(section);
    }
    if (notSections.contains(section)) {
      return null;
    }
    JsonObject probe = new JsonObject();
    JsonObject at = probe;
    if (!section.isEmpty()) {
      for (String name : section.split("\\.")) {
        JsonObject next = new JsonObject();
        at.put(name, next);
        at = next;
      }
    }
    Map<String, Set<String>> seen = new HashMap<>();
    JsonFields.KEYS_SEEN.set(seen::put);
    try {
      BackspinConfig.fromJson(probe);
    } catch (ConfigException e) {
      // an empty section may lack a required key (tls.certPath), or a leaf given {} is no object:
      // a parser declares its keys before it reads them, so what was seen still holds
    } finally {
      JsonFields.KEYS_SEEN.remove();
    }
    seen.forEach(sections::putIfAbsent);
    if (!sections.containsKey(section)) {
      notSections.add(section);
    }
    return sections.get(section);
  }
}
