package dev.backspin.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The broadcast fan-out: senders on one address, receivers on several (other nodes of a cluster),
 * every line timed from its send to each delivery and checked for order, gaps and duplicates.
 * Exits 0 only if every line reached every receiver once, in order, within the drain; 3 otherwise.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
  description = "Measure a broadcast service's fan-out: lines/s delivered and send-to-delivery latency per receive address, every line checked.")
public final class FanoutCommand implements Callable<Integer> {

  @Option(names = "--send", required = true, paramLabel = "HOST:PORT", description = "the broadcast port the senders connect to")
  String send;
  @Option(names = "--receive", required = true, paramLabel = "HOST:PORT",
    description = "a broadcast port the receivers connect to, on this node or another; repeat for more")
  List<String> receive;
  @Option(names = "--senders", defaultValue = "4", description = "sending connections (default: ${DEFAULT-VALUE})")
  int senders;
  @Option(names = "--receivers", defaultValue = "4", description = "receiving connections per receive address (default: ${DEFAULT-VALUE})")
  int receivers;
  @Option(names = "--rate", defaultValue = "0", description = "lines a second from all senders together; "
    + "0: as fast as the server takes them, paced by TCP back-pressure (default: ${DEFAULT-VALUE})")
  double rate;
  @Option(names = "--duration", defaultValue = "10", description = "seconds measured, after the warm-up (default: ${DEFAULT-VALUE})")
  double duration;
  @Option(names = "--warmup", defaultValue = "2", description = "seconds of sending before measuring (default: ${DEFAULT-VALUE})")
  double warmup;
  @Option(names = "--drain", defaultValue = "5", description = "seconds the receivers have, once the senders stop, "
    + "for the lines still on their way; one not in by then is lost (default: ${DEFAULT-VALUE})")
  double drain;
  @Option(names = "--line-bytes", defaultValue = "100", description = "bytes per line, \\n included (default: ${DEFAULT-VALUE})")
  int lineBytes;
  @Option(names = "--deadline", defaultValue = "60", description = "seconds for the whole run, connecting and drain included (default: ${DEFAULT-VALUE})")
  double deadline;
  @Option(names = "--json", description = "also write the result as JSON to this file")
  Path json;

  private final PrintStream out;
  private final PrintStream err;

  public FanoutCommand() {
    this(System.out, System.err);
  }

  FanoutCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    Fanout.Options options;
    try {
      options = new Fanout.Options(Fanout.Address.parse(send), receive.stream().map(Fanout.Address::parse).toList(), senders,
        receivers, rate, Seconds.of(warmup), Seconds.of(duration), Seconds.of(drain), lineBytes, Seconds.of(deadline));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    FanoutResult result = Fanout.run(options, err);
    out.print(result.summary());
    if (json != null) {
      Files.writeString(json, result.toJson().encodePrettily(), StandardCharsets.UTF_8);
    }
    return result.clean() ? 0 : 3;
  }
}
