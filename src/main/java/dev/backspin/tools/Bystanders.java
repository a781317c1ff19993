package dev.backspin.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A new, well-behaved client every {@code interval}, while something else loads the server: each
 * connects, sends one short line, expects exactly its byte reversal and {@code \n}, and closes.
 * A visit is timed from its connect to the last byte of its reply; one slower than
 * {@code timeout}, wrong or missing is a failure ({@link BystanderStats}). A visit gives up after
 * {@link #patience} (five timeouts, at least 10 s), so a stalled server's worst case is still
 * measured, and the visits run on threads of their own, so a slow one does not delay the next.
 */
public final class Bystanders implements AutoCloseable {

  private final InetSocketAddress server;
  private final Duration interval;
  private final Duration patience;
  private final BystanderStats stats;
  private final AtomicInteger visits = new AtomicInteger();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bystander-clock"));
  private final ExecutorService visitors = Executors.newCachedThreadPool(r -> daemon(r, "bystander"));
  private ScheduledFuture<?> schedule;

  public Bystanders(String host, int port, Duration interval, Duration timeout) {
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("interval and timeout must be positive");
    }
    this.server = new InetSocketAddress(host, port);
    this.interval = interval;
    this.patience = patience(timeout);
    this.stats = new BystanderStats(timeout.toNanos() / 1000);
  }

  /** How long a visit waits for its answer before it counts it missing. */
  static Duration patience(Duration timeout) {
    Duration five = timeout.multipliedBy(5);
    return five.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : five;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the visits: the first at once, then one every interval. */
  public synchronized Bystanders start() {
    if (schedule == null) {
      schedule = clock.scheduleAtFixedRate(() -> visitors.execute(this::visit), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }
    return this;
  }

  /** Stops the visits and waits for those under way (each gives up by its patience); returns what they saw. */
  public synchronized BystanderStats stop() throws InterruptedException {
    if (schedule != null) {
      schedule.cancel(false);
    }
    clock.shutdown();
    clock.awaitTermination(5, TimeUnit.SECONDS);
    visitors.shutdown();
    if (!visitors.awaitTermination(patience.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
      visitors.shutdownNow();
    }
    return stats;
  }

  public BystanderStats stats() {
    return stats;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void visit() {
    int n = visits.getAndIncrement();
    byte[] payload = ("bystander " + n + " of the flood").getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(payload, payload.length + 1);
    request[payload.length] = '\n';
    byte[] expected = new byte[request.length];
    FloodLines.reply(request, request.length, expected);
    long start = System.nanoTime();
    long giveUp = start + patience.toNanos();
    byte[] got = new byte[expected.length];
    int have = 0;
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(server, (int) patience.toMillis());
      s.getOutputStream().write(request);
      InputStream in = s.getInputStream();
      while (have < got.length) {
        long left = giveUp - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException();
        }
        s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        int r = in.read(got, have, got.length - have);
        if (r < 0) {
          break;
        }
        have += r;
        if (Arrays.mismatch(got, 0, have, expected, 0, have) >= 0) {
          break; // wrong already: no need to wait for the rest
        }
      }
      long micros = (System.nanoTime() - start) / 1000;
      boolean ok = have == got.length && Arrays.equals(got, expected);
      String problem = ok ? null : have == 0 ? "visit " + n + ": closed with no answer"
        : "visit " + n + ": got \"" + FloodTally.show(got, 0, have) + "\"" + (have < got.length ? " then the end" : "");
      stats.record(micros, have > 0, ok, problem);
    } catch (SocketTimeoutException e) {
      stats.record((System.nanoTime() - start) / 1000, false, false,
        "visit " + n + ": no answer within " + patience.toMillis() + " ms" + (have > 0 ? " (got \"" + FloodTally.show(got, 0, have) + "\")" : ""));
    } catch (IOException e) {
      stats.record((System.nanoTime() - start) / 1000, false, false, "visit " + n + ": " + e);
    }
  }
}
