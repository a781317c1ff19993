package dev.backspin.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFieldsTest {

  private static JsonFields fields(String json) {
    return new JsonFields(new JsonObject(json), "svc");
  }

  @Test
  void keysArePrefixedWithTheirSection() {
    assertThat(new JsonFields(new JsonObject(), "").key("port")).isEqualTo("port");
    assertThat(new JsonFields(new JsonObject(), "reverse").key("port")).isEqualTo("reverse.port");
  }

  @Test
  void intInTakesTheDefaultForAnAbsentOrNullKey() {
    assertThat(fields("{}").intIn("n", 7, 0, 10)).isEqualTo(7);
    assertThat(fields("{\"n\": null}").intIn("n", 7, 0, 10)).isEqualTo(7);
  }

  @Test
  void intInTakesWholeNumbersInRange() {
    assertThat(fields("{\"n\": 0}").intIn("n", 7, 0, 10)).isZero();
    assertThat(fields("{\"n\": 10}").intIn("n", 7, 0, 10)).isEqualTo(10);
    assertThat(fields("{\"n\": 3.0}").intIn("n", 7, 0, 10)).isEqualTo(3);
  }

  @Test
  void intInRejectsEverythingElse() {
    assertThatThrownBy(() -> fields("{\"n\": 11}").intIn("n", 7, 0, 10)).hasMessage("svc.n must be 0..10, got 11");
    assertThatThrownBy(() -> fields("{\"n\": 4294967296}").intIn("n", 7, 0, 10)).hasMessage("svc.n must be 0..10, got 4294967296");
    assertThatThrownBy(() -> fields("{\"n\": 2.5}").intIn("n", 7, 0, 10)).hasMessage("svc.n must be an integer 0..10, got 2.5");
    assertThatThrownBy(() -> fields("{\"n\": \"3\"}").intIn("n", 7, 0, 10)).hasMessage("svc.n must be an integer 0..10, got \"3\"");
    assertThatThrownBy(() -> fields("{\"n\": false}").intIn("n", 7, 0, 10)).hasMessage("svc.n must be an integer 0..10, got false");
    assertThatThrownBy(() -> fields("{\"n\": {}}").intIn("n", 7, 0, 10)).isInstanceOf(ConfigException.class);
  }

  /*
   * Was a bug (fixed), JsonFields.java:41: ((Number) v).longValue() wraps a BigInteger modulo 2^64.
   * Jackson reads integers past Long.MAX_VALUE as BigInteger, so "port": 18446744073709560706
   * (2^64 + 9090) is accepted as port 9090, and 2^64 as port 0. Expected: rejected.
   */
  @Test
  
  void regressionAnIntegerPast64BitsWrapsIntoRange() {
    BigInteger wraps = BigInteger.TWO.pow(64).add(BigInteger.valueOf(9090));
    JsonFields f = new JsonFields(new JsonObject().put("port", wraps), "reverse");
    assertThatThrownBy(() -> f.intIn("port", 1, 0, 65535)).isInstanceOf(ConfigException.class)
      .hasMessage("reverse.port must be 0..65535, got 18446744073709560706");
  }

  /*
   * Was a bug (fixed), JsonFields.java:41-43: a whole double past Long.MAX_VALUE is rejected, but the
   * message reports Long.MAX_VALUE (longValue() saturates) instead of the value in the file.
   */
  @Test
  
  void regressionAHugeDoubleIsReportedAsLongMax() {
    assertThatThrownBy(() -> fields("{\"n\": 1e20}").intIn("n", 7, 0, 10)).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("svc.n must be 0..10, got ")
      .hasMessageNotContaining("9223372036854775807");
  }

  @Test
  void stringMustBeNonBlankText() {
    assertThat(fields("{}").string("s", "d")).isEqualTo("d");
    assertThat(fields("{\"s\": \"x\"}").string("s", "d")).isEqualTo("x");
    assertThatThrownBy(() -> fields("{\"s\": \" \"}").string("s", "d")).hasMessage("svc.s must be a non-empty string, got \" \"");
    assertThatThrownBy(() -> fields("{\"s\": 1}").string("s", "d")).hasMessage("svc.s must be a non-empty string, got 1");
  }

  @Test
  void oneOfTakesTheLowerCaseNamesOnly() {
    assertThat(fields("{}").oneOf("t", TransportKind.class, TransportKind.NIO)).isEqualTo(TransportKind.NIO);
    assertThat(fields("{\"t\": \"io_uring\"}").oneOf("t", TransportKind.class, TransportKind.NIO)).isEqualTo(TransportKind.IO_URING);
    assertThatThrownBy(() -> fields("{\"t\": \"Auto\"}").oneOf("t", TransportKind.class, TransportKind.NIO))
      .isInstanceOf(ConfigException.class)
      .hasMessage("svc.t must be one of \"epoll\", \"io_uring\", \"nio\", \"auto\", got \"Auto\"");
  }

  @Test
  void objectMustBeAnObject() {
    assertThat(fields("{}").object("o")).isNull();
    assertThat(fields("{\"o\": {\"a\": 1}}").object("o")).isEqualTo(new JsonObject().put("a", 1));
    JsonFields f = new JsonFields(new JsonObject().put("o", new JsonArray().add(1)), "svc");
    assertThatThrownBy(() -> f.object("o")).isInstanceOf(ConfigException.class).hasMessage("svc.o must be an object, got [1]");
  }

  @Test
  void warnUnknownNamesEachUnknownKeyOnce() {
    List<String> warnings = new ArrayList<>();
    fields("{\"a\": 1, \"zz\": 2, \"b\": 3}").warnUnknown(new LinkedHashSet<>(List.of("a", "b")), warnings::add);
    assertThat(warnings).containsExactly("unknown config key 'svc.zz' is ignored (known keys: a, b)");
  }
}
