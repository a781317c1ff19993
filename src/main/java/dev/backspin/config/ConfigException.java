package dev.backspin.config;

/** An invalid configuration value. The message names the key and what is allowed. */
public final class ConfigException extends RuntimeException {

  private final String key;
  private final String problem;

  public ConfigException(String message) {
    super(message);
    this.key = null;
    this.problem = null;
  }

  /** A bad value of {@code key}; the message is the key, then {@code problem} ("must be ..."). */
  public ConfigException(String key, String problem) {
    this(key + " " + problem, key, problem);
  }

  private ConfigException(String message, String key, String problem) {
    super(message);
    this.key = key;
    this.problem = problem;
  }

  /** The dotted key whose value is bad, or null when the problem is not one key's. */
  public String key() {
    return key;
  }

  /** The same problem, said of the variable that set the key: {@code VAR (key) must be ...}. */
  ConfigException from(String variable) {
    return new ConfigException(variable + " (" + key + ") " + problem, key, problem);
  }
}
