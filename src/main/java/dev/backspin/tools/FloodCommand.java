package dev.backspin.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The memory flood: many clients push megabytes each while reading nothing, a bystander checks
 * the server still answers newcomers in time, then every client reads back and checks every byte.
 * Exits 0 only if every byte was verified and every bystander was answered in time, 3 otherwise.
 */
@Command(name = "flood", mixinStandardHelpOptions = true,
  description = "Flood a reverse service with clients that send and do not read; check every reply and a bystander's latency.")
public final class FloodCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
  String host;
  @Option(names = "--port", required = true, description = "port of a reverse service with line framing")
  int port;
  @Option(names = "--clients", defaultValue = "400", description = "connections that flood (default: ${DEFAULT-VALUE})")
  int clients;
  @Option(names = "--bytes", defaultValue = "2097152", description = "bytes each client sends, in ~1 KiB lines (default: ${DEFAULT-VALUE})")
  long bytes;
  @Option(names = "--hold", defaultValue = "25", description = "seconds the clients read nothing, once all are connected (default: ${DEFAULT-VALUE})")
  double hold;
  @Option(names = "--bystander-interval", defaultValue = "0.5", description = "seconds between bystander connections (default: ${DEFAULT-VALUE})")
  double bystanderInterval;
  @Option(names = "--bystander-timeout", defaultValue = "2", description = "seconds a bystander may wait for its answer (default: ${DEFAULT-VALUE})")
  double bystanderTimeout;
  @Option(names = "--deadline", defaultValue = "120", description = "seconds for the whole run, read-back included (default: ${DEFAULT-VALUE})")
  double deadline;
  @Option(names = "--server-pid", description = "sample this process's RSS and heap in use about once a second")
  Long serverPid;
  @Option(names = "--seed", defaultValue = "1", description = "seed of the lines' filler (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--client-rcvbuf", defaultValue = "0", description = "each flooding client's socket receive buffer in bytes; "
    + "0: the system's, which on loopback takes megabytes of replies off the server (default: ${DEFAULT-VALUE})")
  int clientReceiveBuffer;
  @Option(names = "--json", description = "also write the result as JSON to this file")
  Path json;

  private final PrintStream out;
  private final PrintStream err;

  public FloodCommand() {
    this(System.out, System.err);
  }

  FloodCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    Flood.Options options;
    try {
      options = new Flood.Options(host, port, clients, bytes, Seconds.of(hold), Seconds.of(bystanderInterval), Seconds.of(bystanderTimeout),
        Seconds.of(deadline), serverPid, seed, clientReceiveBuffer);
      if (bystanderInterval <= 0 || bystanderTimeout <= 0) {
        throw new IllegalArgumentException("--bystander-interval and --bystander-timeout must be positive");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    FloodResult result = Flood.run(options, err);
    out.print(result.summary());
    if (json != null) {
      Files.writeString(json, result.toJson().encodePrettily(), StandardCharsets.UTF_8);
    }
    return result.clean() ? 0 : 3;
  }
}
