package dev.backspin.config;

/** An invalid configuration value. The message names the key and what is allowed. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
