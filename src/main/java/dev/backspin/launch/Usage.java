package dev.backspin.launch;

import picocli.CommandLine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code java -jar backspin.jar --help} prints: Backspin's own launch forms and flags, then
 * its commands. Vert.x's launcher would describe a generic application with a
 * {@code <mainVerticle>} to name, which the jar's manifest already names.
 */
final class Usage {

  private static final List<String> HELP = List.of("-h", "-help", "--help");

  private Usage() {
  }

  /** Whether the server's command line asks for help, where the launcher would have seen it. */
  static boolean asked(String[] args) {
    for (String a : args) {
      if (HELP.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The text; each command's line is the first line of its own description, so the two agree. */
  static String text(Map<String, Supplier<Object>> commands) {
    StringBuilder s = new StringBuilder("""
      Usage: java -jar backspin.jar -conf FILE|JSON [-cluster] [-instances N] [OPTIONS]
             java -jar backspin.jar COMMAND [COMMAND OPTIONS]
             java -cp backspin.jar io.vertx.core.Launcher run dev.backspin.BackspinVerticle -conf FILE|JSON [OPTIONS]

      Runs the Backspin server: the reverse, echo and broadcast services its config sets up.

      Server options:
        -conf FILE|JSON          the config: a JSON file (see conf/config.json) or JSON text
        -cluster                 join a Hazelcast cluster, as the config's "cluster" section says
        -cluster-host HOST       the event bus's host in the cluster (default: the cluster manager's choice)
        -cluster-port PORT       the event bus's port (default: a free one)
        -cluster-public-host HOST, -cluster-public-port PORT
                                 what other nodes are told to reach, where it differs (NAT)
        -instances N             N front instances for every service (not N copies of the server)
        -options FILE|JSON       Vert.x options (the legacy form needs conf/vertx-options.json for epoll)
        --startup-timeout-seconds S, --deployment-timeout-seconds S, --shutdown-timeout-seconds S
                                 the launcher's limits (default 120; also VERTX_STARTUP_TIMEOUT_SECONDS, ...)
        -h, -help, --help        this help

      Overrides of config keys (a property wins over a variable, both over -conf):
        -Dbackspin.KEY=VALUE     the key as written: java -Dbackspin.reverse.maxFrameBytes=1024 -jar ...
        BACKSPIN_KEY=VALUE       upper case, _ between words: BACKSPIN_REVERSE_MAX_FRAME_BYTES=1024
        BACKSPIN_LOG=JSON        log JSON lines (or -Dbackspin.log=JSON)

      Commands:
      """);
    commands.forEach((name, command) -> {
      String[] description = new CommandLine(command.get()).getCommandSpec().usageMessage().description();
      s.append(String.format(Locale.ROOT, "  %-8s %s%n", name, description.length == 0 ? "" : description[0]));
    });
    s.append("\nRun 'java -jar backspin.jar COMMAND --help' for a command's options.\n");
    return s.toString();
  }
}
