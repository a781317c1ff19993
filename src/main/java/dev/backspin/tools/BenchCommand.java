package dev.backspin.tools;

import dev.backspin.framing.Framing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: N connections, request/response or streaming, every reply checked, latency
 * percentiles from HdrHistogram. One event loop, so it leaves the other cores to the server.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
  description = "Load a Backspin service and check every reply.")
public final class BenchCommand implements Callable<Integer> {

  /** Connections per source address: the ephemeral ports of one address run out near 28k. */
  private static final int PER_SOURCE = 20_000;

  enum Mode { RR, STREAM }

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
  String host;
  @Option(names = "--port", required = true, description = "server port")
  int port;
  @Option(names = "--connections", defaultValue = "1", description = "connections (default: ${DEFAULT-VALUE})")
  int connections;
  @Option(names = "--size", defaultValue = "64", description = "bytes per message on the wire (default: ${DEFAULT-VALUE})")
  int size;
  @Option(names = "--duration", defaultValue = "10", description = "seconds measured, after the warm-up (default: ${DEFAULT-VALUE})")
  int duration;
  @Option(names = "--warmup", defaultValue = "1", description = "seconds of load before measuring (default: ${DEFAULT-VALUE})")
  int warmup;
  @Option(names = "--mode", defaultValue = "rr", description = "rr (one message in flight per connection) or stream (default: ${DEFAULT-VALUE})")
  Mode mode;
  @Option(names = "--window", defaultValue = "262144", description = "stream: bytes in flight per connection (default: ${DEFAULT-VALUE})")
  long window;
  @Option(names = "--rate", defaultValue = "0", description = "rr: messages per second per connection, latency timed from when each was due; "
    + "0 means as fast as replies come, latency timed from the send (default: ${DEFAULT-VALUE})")
  double rate;
  @Option(names = "--framing", defaultValue = "line", description = "line, length or raw (default: ${DEFAULT-VALUE})")
  Framing framing;
  @Option(names = "--expect", defaultValue = "reverse", description = "reverse or echo (default: ${DEFAULT-VALUE})")
  BenchMessage.Expect expect;
  @Option(names = "--json", description = "also write the result as JSON to this file")
  Path json;
  @Option(names = "--grace", defaultValue = "5", description = "seconds to wait at the end for the replies still owed; "
    + "one that has not come by then is lost (default: ${DEFAULT-VALUE})")
  int grace;

  /** Problems printed on stderr, at most; the counters have them all. */
  private static final int COMPLAINTS = 20;

  private final PrintStream out;
  private final PrintStream err;
  private int complaints;
  // a field: Vert.x 5 closes a NetClient that the garbage collector finds unreferenced
  private final List<NetClient> clients = new ArrayList<>();

  public BenchCommand() {
    this(System.out, System.err);
  }

  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || duration < 1 || warmup < 0 || grace < 0 || rate < 0) {
      err.println("--connections and --duration must be at least 1, --warmup, --grace and --rate at least 0");
      return 2;
    }
    BenchMessage message = BenchMessage.of(framing, size, expect, new Random(size));
    Vertx vertx = ToolVertx.oneEventLoop();
    try {
      JsonObject result = run(vertx, message).await(connectTimeoutSeconds() + warmup + duration + grace + 60L, TimeUnit.SECONDS);
      out.print(BenchStats.table(result));
      if (json != null) {
        Files.writeString(json, result.encodePrettily(), StandardCharsets.UTF_8);
      }
      boolean clean = result.getLong("mismatches") == 0 && result.getLong("excess") == 0 && result.getLong("lost") == 0
        && result.getLong("errors") == 0 && result.getInteger("connected") == connections;
      return clean ? 0 : 3;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private int connectTimeoutSeconds() {
    return 30 + connections / 1000;
  }

  private Future<JsonObject> run(Vertx vertx, BenchMessage message) {
    BenchStats stats = new BenchStats();
    int sources = (connections + PER_SOURCE - 1) / PER_SOURCE;
    for (int s = 0; s < sources; s++) {
      clients.add(vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout(connectTimeoutSeconds() * 1000).setLocalAddress(sources == 1 ? null : "127.0.0." + (s + 1))));
    }
    Promise<JsonObject> done = Promise.promise();
    vertx.runOnContext(v -> connectAll(vertx, clients, message, stats).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      List<BenchConnection> conns = ar.result();
      long period = rate > 0 ? (long) (1e9 / rate) : 0;
      long now = System.nanoTime();
      Random offsets = new Random();
      for (BenchConnection c : conns) {
        c.start(period > 0 ? RequestClock.atRate(period, now, RequestClock.randomOffset(offsets, period)) : RequestClock.closedLoop());
      }
      vertx.setTimer(Math.max(1, warmup * 1000L), w -> {
        stats.startMeasuring();
        long start = System.nanoTime();
        long progress = vertx.setPeriodic(1000, p -> progressLine(stats, start));
        vertx.setTimer(duration * 1000L, t -> {
          double seconds = (System.nanoTime() - start) / 1e9;
          stats.measuring = false;
          vertx.cancelTimer(progress);
          drain(vertx, conns, stats).onComplete(d -> done.complete(stats.toJson(mode.name().toLowerCase(Locale.ROOT), connections, size, seconds)));
        });
      });
    }));
    return done.future();
  }

  /** Stops sending, and waits up to the grace time for the replies still owed: those not in by then are lost. */
  private Future<Void> drain(Vertx vertx, List<BenchConnection> conns, BenchStats stats) {
    Promise<Void> settled = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, grace * 1000L), g -> settled.tryComplete());
    // finish() never fails: join completes when every connection has its replies or has closed
    Future.join(conns.stream().map(BenchConnection::finish).toList()).onComplete(all -> settled.tryComplete());
    return settled.future().onComplete(s -> {
      vertx.cancelTimer(timer);
      for (BenchConnection c : conns) {
        stats.lost += c.abandon();
      }
      if (stats.lost > 0) {
        complain(stats.lost + " replies still owed " + grace + " s after the end: lost");
      }
    });
  }

  /**
   * Opens every connection, at most 512 connects in flight, spread over the source addresses. Each
   * connection is checked from its connect on: a server that refuses it or closes it early is seen.
   */
  private Future<List<BenchConnection>> connectAll(Vertx vertx, List<NetClient> clients, BenchMessage message, BenchStats stats) {
    Promise<List<BenchConnection>> all = Promise.promise();
    List<BenchConnection> conns = new ArrayList<>();
    int[] next = {0};
    int[] pending = {0};
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      while (pending[0] < 512 && next[0] < connections) {
        int i = next[0]++;
        pending[0]++;
        clients.get(i / PER_SOURCE).connect(port, host).onComplete(ar -> {
          pending[0]--;
          if (ar.succeeded()) {
            conns.add(new BenchConnection(vertx, ar.result(), i, message, stats, mode == Mode.STREAM, window, this::complain));
            stats.connected++;
          } else {
            stats.errors++;
            complain("connect failed: " + ar.cause().getMessage());
          }
          if (next[0] == connections && pending[0] == 0) {
            all.complete(conns);
          } else {
            more[0].run();
          }
        });
      }
    };
    more[0].run();
    return all.future();
  }

  private void progressLine(BenchStats s, long start) {
    double t = (System.nanoTime() - start) / 1e9;
    String p99 = s.latency.getTotalCount() == 0 ? "–" : String.format(Locale.ROOT, "%,d", s.latency.getValueAtPercentile(99));
    err.printf(Locale.ROOT, "%5.1f s  %,10d msg/s  %8.1f MB/s in  p99 %8s µs  open %d  mismatches %d  excess %d  errors %d%n",
      t, Math.round(s.messages / t), s.bytesIn / t / 1e6, p99, s.open, s.mismatches, s.excess, s.errors);
  }

  /** On the event loop only. */
  private void complain(String problem) {
    if (complaints < COMPLAINTS) {
      err.println(problem);
    } else if (complaints == COMPLAINTS) {
      err.println("(more problems not shown: see the counts at the end)");
    }
    complaints++;
  }
}
