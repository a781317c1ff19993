package dev.backspin.tools;

import dev.backspin.framing.Bytes;
import dev.backspin.framing.FrameException;
import dev.backspin.framing.Frames;
import dev.backspin.framing.LineFramer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The fan-out: senders on one broadcast address, receivers on one or more (on other nodes of a
 * cluster, say), all in this process on one event loop, so one clock times every line from its
 * send to each delivery. First every connection opens and a probe on the send address says hello
 * until every receiver has seen it: the server delivers only to connections it has, and a
 * receiver that heard the probe will hear every sender after it. Then the senders send, paced
 * by TCP back-pressure (as fast as the server takes them) or at a total rate; each receiver
 * checks each sender's sequence numbers ({@link FanoutOrder}) and times each line. After the
 * warm-up and the measured time the senders stop, and the receivers have the drain to get every
 * line still on its way. Every phase is bounded by the deadline. Senders read and drop what the
 * service sends them (the other senders' lines): a connection that does not read is cut off.
 * Usable in-process (the integration tests do) and by {@link FanoutCommand}.
 */
public final class Fanout {

  /** A {@code HOST:PORT}; an IPv6 host in brackets. */
  public record Address(String host, int port) {

    public static Address parse(String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("need HOST:PORT, got \"" + s + "\"");
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port must be a number in \"" + s + "\"");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port + " in \"" + s + "\"");
      }
      return new Address(host, port);
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** What to run; {@code rate} is total lines a second, 0 for as fast as back-pressure lets them go. */
  public record Options(Address send, List<Address> receive, int senders, int receivers, double rate, Duration warmup,
                        Duration duration, Duration drain, int lineBytes, Duration deadline) {

    public Options {
      receive = List.copyOf(receive);
      if (receive.isEmpty()) {
        throw new IllegalArgumentException("need at least one receive address");
      }
      if (senders < 1 || senders > FanoutLine.MAX_SENDER || receivers < 1 || receivers > 10_000) {
        throw new IllegalArgumentException("need 1.." + FanoutLine.MAX_SENDER + " senders and 1..10000 receivers per address, got "
          + senders + " and " + receivers);
      }
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("rate must be 0 or more lines a second, got " + rate);
      }
      if (warmup.isNegative() || duration.isNegative() || duration.isZero() || drain.isNegative()) {
        throw new IllegalArgumentException("need warm-up and drain >= 0 and a duration > 0, got " + warmup + ", " + drain + ", " + duration);
      }
      if (lineBytes < FanoutLine.MIN_BYTES || lineBytes > 65_536) {
        throw new IllegalArgumentException("line bytes must be " + FanoutLine.MIN_BYTES + "..65536, got " + lineBytes);
      }
      if (deadline.compareTo(warmup.plus(duration).plus(drain)) <= 0) {
        throw new IllegalArgumentException("the deadline must leave time for connecting after warm-up, duration and drain, got "
          + deadline + " for " + warmup.plus(duration).plus(drain));
      }
    }
  }

  private enum Phase { CONNECTING, CONFIRMING, SENDING, DRAINING, DONE }

  /** Bytes one sender writes per turn of the event loop: the receivers' reads get their turns. */
  private static final int TURN = 64 * 1024;
  /** About this many bytes of lines go in one write. */
  private static final int WRITE_BYTES = 8 * 1024;
  private static final long HELLO_EVERY_MILLIS = 20;
  private static final long PROGRESS_EVERY_MILLIS = 1000;

  private final Vertx vertx;
  private final Options o;
  private final PrintStream progress;
  private final int linesPerWrite;
  private final List<FanoutTally> tallies = new ArrayList<>();
  private final List<Sender> senders = new ArrayList<>();
  private final List<Receiver> receivers = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final Promise<FanoutResult> done = Promise.promise();
  // a field: Vert.x 5 closes a NetClient that the garbage collector finds unreferenced
  private NetClient client;
  private NetSocket probe;
  private Phase phase = Phase.CONNECTING;
  private long start;
  private boolean measuring;
  private long measureStart;
  private long measureEnd;
  /** Lines sent from here on are timed: when the measured time began. */
  private long timedFrom = Long.MAX_VALUE;
  private int unconfirmed;
  private int undrained;
  private long helloTimer = -1;
  private long rateTimer = -1;
  private long progressTimer = -1;
  private long drainTimer = -1;
  private long deadlineTimer = -1;
  private long lastProgress;
  private long lastSent;
  private long[] lastDelivered;

  private Fanout(Vertx vertx, Options o, PrintStream progress) {
    this.vertx = vertx;
    this.o = o;
    this.progress = progress;
    this.linesPerWrite = Math.max(1, WRITE_BYTES / o.lineBytes());
  }

  /** Runs a fan-out as {@code o} says, on a Vert.x of its own; progress lines go to {@code progress} once a second. */
  public static FanoutResult run(Options o, PrintStream progress) throws Exception {
    Vertx vertx = ToolVertx.oneEventLoop();
    try {
      Fanout f = new Fanout(vertx, o, progress);
      vertx.runOnContext(v -> f.start());
      // the deadline's timer ends the run; this bound is for an event loop that never got to it
      return f.done.future().await(o.deadline().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private final class Sender {
    final int id;
    final NetSocket socket;
    long lines;
    long measured;
    RequestClock clock;
    boolean paused;
    long pausedSince;
    long pauses;
    long pausedNanos;
    long maxLag;
    boolean closed;
    boolean pumpAgain; // a pump is due on a timer: the drain need not start another

    Sender(int id, NetSocket socket) {
      this.id = id;
      this.socket = socket;
      socket.handler(b -> { }); // the other senders' lines: read, so the server does not cut us off, and dropped
      socket.drainHandler(v -> {
        resume(System.nanoTime());
        if (!pumpAgain) {
          send();
        }
      });
      socket.closeHandler(v -> {
        closed = true;
        if (phase != Phase.DONE) {
          problem("sender " + id + " was closed by the server");
        }
      });
      socket.exceptionHandler(e -> problem("sender " + id + ": " + e.getMessage()));
    }

    void send() {
      if (o.rate() > 0) {
        sendDue();
      } else {
        pump();
      }
    }

    /**
     * As fast as the socket takes lines: until its write queue is full (its drain calls again), or
     * a turn's worth, then again a millisecond later. Not sooner: a task that queues itself again
     * at once can keep the event loop from the receivers' reads (and from seeing a close).
     */
    void pump() {
      if (phase != Phase.SENDING || closed || paused) {
        return;
      }
      for (int turn = 0; turn < TURN && !closed; turn += write(linesPerWrite)) {
        if (socket.writeQueueFull()) {
          pause(System.nanoTime());
          return;
        }
      }
      pumpAgain = true;
      vertx.setTimer(1, t -> {
        pumpAgain = false;
        pump();
      });
    }

    /** At a rate: the lines due by now, while the socket takes them. */
    void sendDue() {
      if (phase != Phase.SENDING || closed || paused) {
        return;
      }
      for (int turn = 0; turn < TURN && !closed; ) {
        if (socket.writeQueueFull()) {
          pause(System.nanoTime());
          return;
        }
        long now = System.nanoTime();
        int due = 0;
        while (due < linesPerWrite && clock.untilDue(now) <= 0) {
          maxLag = Math.max(maxLag, clock.went(now));
          due++;
        }
        if (due == 0) {
          return;
        }
        turn += write(due);
      }
    }

    /** Writes {@code n} lines in one buffer, each stamped as it is made; returns the bytes. */
    int write(int n) {
      byte[] b = new byte[n * o.lineBytes()];
      int at = 0;
      for (int i = 0; i < n; i++) {
        at = FanoutLine.write(b, at, FanoutLine.DATA, id, lines++, System.nanoTime(), o.lineBytes());
      }
      if (measuring) {
        measured += n;
      }
      socket.write(Bytes.wrap(b, b.length)).onFailure(e -> {
        if (!closed) {
          closed = true;
          problem("sender " + id + ": write failed: " + e);
        }
      });
      return b.length;
    }

    void pause(long now) {
      paused = true;
      pausedSince = now;
    }

    void resume(long now) {
      if (paused) {
        paused = false;
        pauses++;
        pausedNanos += now - pausedSince;
      }
    }
  }

  private final class Receiver {
    final int id;
    final FanoutTally tally;
    final NetSocket socket;
    // the longest line worth reading: anything longer is not ours (or two of ours run together)
    final LineFramer framer = new LineFramer(4 * o.lineBytes());
    final FanoutOrder[] order = new FanoutOrder[o.senders() + 1];
    final FanoutLine line = new FanoutLine();
    boolean confirmed;
    boolean broken;   // a line too long to be ours: the rest of its stream is dropped
    boolean finished; // every line it is owed came, or it closed: the drain waits for it no more

    Receiver(int id, FanoutTally tally, NetSocket socket) {
      this.id = id;
      this.tally = tally;
      this.socket = socket;
      for (int s = 1; s <= o.senders(); s++) {
        order[s] = new FanoutOrder();
      }
      socket.handler(this::onData);
      socket.closeHandler(v -> {
        if (phase != Phase.DONE) {
          tally.disconnects++;
          tally.problem("receiver " + id + " was closed by the server");
          finished();
        }
      });
      socket.exceptionHandler(e -> tally.problem("receiver " + id + ": " + e.getMessage()));
    }

    void onData(Buffer b) {
      if (phase == Phase.DONE || broken) {
        return;
      }
      long now = System.nanoTime();
      Frames f;
      try {
        f = framer.feed(b);
      } catch (FrameException e) {
        tally.malformed++;
        tally.problem("receiver " + id + ": a line longer than " + 4 * o.lineBytes() + " bytes");
        framer.discardPending();
        broken = true;
        finished();
        return;
      }
      byte[] data = f == null ? null : f.data();
      for (int i = 0; f != null && i < f.count(); i++) {
        int from = f.payloadStart(i);
        int to = f.payloadEnd(i);
        if (!line.parse(data, from, to, o.lineBytes()) || (line.kind == FanoutLine.DATA && (line.sender < 1 || line.sender > o.senders()))) {
          tally.malformed++;
          tally.problem("receiver " + id + " got \"" + FloodTally.show(data, from, Math.min(to, from + 80)) + "\"");
        } else if (line.kind == FanoutLine.HELLO) {
          confirm();
        } else {
          if (!confirmed) {
            tally.early++;
          }
          FanoutOrder.Verdict v = order[line.sender].accept(line.seq);
          tally.delivery(v, measuring, line.sentNanos >= timedFrom ? Math.max(0, now - line.sentNanos) / 1000 : -1);
          if (v != FanoutOrder.Verdict.NEXT) {
            tally.problem("receiver " + id + ": sender " + line.sender + "'s line " + line.seq + " was " + v.name().toLowerCase(Locale.ROOT));
          }
        }
      }
      if (phase == Phase.DRAINING && !finished && hasAll()) {
        finished();
      }
    }

    void confirm() {
      if (!confirmed) {
        confirmed = true;
        tally.confirmed++;
        if (--unconfirmed == 0 && phase == Phase.CONFIRMING) {
          startSending();
        }
      }
    }

    boolean hasAll() {
      for (Sender s : senders) {
        if (!order[s.id].complete(s.lines)) {
          return false;
        }
      }
      return true;
    }

    long lost() {
      long n = 0;
      for (Sender s : senders) {
        n += order[s.id].lost(s.lines);
      }
      return n;
    }

    void finished() {
      if (!finished) {
        finished = true;
        if (phase == Phase.DRAINING && --undrained == 0) {
          finish();
        }
      }
    }
  }

  private void start() {
    start = System.nanoTime();
    deadlineTimer = vertx.setTimer(o.deadline().toMillis(), t -> {
      problems.add("the deadline (" + o.deadline().toMillis() / 1000.0 + " s) came while " + phase.name().toLowerCase(Locale.ROOT));
      finish();
    });
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    for (Address a : o.receive()) {
      tallies.add(new FanoutTally(a.toString(), o.receivers()));
    }
    int[] pending = {o.senders() + 1 + o.receive().size() * o.receivers()};
    Runnable connected = () -> {
      if (--pending[0] == 0 && phase == Phase.CONNECTING) {
        confirmAll();
      }
    };
    for (int t = 0; t < tallies.size(); t++) {
      FanoutTally tally = tallies.get(t);
      Address a = o.receive().get(t);
      for (int r = 0; r < o.receivers(); r++) {
        int id = t * o.receivers() + r + 1;
        connect(a, "receiver " + id, socket -> {
          tally.connected++;
          receivers.add(new Receiver(id, tally, socket));
        }, connected);
      }
    }
    for (int s = 1; s <= o.senders(); s++) {
      int id = s;
      connect(o.send(), "sender " + id, socket -> senders.add(new Sender(id, socket)), connected);
    }
    connect(o.send(), "the probe", socket -> {
      probe = socket;
      socket.handler(b -> { });
    }, connected);
  }

  private void connect(Address a, String who, Consumer<NetSocket> opened, Runnable then) {
    client.connect(a.port(), a.host()).onComplete(ar -> {
      if (phase == Phase.DONE) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.succeeded()) {
        opened.accept(ar.result());
      } else {
        problems.add(who + ": connect to " + a + " failed: " + ar.cause().getMessage());
      }
      then.run();
    });
  }

  /** Every connection is open: the probe says hello until every receiver has heard it. */
  private void confirmAll() {
    if (!problems.isEmpty()) {
      finish();
      return;
    }
    senders.sort((x, y) -> Integer.compare(x.id, y.id));
    phase = Phase.CONFIRMING;
    unconfirmed = receivers.size();
    long[] seq = {0};
    Runnable sayHello = () -> {
      byte[] hello = FanoutLine.format(FanoutLine.HELLO, 0, seq[0]++, System.nanoTime(), o.lineBytes());
      probe.write(Bytes.wrap(hello, hello.length)).onFailure(e -> problem("the probe: write failed: " + e.getMessage()));
    };
    sayHello.run();
    helloTimer = vertx.setPeriodic(HELLO_EVERY_MILLIS, t -> sayHello.run());
  }

  private void startSending() {
    vertx.cancelTimer(helloTimer);
    probe.close();
    long now = System.nanoTime();
    progress.printf(Locale.ROOT, "%5.1f s  %d receivers on %d address(es) heard the probe; %d senders start%n",
      (now - start) / 1e9, receivers.size(), tallies.size(), senders.size());
    phase = Phase.SENDING;
    if (o.rate() > 0) {
      long period = Math.max(1, Math.round(1e9 * senders.size() / o.rate()));
      Random offsets = new Random();
      for (Sender s : senders) {
        s.clock = RequestClock.atRate(period, now, RequestClock.randomOffset(offsets, period));
      }
      rateTimer = vertx.setPeriodic(1, t -> senders.forEach(Sender::sendDue));
    } else {
      senders.forEach(Sender::pump);
    }
    lastProgress = now;
    lastDelivered = new long[tallies.size()];
    progressTimer = vertx.setPeriodic(PROGRESS_EVERY_MILLIS, t -> progressLine());
    if (o.warmup().isZero()) {
      startMeasuring();
    } else {
      vertx.setTimer(o.warmup().toMillis(), t -> startMeasuring());
    }
  }

  private void startMeasuring() {
    if (phase != Phase.SENDING) {
      return;
    }
    measureStart = System.nanoTime();
    timedFrom = measureStart;
    measuring = true;
    vertx.setTimer(Math.max(1, o.duration().toMillis()), t -> stopSending());
  }

  private void stopSending() {
    if (phase != Phase.SENDING) {
      return;
    }
    measureEnd = System.nanoTime();
    measuring = false;
    phase = Phase.DRAINING;
    vertx.cancelTimer(rateTimer);
    for (Sender s : senders) {
      s.resume(measureEnd);
    }
    undrained = 0;
    for (Receiver r : receivers) {
      if (!r.finished && r.hasAll()) {
        r.finished = true;
      }
      if (!r.finished) {
        undrained++;
      }
    }
    if (undrained == 0) {
      finish();
    } else {
      drainTimer = vertx.setTimer(Math.max(1, o.drain().toMillis()), t -> finish());
    }
  }

  /** Ends the run, wherever it is, and completes the result. */
  private void finish() {
    if (phase == Phase.DONE) {
      return;
    }
    boolean drained = phase == Phase.DRAINING && undrained == 0;
    long now = System.nanoTime();
    phase = Phase.DONE;
    for (long t : new long[] {deadlineTimer, helloTimer, rateTimer, progressTimer, drainTimer}) {
      vertx.cancelTimer(t);
    }
    if (unconfirmed > 0) {
      problems.add(unconfirmed + " receiver(s) never heard the probe");
    }
    long linesSent = 0;
    long measured = 0;
    long pauses = 0;
    long paused = 0;
    long maxLag = 0;
    int disconnects = 0;
    for (Sender s : senders) {
      s.resume(now);
      linesSent += s.lines;
      measured += s.measured;
      pauses += s.pauses;
      paused += s.pausedNanos;
      maxLag = Math.max(maxLag, s.maxLag);
      disconnects += s.closed ? 1 : 0;
    }
    long[] lost = new long[tallies.size()];
    for (Receiver r : receivers) {
      lost[tallies.indexOf(r.tally)] += r.lost();
    }
    for (int t = 0; t < tallies.size(); t++) {
      tallies.get(t).end(linesSent, lost[t]);
    }
    if (measureEnd == 0 && measuring) {
      measureEnd = now;
    }
    double seconds = measureStart == 0 ? 0 : (measureEnd - measureStart) / 1e9;
    FanoutResult.Senders side = new FanoutResult.Senders(senders.size(), linesSent, measured, pauses, paused, maxLag, disconnects);
    done.complete(new FanoutResult(o, tallies, side, seconds, drained ? (now - measureEnd) / 1e9 : -1, problems));
    client.close();
  }

  private void problem(String what) {
    if (problems.size() < 20) {
      problems.add(what);
    }
  }

  private void progressLine() {
    long now = System.nanoTime();
    double dt = (now - lastProgress) / 1e9;
    long sent = senders.stream().mapToLong(s -> s.lines).sum();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%5.1f s  %s  sent %,9.0f lines/s  delivered/s:",
      (now - start) / 1e9, measuring ? "measuring" : phase == Phase.SENDING ? "warm-up  " : "draining ", (sent - lastSent) / dt));
    for (int t = 0; t < tallies.size(); t++) {
      FanoutTally tally = tallies.get(t);
      s.append(String.format(Locale.ROOT, " %s %,.0f", tally.address, (tally.delivered - lastDelivered[t]) / dt));
      lastDelivered[t] = tally.delivered;
    }
    long paused = senders.stream().filter(x -> x.paused).count();
    s.append(String.format(Locale.ROOT, "  senders held by back-pressure now: %d", paused));
    progress.println(s);
    lastSent = sent;
    lastProgress = now;
  }
}
