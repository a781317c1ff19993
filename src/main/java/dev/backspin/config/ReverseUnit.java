package dev.backspin.config;

/** What the reverse service reverses: single bytes, or UTF-8 code points. */
public enum ReverseUnit {
  BYTE,
  CODEPOINT
}
