package dev.backspin.it;

import dev.backspin.support.Bystander;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LiveHeapSampler;
import dev.backspin.support.ProcessMemory;
import dev.backspin.support.Scrape;
import dev.backspin.tools.BystanderStats;
import dev.backspin.tools.Bystanders;
import dev.backspin.tools.Flood;
import dev.backspin.tools.FloodResult;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Invariant 0, bounds per process (issue 13): what every connection may hold, times the
 * connections, is far more than the heap, so a server-wide budget must decide who reads. Each
 * test runs the fat jar under {@code -Xmx256m} (a budget of 64 MiB by default) and misbehaves
 * with many clients at once: a flood of clients that send and never read, a storm of partial
 * frames, and broadcast receivers that never read a sender of tiny frames. Throughout, newcomers
 * must still be served within 2 s, the server must not run out of memory, and what came back
 * must be exactly what is owed. Run once, on the default transport (epoll): the budget is the
 * front's policy, not a transport's.
 *
 * <p>To show a test fails on older code: {@code -Dbackspin.it.jar=OLD.jar}, and, since older code
 * logs no budget, {@code -Dbackspin.it.assumeBudgetBytes=67108864}. On the code before the budget
 * (2026-12-01, this 2-core machine), the flood and the partial frames did not run it out of
 * memory nor keep a newcomer waiting 2 s (worst 1.4–1.9 s and 0.4–1.0 s): loopback's kernel
 * buffers take a flood client's 2 MiB whole, so the heap fills only for the first seconds. What
 * gave them away is the live heap, up 153–161 MiB and 141 MiB over the budget of 64 MiB; hence
 * the live-heap checks. Broadcast went to 77–97 MiB live after 4–5 MiB sent, no receiver cut off.
 */
class MemoryBudgetIT {

  /**
   * Flooding clients. The issue asked for 400; on this machine loopback's kernel buffers
   * (tcp_rmem up to 32 MiB) take each one's 2 MiB off the server's hands, and 400 do not press
   * even the server before the budget. 1,500, the number of the issue's own measurement, do: it
   * ran out of heap (4 OutOfMemoryError), answered no newcomer for 10 s and finished no client.
   */
  private static final int FLOOD_CLIENTS = 1500;
  private static final Logger log = LoggerFactory.getLogger(MemoryBudgetIT.class);
  private static final Duration START = Duration.ofSeconds(30);
  private static final Pattern BUDGET = Pattern.compile("memory budget: .*\\((\\d+) bytes\\)");
  private static final Pattern HTTP = Pattern.compile("operations endpoint on http://[^:]+:(\\d+)/");
  private static final long MiB = 1 << 20;
  private static final Duration BYSTANDER_INTERVAL = Duration.ofMillis(500);
  private static final Duration BYSTANDER_TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private JarProcess server(String config) throws IOException {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, config);
    return JarProcess.start(List.of("-Xmx256m", "-jar", JarProcess.JAR.toString(), "-conf", conf.toString()));
  }

  /** The budget the server's start-up log names; an older jar logs none: see the class comment. */
  private static long budget(JarProcess server) throws InterruptedException {
    try {
      return Long.parseLong(server.awaitLineEver(BUDGET, Duration.ofSeconds(5)).group(1));
    } catch (AssertionError missing) {
      String assumed = System.getProperty("backspin.it.assumeBudgetBytes");
      if (assumed == null) {
        throw missing;
      }
      log.warn("the server logged no memory budget: assuming {} bytes (backspin.it.assumeBudgetBytes)", assumed);
      return Long.parseLong(assumed);
    }
  }

  private static void assertUpWithoutOom(SoftAssertions soft, JarProcess server) {
    soft.assertThat(server.alive()).as("the server is still running").isTrue();
    soft.assertThat(server.output()).as("the server's output").doesNotContain("OutOfMemoryError");
  }

  private static void assertAnsweredInTime(SoftAssertions soft, BystanderStats b, long atLeast) {
    soft.assertThat(b.visits()).as("bystander visits").isGreaterThanOrEqualTo(atLeast);
    soft.assertThat(b.failures()).as("bystander visits slower than %s, wrong or missing (first: %s); %s", BYSTANDER_TIMEOUT,
      b.firstProblem(), b.summary()).isZero();
  }

  /** Progress lines of the in-process flood, into this test's log. */
  private static PrintStream logLines() {
    return new PrintStream(new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        if (b == '\n') {
          log.info("flood: {}", line.toString(StandardCharsets.UTF_8).trim());
          line.reset();
        } else {
          line.write(b);
        }
      }
    }, true, StandardCharsets.UTF_8);
  }

  /**
   * 1,500 clients ({@link #FLOOD_CLIENTS}) each push 2 MiB of distinct lines (3 GiB in all, twelve heaps' worth) and read
   * nothing for 25 s; a newcomer connects every 0.5 s and must be answered within 2 s. Then every
   * client reads back and checks every byte of its replies (the flood driver regenerates them).
   * The server's live heap is sampled (a full GC, about once a second) from before the first
   * connect: what the flood adds to it must stay under the budget.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aFloodOfClientsThatDoNotReadStaysInTheBudgetAndEveryByteComesBack() throws Exception {
    try (JarProcess server = server("{\"transport\": \"epoll\", \"drainSeconds\": 0, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}")) {
      int port = server.awaitReversePort(START);
      long budget = budget(server);
      long baseline = ProcessMemory.liveHeapBytes(server.pid());
      Flood.Options options = Flood.Options.defaults(port).withClients(FLOOD_CLIENTS, 2 * MiB)
        .withHold(Duration.ofSeconds(25), Duration.ofSeconds(110)).withServerPid(server.pid());
      FloodResult r;
      List<LiveHeapSampler.Sample> heap;
      String heapProblem;
      try (LiveHeapSampler sampler = LiveHeapSampler.start(server.pid(), 1000)) {
        r = Flood.run(options, logLines());
        sampler.close();
        heap = sampler.samples();
        heapProblem = sampler.problem();
      }
      long maxLive = heap.stream().mapToLong(LiveHeapSampler.Sample::bytes).max().orElse(-1);
      BystanderStats b = r.bystander();
      log.info("flood of {} x 2 MiB: {} of {} bytes verified, {} clients failed; bystander {} visits, p99 {} µs, worst {} µs, "
          + "{} failed; server peak heap in use {} MiB (no GC forced), peak RSS {} MiB; live heap {} MiB before, at most {} MiB "
          + "in {} samples (budget {} MiB)", FLOOD_CLIENTS,
        r.bytesVerified(), r.bytesExpected(), r.failedClients(), b.visits(), b.percentileMicros(99), b.maxMicros(), b.failures(),
        r.peakHeapUsedBytes() / MiB, r.peakRssBytes() / MiB, baseline / MiB, maxLive / MiB, heap.size(), budget / MiB);
      SoftAssertions soft = new SoftAssertions();
      assertUpWithoutOom(soft, server);
      assertAnsweredInTime(soft, b, 40);
      soft.assertThat(r.bytesVerified()).as("reply bytes that came back exactly as owed; %s", r.summary())
        .isEqualTo(FLOOD_CLIENTS * 2 * MiB);
      soft.assertThat(r.failedClients()).as("clients that got ERR, were closed early or got a wrong byte; %s", r.summary()).isZero();
      soft.assertThat(heap).as("live heap samples (%s)", heapProblem).hasSizeGreaterThanOrEqualTo(10);
      soft.assertThat(maxLive - baseline).as("live heap above its %d MiB before the flood, at worst (samples: %s)",
        baseline / MiB, heap).isLessThan(budget);
      soft.assertAll();
    }
  }

  /**
   * 2,000 connections each send 60,000 bytes with no newline (under the 64 KiB frame limit: 117 MB
   * of partial frames, nearly half the heap) and hold. A newcomer every 0.5 s, and a long-lived
   * bystander, must be answered within 2 s. Each of the 2,000 may have got nothing yet (still open)
   * or exactly {@code ERR server busy\n} and then its end; nothing else. Then each one still held
   * ends its line and must get it back whole, or {@code ERR server busy}: none may be held for
   * good (a partial frame only the server could finish). The server's live heap,
   * sampled as in the flood, grows by less than the budget: the partial frames it holds are
   * client data like any other.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aStormOfPartialFramesIsHeldOrTurnedAwayBusyAndNewcomersAreServed() throws Exception {
    int n = 2000;
    byte[] partial = new byte[60_000];
    for (int i = 0; i < partial.length; i++) {
      partial[i] = (byte) ('A' + i % 26);
    }
    try (JarProcess server = server("{\"transport\": \"epoll\", \"drainSeconds\": 0, \"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}")) {
      int port = server.awaitReversePort(START);
      long budget = budget(server);
      long baseline = ProcessMemory.liveHeapBytes(server.pid());
      LiveHeapSampler heap = LiveHeapSampler.start(server.pid(), 1000);
      List<Long> longLived = new ArrayList<>();
      AtomicReference<Throwable> longLivedFailed = new AtomicReference<>();
      ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
      BystanderStats visits;
      Holders holders;
      try (LiveHeapSampler sampler = heap; AutoCloseable stopClock = clock::shutdownNow; Bystander regular = Bystander.line(port);
           Bystanders newcomers = new Bystanders("127.0.0.1", port, BYSTANDER_INTERVAL, BYSTANDER_TIMEOUT); Holders h = new Holders()) {
        holders = h;
        regular.assertServed("before the storm");
        clock.scheduleAtFixedRate(() -> {
          long t0 = System.nanoTime();
          try {
            regular.assertServed("during the storm");
            synchronized (longLived) {
              longLived.add((System.nanoTime() - t0) / 1000);
            }
          } catch (Throwable e) {
            longLivedFailed.compareAndSet(null, e);
            throw new RuntimeException(e); // stops the schedule: the connection is no use now
          }
        }, 0, BYSTANDER_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        newcomers.start();
        long sentBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        h.open(n, port, partial, sentBy);
        log.info("partial frames: {} connected, {} sent all {} bytes in {} ms; holding 10 s", h.connected(), h.sent(), partial.length,
          h.elapsedMillis());
        h.pump(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        // a connection told it is busy must be closed: give the ones that got the line but no end yet 5 s
        h.pumpWhile(Holder::errWithoutEnd, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        // the held ones must not be held for good: each ends its line now and gets it back whole,
        // or hears it cannot be served
        byte[] reply = new byte[partial.length + 1];
        for (int i = 0; i < partial.length; i++) {
          reply[i] = partial[partial.length - 1 - i];
        }
        reply[partial.length] = '\n';
        h.finish(reply, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        clock.shutdown();
        clock.awaitTermination(15, TimeUnit.SECONDS);
        visits = newcomers.stop();
        sampler.close();
        if (longLivedFailed.get() == null) {
          regular.assertServed("after the storm");
        }
      }
      Map<String, Integer> verdicts = holders.verdicts();
      long worstLongLived;
      synchronized (longLived) {
        worstLongLived = longLived.stream().mapToLong(Long::longValue).max().orElse(-1);
      }
      log.info("partial frames: what the {} connections got: {}; newcomers {}; long-lived bystander {} calls, worst {} µs; "
          + "server live heap {} MiB before, at most {} MiB in {} samples (budget {} MiB)",
        n, verdicts, visits.summary(), longLived.size(), worstLongLived, baseline / MiB, heap.max() / MiB, heap.samples().size(),
        budget / MiB);
      SoftAssertions soft = new SoftAssertions();
      assertUpWithoutOom(soft, server);
      assertAnsweredInTime(soft, visits, 15);
      soft.assertThat(longLivedFailed.get()).as("the long-lived bystander's failure").isNull();
      soft.assertThat(longLived).as("the long-lived bystander's answers, µs").hasSizeGreaterThanOrEqualTo(15)
        .allMatch(us -> us <= BYSTANDER_TIMEOUT.toNanos() / 1000);
      soft.assertThat(holders.connected()).as("partial-frame connections opened").isEqualTo(n);
      soft.assertThat(verdicts.keySet()).as("what the partial-frame connections got (a sample of each: %s)", holders.examples())
        .isSubsetOf(Holder.ANSWERED, Holder.BUSY);
      soft.assertThat(heap.samples()).as("live heap samples (%s)", heap.problem()).hasSizeGreaterThanOrEqualTo(5);
      soft.assertThat(heap.max() - baseline).as("live heap above its %d MiB before the storm, at worst (samples: %s)",
        baseline / MiB, heap.samples()).isLessThan(budget);
      soft.assertAll();
    }
  }

  /**
   * 30 broadcast receivers that never read, and one sender of 2-byte lines ({@code x\n}, one write
   * each, as fast as it can), so that each frame delivered costs far more in the server's objects
   * than in bytes. The receivers' {@code maxQueuedBytes} (8 MiB, 240 MiB for the 30) lets the
   * budget, not that limit, decide. While the sender sends, the server's live heap (after a full
   * GC) stays under the budget at every sample; the server stays up; and every receiver is cut
   * off as too slow, by the server's own count, and sees only whole {@code x\n} lines, perhaps
   * {@code ERR too slow\n}, then its end.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void broadcastReceiversThatDoNotReadATinyFrameSenderAreCutOffWithinTheBudget() throws Exception {
    int receivers = 30;
    try (JarProcess server = server("{\"transport\": \"epoll\", \"drainSeconds\": 0, \"http\": {\"host\": \"127.0.0.1\", \"port\": 0}, "
      + "\"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0, \"maxQueuedBytes\": " + 8 * MiB + "}, "
      + "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0}}")) {
      // the services start in no fixed order: each line is looked for among all lines so far
      int port = Integer.parseInt(server.awaitLineEver(Pattern.compile("broadcast: listening on [^ ]+:(\\d+)"), START).group(1));
      int reversePort = Integer.parseInt(server.awaitLineEver(Pattern.compile("reverse: listening on [^ ]+:(\\d+)"), START).group(1));
      Scrape scrape = new Scrape(Integer.parseInt(server.awaitLineEver(HTTP, START).group(1)));
      long budget = budget(server);
      List<Socket> stuck = new ArrayList<>();
      List<Long> heap = new ArrayList<>();
      AtomicLong sent = new AtomicLong();
      try (AutoCloseable closeStuck = () -> closeAll(stuck)) {
        double cutOff = flood(server, scrape, port, receivers, stuck, heap, sent, budget);
        log.info("broadcast: sender sent {} MiB of 2-byte lines; live heap samples (MiB) {} (budget {} MiB); {} of {} receivers cut off",
          sent.get() / MiB, heap.stream().map(b -> b / MiB).toList(), budget / MiB, cutOff, receivers);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(heap).as("live heap samples while the sender sent").isNotEmpty()
          .allMatch(b -> b < budget, "under the budget of " + budget + " bytes");
        assertUpWithoutOom(soft, server);
        if (server.alive()) {
          String m = scrape.metricsWhen(t -> Scrape.value(t, "backspin_broadcast_slow_disconnects_total{service=\"broadcast\"}") >= receivers);
          soft.assertThat(Scrape.value(m, "backspin_broadcast_slow_disconnects_total{service=\"broadcast\"}"))
            .as("receivers cut off as too slow, by the server's count").isEqualTo(receivers);
          try (Bystander b = Bystander.line(reversePort)) {
            b.assertServed("after the broadcast flood");
          }
        }
        long readBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> got = new ArrayList<>();
        for (Socket s : stuck) {
          got.add(readToEnd(s, readBy));
        }
        soft.assertThat(got).as("what each receiver got (runs of x\\n shown as one)").allMatch(
          t -> t.matches("(x\n)*(ERR too slow\n)?<end>"), "only whole x\\n lines, perhaps ERR too slow\\n, then its end");
        soft.assertAll();
      }
    }
  }

  /**
   * Connects the receivers and the sender, sends until the server has cut off every receiver, the
   * heap is over the budget, or 30 s, sampling the live heap meanwhile; returns the receivers cut off.
   */
  private static double flood(JarProcess server, Scrape scrape, int port, int receivers, List<Socket> stuck, List<Long> heap,
                              AtomicLong sent, long budget) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    double cutOff = 0;
    try (Socket sender = new Socket()) {
      for (int i = 0; i < receivers; i++) {
        Socket s = new Socket();
        stuck.add(s);
        s.setReceiveBufferSize(4096); // never reads until the end: its window fills, then its queue
        s.connect(new InetSocketAddress("127.0.0.1", port));
      }
      sender.connect(new InetSocketAddress("127.0.0.1", port));
      sender.setTcpNoDelay(true);
      String open = scrape.metricsWhen(t -> Scrape.value(t, "backspin_connections_open{service=\"broadcast\"}") == receivers + 1);
      if (Scrape.value(open, "backspin_connections_open{service=\"broadcast\"}") != receivers + 1) {
        throw new AssertionError("the server does not have the " + (receivers + 1) + " broadcast connections open:\n" + open);
      }
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(sender, sent, stop));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < until && !sending.isDone() && server.alive()) {
        try {
          heap.add(ProcessMemory.liveHeapBytes(server.pid()));
          cutOff = Scrape.value(scrape.metrics(), "backspin_broadcast_slow_disconnects_total{service=\"broadcast\"}");
        } catch (IOException | IllegalStateException e) {
          log.warn("broadcast: sampling stopped: {}", e.toString()); // the server died, or stopped answering: asserted after
          break;
        }
        if (cutOff >= receivers || heap.get(heap.size() - 1) >= budget) {
          break; // done, or failed already: no need to push the server over
        }
      }
      stop.set(true);
      sender.close(); // unblocks a write the server is holding back
      sending.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }
    return cutOff;
  }

  private static void closeAll(List<Socket> sockets) throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** Writes {@code x\n}, one write each, until told to stop or 256 MiB are sent. */
  private static void send(Socket sender, AtomicLong sent, AtomicBoolean stop) {
    byte[] frame = {'x', '\n'};
    try {
      OutputStream out = sender.getOutputStream();
      while (!stop.get() && sent.get() < 256 * MiB) {
        out.write(frame);
        sent.addAndGet(frame.length);
      }
    } catch (IOException e) {
      if (!stop.get()) {
        throw new RuntimeException(e);
      }
    }
  }

  /**
   * Reads a receiver's bytes until the server's end (FIN or reset), or {@code deadline}; returns
   * them as text, runs of {@code x\n} kept short, with {@code <end>} at the end or {@code <no end>}.
   */
  private static String readToEnd(Socket s, long deadline) throws IOException {
    StringBuilder text = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[64 * 1024];
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    String end = "<no end>";
    while (System.nanoTime() < deadline) {
      s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      int r;
      try {
        r = in.read(buf);
      } catch (SocketTimeoutException e) {
        break;
      } catch (SocketException e) {
        end = "<end>"; // a reset: the server closed with our unread bytes still in its buffer
        break;
      }
      if (r < 0) {
        end = "<end>";
        break;
      }
      rest.write(buf, 0, r);
      // keep runs of x\n short, so the text stays small: whole lines only
      String got = rest.toString(StandardCharsets.US_ASCII);
      int cut = got.lastIndexOf('\n') + 1;
      text.append(got, 0, cut);
      rest.reset();
      rest.write(got.substring(cut).getBytes(StandardCharsets.US_ASCII));
      String t = text.toString().replaceAll("(x\\n){2,}", "x\n");
      text.setLength(0);
      text.append(t);
    }
    return text + rest.toString(StandardCharsets.US_ASCII) + end;
  }

  /** One partial-frame connection: what it got, and how it ended. */
  private static final class Holder {
    static final String NOTHING_YET = "nothing yet, still open";
    static final String BUSY = "ERR server busy, then its end";
    static final String ANSWERED = "held, then its line answered whole once it was ended";
    static final byte[] BUSY_LINE = "ERR server busy\n".getBytes(StandardCharsets.US_ASCII);
    byte[] expect; // once its line is ended: its reply

    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    boolean connected;
    boolean ended;
    String error;

    boolean writing() {
      return connected && !ended && out.hasRemaining();
    }

    boolean errWithoutEnd() {
      return !ended && got.size() > 0;
    }

    boolean awaitingReply() {
      return expect != null && !ended && got.size() < expect.length;
    }

    String verdict() {
      byte[] b = got.toByteArray();
      if (b.length == 0 && !ended && error == null) {
        return NOTHING_YET;
      }
      if (expect != null && Arrays.equals(b, expect)) {
        return ANSWERED;
      }
      if (Arrays.equals(b, BUSY_LINE) && ended) {
        return BUSY;
      }
      return "got \"" + new String(b, StandardCharsets.US_ASCII).replace("\n", "\\n") + "\"" + (ended ? ", then its end" : ", still open")
        + (error != null ? " (" + error + ")" : "") + (out != null && out.hasRemaining() ? "; " + out.remaining() + " bytes unsent" : "");
    }
  }

  /** Connections opened, written and read on one selector (the test's thread): 2,000 threads would not do. */
  private static final class Holders implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final List<Holder> all = new ArrayList<>();
    private final long start = System.nanoTime();

    Holders() throws IOException {
    }

    /** Opens {@code n} connections, 128 connects in flight at most, and writes {@code payload} on each, until all are sent or {@code by}. */
    void open(int n, int port, byte[] payload, long by) throws IOException {
      int next = 0;
      int pending = 0;
      while (System.nanoTime() < by && (next < n || pending > 0 || all.stream().anyMatch(Holder::writing))) {
        while (next < n && pending < 128) {
          Holder h = new Holder();
          all.add(h);
          h.out = ByteBuffer.wrap(payload);
          h.channel = SocketChannel.open();
          h.channel.configureBlocking(false);
          h.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          next++;
          if (h.channel.connect(new InetSocketAddress("127.0.0.1", port))) {
            h.connected = true;
            h.key = h.channel.register(selector, SelectionKey.OP_WRITE | SelectionKey.OP_READ, h);
          } else {
            h.key = h.channel.register(selector, SelectionKey.OP_CONNECT, h);
            pending++;
          }
        }
        pending -= turn(100);
      }
    }

    /** Serves the selector until {@code until}. */
    void pump(long until) throws IOException {
      while (System.nanoTime() < until) {
        turn(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      }
    }

    /** Serves the selector while some connection matches {@code waiting}, until {@code until} at most. */
    void pumpWhile(java.util.function.Predicate<Holder> waiting, long until) throws IOException {
      while (System.nanoTime() < until && all.stream().anyMatch(waiting)) {
        turn(100);
      }
    }

    /**
     * Ends the line of every connection still held with nothing back, and serves the selector
     * until each has {@code reply} or has ended, or {@code until}.
     */
    void finish(byte[] reply, long until) throws IOException {
      for (Holder h : all) {
        if (h.verdict().equals(Holder.NOTHING_YET)) {
          h.expect = reply;
          h.out = ByteBuffer.wrap(new byte[] {'\n'});
          h.key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
        }
      }
      pumpWhile(Holder::awaitingReply, until);
    }

    /** One select; returns the connects it completed or failed. */
    private int turn(long millis) throws IOException {
      int settled = 0;
      selector.select(millis);
      for (SelectionKey k : selector.selectedKeys()) {
        Holder h = (Holder) k.attachment();
        if (!k.isValid()) {
          continue;
        }
        try {
          if (k.isConnectable()) {
            settled++;
            h.channel.finishConnect();
            h.connected = true;
            k.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
            continue;
          }
          if (k.isWritable()) {
            h.channel.write(h.out);
            if (!h.out.hasRemaining()) {
              k.interestOps(SelectionKey.OP_READ);
            }
          }
          if (k.isReadable()) {
            ByteBuffer b = ByteBuffer.allocate(h.expect != null ? 65536 : 256);
            int r = h.channel.read(b);
            if (r < 0) {
              h.ended = true;
              k.cancel();
            } else if (h.got.size() < (h.expect != null ? h.expect.length + 4096 : 4096)) {
              h.got.write(b.array(), 0, r);
            }
          }
        } catch (IOException e) {
          h.error = e.toString();
          h.ended = true; // a reset, or a refused connect: this connection is over
          k.cancel();
        }
      }
      selector.selectedKeys().clear();
      return settled;
    }

    int connected() {
      return (int) all.stream().filter(h -> h.connected).count();
    }

    int sent() {
      return (int) all.stream().filter(h -> h.connected && !h.out.hasRemaining()).count();
    }

    long elapsedMillis() {
      return (System.nanoTime() - start) / 1_000_000;
    }

    /** How many connections got what. */
    Map<String, Integer> verdicts() {
      Map<String, Integer> v = new TreeMap<>();
      for (Holder h : all) {
        v.merge(h.verdict(), 1, Integer::sum);
      }
      return v;
    }

    /** One connection of each kind but the expected ones, with what it got. */
    List<String> examples() {
      return verdicts().keySet().stream().filter(k -> !k.equals(Holder.NOTHING_YET) && !k.equals(Holder.BUSY)).limit(5).toList();
    }

    @Override
    public void close() throws IOException {
      for (Holder h : all) {
        h.channel.close();
      }
      selector.close();
    }
  }
}
