package dev.backspin.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad options end the fanout command with 2 and a reason, before any connection; addresses are HOST:PORT. */
class FanoutCommandTest {

  private record Run(int exit, String err) {
  }

  private static Run fanout(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit = new CommandLine(new FanoutCommand(new PrintStream(new ByteArrayOutputStream()), e)).setErr(new java.io.PrintWriter(e, true))
      .execute(args);
    return new Run(exit, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badOptionsExitTwoWithTheReason() {
    assertThat(fanout("--receive", "127.0.0.1:1").exit()).as("no --send").isEqualTo(2);
    assertThat(fanout("--send", "127.0.0.1", "--receive", "127.0.0.1:1")).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("need HOST:PORT, got \"127.0.0.1\"");
    });
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:70000").err()).contains("port must be 1..65535, got 70000");
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:1", "--senders", "0").exit()).isEqualTo(2);
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:1", "--line-bytes", "35").err()).contains("line bytes must be 36..65536");
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:1", "--rate", "-1").err()).contains("rate must be 0 or more");
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:1", "--duration", "0").exit()).isEqualTo(2);
    assertThat(fanout("--send", "127.0.0.1:1", "--receive", "127.0.0.1:1", "--deadline", "15").err())
      .as("2 s warm-up + 10 s + 5 s drain do not fit in 15 s").contains("the deadline must leave time");
  }

  @Test
  void anAddressIsHostColonPortAnIpv6HostInBrackets() {
    assertThat(Fanout.Address.parse("127.0.0.1:9291")).isEqualTo(new Fanout.Address("127.0.0.1", 9291));
    Fanout.Address v6 = Fanout.Address.parse("[::1]:9292");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6).hasToString("[::1]:9292");
    for (String bad : new String[] {"localhost", ":80", "host:", "host:x", "host:0"}) {
      assertThatThrownBy(() -> Fanout.Address.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
