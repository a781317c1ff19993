package dev.backspin.tools;

import dev.backspin.tools.FloodTally.Failure;
import dev.backspin.tools.FloodTally.Kind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The flood: many clients each push a stream of distinct lines and read nothing for the hold,
 * then read back and check every byte of their replies while they finish writing; meanwhile a
 * bystander connects every interval and must be answered in time. One selector thread with
 * non-blocking channels drives every client, so a client whose kernel buffer is full simply
 * waits; each client's lines are made as they are sent and made again to check the replies
 * ({@link FloodStream}), so nothing is held in memory but a line and a write buffer per client.
 * Every phase is bounded by the deadline. Usable in-process (the integration tests do) and by
 * {@link FloodCommand}.
 */
public final class Flood {

  /** What to run. {@code serverPid} may be null: then the server's memory is not sampled. */
  public record Options(String host, int port, int clients, long bytes, Duration hold, Duration bystanderInterval,
                        Duration bystanderTimeout, Duration deadline, Long serverPid, long seed, int receiveBuffer) {

    public Options {
      if (clients < 1 || clients > 999_999 || bytes < 0 || hold.isNegative() || deadline.compareTo(hold) <= 0) {
        throw new IllegalArgumentException("need 1..999999 clients, bytes >= 0, hold >= 0 and a deadline after the hold; got "
          + clients + " clients, " + bytes + " bytes, hold " + hold + ", deadline " + deadline);
      }
    }

    /** The defaults of the {@code flood} command against {@code port} on this machine. */
    public static Options defaults(int port) {
      return new Options("127.0.0.1", port, 400, 2L << 20, Duration.ofSeconds(25), Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofSeconds(120), null, 1, 0);
    }

    public Options withClients(int n, long perClient) {
      return new Options(host, port, n, perClient, hold, bystanderInterval, bystanderTimeout, deadline, serverPid, seed, receiveBuffer);
    }

    public Options withHold(Duration h, Duration d) {
      return new Options(host, port, clients, bytes, h, bystanderInterval, bystanderTimeout, d, serverPid, seed, receiveBuffer);
    }

    public Options withServerPid(Long pid) {
      return new Options(host, port, clients, bytes, hold, bystanderInterval, bystanderTimeout, deadline, pid, seed, receiveBuffer);
    }
  }

  /** Connects in flight at once: well under the server's accept backlog. */
  private static final int CONNECTS_IN_FLIGHT = 128;
  /** Bytes one client may write, or read, per turn of the selector: no client starves the others. */
  private static final int TURN = 256 * 1024;
  private static final int FIRST_BYTES = 64;
  /** After a wrong byte, how long to wait for more of what came (an ERR line cut by a read) before judging it. */
  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Options o;
  private final PrintStream progress;
  private final FloodLines lines;
  private final FloodTally tally;
  private final List<Client> clients = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
  private Selector selector;
  private int unfinished;
  private boolean reading;

  private Flood(Options o, PrintStream progress) {
    this.o = o;
    this.progress = progress;
    this.lines = new FloodLines(o.seed());
    this.tally = new FloodTally(o.clients(), o.bytes());
  }

  /** Runs a flood as {@code o} says; progress lines go to {@code progress} every 5 s. */
  public static FloodResult run(Options o, PrintStream progress) throws IOException, InterruptedException {
    return new Flood(o, progress).run();
  }

  private final class Client {
    final int id;
    final FloodStream out;
    final FloodStream in;
    final ByteBuffer pending = ByteBuffer.allocateDirect(32 * 1024).flip();
    final byte[] first = new byte[FIRST_BYTES];
    int firstLength;
    SocketChannel channel;
    SelectionKey key;
    boolean finished;
    // after a wrong byte: what came from the start of that reply line, and since when
    ByteArrayOutputStream wrong;
    int wrongPrefix;
    long wrongAt;
    long wrongSince;

    Client(int id) {
      this.id = id;
      this.out = FloodStream.requests(lines, id, o.bytes());
      this.in = FloodStream.replies(lines, id, o.bytes());
    }

    String firstBytes() {
      return FloodTally.show(first, 0, firstLength);
    }

    void got(byte[] b, int n) {
      int k = Math.min(n, FIRST_BYTES - firstLength);
      System.arraycopy(b, 0, first, firstLength, k);
      firstLength += k;
    }
  }

  private FloodResult run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + o.deadline().toNanos();
    ServerMemory memory = o.serverPid() == null ? null : ServerMemory.sample(o.serverPid());
    Bystanders bystanders = new Bystanders(o.host(), o.port(), o.bystanderInterval(), o.bystanderTimeout()).start();
    try (Selector sel = Selector.open()) {
      selector = sel;
      for (int i = 0; i < o.clients(); i++) {
        clients.add(new Client(i));
      }
      unfinished = o.clients();
      loop(start, deadline);
    } finally {
      for (Client c : clients) {
        closeQuietly(c);
      }
      bystanders.stop();
      if (memory != null) {
        memory.close();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new FloodResult(o, tally.toJson(), bystanders.stats(), memory == null ? null : memory.toJson(), seconds);
  }

  private void loop(long start, long deadline) throws IOException {
    int next = 0;
    int connecting = 0;
    long holdEnd = Long.MAX_VALUE;
    long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
    long nextSettle = 0;
    while (unfinished > 0) {
      long now = System.nanoTime();
      while (connecting < CONNECTS_IN_FLIGHT && next < o.clients()) {
        if (connect(clients.get(next++))) {
          connecting++;
        }
      }
      if (holdEnd == Long.MAX_VALUE && next == o.clients() && connecting == 0) {
        holdEnd = now + o.hold().toNanos();
        progress.printf(Locale.ROOT, "%5.1f s  %d of %d connected; holding %d s without reading%n",
          (now - start) / 1e9, tally.connected, o.clients(), o.hold().toSeconds());
      }
      if (!reading && now >= holdEnd) {
        startReading(now, start);
      }
      if (now >= deadline) {
        for (Client c : clients) {
          if (!c.finished && c.wrong != null) {
            judgeWrong(c);
          } else if (!c.finished) {
            fail(c, c.channel != null && c.channel.isConnected() ? Kind.DEADLINE : Kind.CONNECT, "(nothing more by the deadline)");
          }
        }
        return;
      }
      if (now >= nextProgress) {
        progressLine(now, start);
        nextProgress = now + TimeUnit.SECONDS.toNanos(5);
      }
      if (now >= nextSettle) {
        settleWrong(now);
        nextSettle = now + TimeUnit.MILLISECONDS.toNanos(100);
      }
      long wait = Math.min(Math.min(deadline, holdEnd) - now, TimeUnit.MILLISECONDS.toNanos(100));
      if (wait > 0) {
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
      } else {
        selector.selectNow();
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Client c = (Client) key.attachment();
        if (c.finished || !key.isValid()) {
          continue;
        }
        if (key.isConnectable()) {
          connecting--;
          finishConnect(c);
          continue;
        }
        if (key.isWritable()) {
          write(c);
        }
        if (!c.finished && key.isValid() && key.isReadable()) {
          read(c);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  /** Starts a connect; false if it failed at once (counted). */
  private boolean connect(Client c) {
    try {
      c.channel = SocketChannel.open();
      c.channel.configureBlocking(false);
      c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (o.receiveBuffer() > 0) {
        c.channel.setOption(StandardSocketOptions.SO_RCVBUF, o.receiveBuffer()); // before connect: it sets the window
      }
      if (c.channel.connect(new InetSocketAddress(o.host(), o.port()))) {
        connected(c, c.channel.register(selector, 0, c));
        return false;
      }
      c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
      return true;
    } catch (IOException e) {
      fail(c, Kind.CONNECT, e.toString());
      return false;
    }
  }

  private void finishConnect(Client c) {
    try {
      c.channel.finishConnect();
      connected(c, c.key);
    } catch (IOException e) {
      fail(c, Kind.CONNECT, e.toString());
    }
  }

  private void connected(Client c, SelectionKey key) {
    c.key = key;
    tally.connected++;
    key.interestOps((o.bytes() > 0 ? SelectionKey.OP_WRITE : 0) | (reading ? SelectionKey.OP_READ : 0));
    if (o.bytes() == 0 && reading) {
      done(c);
    }
  }

  private void startReading(long now, long start) {
    reading = true;
    tally.writtenDuringHold = tally.written;
    progress.printf(Locale.ROOT, "%5.1f s  hold over: %,d bytes written while nobody read; reading back%n", (now - start) / 1e9, tally.written);
    for (Client c : clients) {
      if (!c.finished && c.key != null && c.key.isValid()) {
        c.key.interestOps(c.key.interestOps() | SelectionKey.OP_READ);
        if (o.bytes() == 0) {
          done(c);
        }
      }
    }
  }

  private void write(Client c) {
    int turn = 0;
    try {
      while (turn < TURN) {
        if (!c.pending.hasRemaining()) {
          c.pending.clear();
          c.out.fill(c.pending);
          c.pending.flip();
          if (!c.pending.hasRemaining()) {
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
            return;
          }
        }
        int n = c.channel.write(c.pending);
        if (n == 0) {
          return;
        }
        turn += n;
        tally.written += n;
      }
    } catch (IOException e) {
      // the server reset or closed us while we were sending: keep what it said, if anything came
      salvage(c);
      fail(c, Kind.WRITE, "write failed after " + c.out.position() + " bytes sent: " + e.getMessage());
    }
  }

  /** Reads what a failed connection still has for us, without waiting, so the failure can say what the server sent. */
  private void salvage(Client c) {
    try {
      readBuffer.clear();
      int n = c.channel.read(readBuffer);
      if (n > 0) {
        c.got(readBuffer.array(), n);
      }
    } catch (IOException ignored) {
      // nothing to salvage
    }
  }

  private void read(Client c) {
    int turn = 0;
    while (turn < TURN && !c.finished) {
      readBuffer.clear();
      int n;
      try {
        n = c.channel.read(readBuffer);
      } catch (IOException e) {
        if (c.wrong != null) {
          judgeWrong(c);
        } else {
          fail(c, Kind.RESET, e.toString());
        }
        return;
      }
      if (n == 0) {
        return;
      }
      if (n < 0) {
        if (c.wrong != null) {
          judgeWrong(c);
        } else {
          fail(c, Kind.CLOSED, "(the end, after " + c.in.position() + " of " + o.bytes() + " reply bytes)");
        }
        return;
      }
      turn += n;
      byte[] b = readBuffer.array();
      c.got(b, n);
      if (c.wrong != null) {
        c.wrong.write(b, 0, Math.min(n, c.wrongPrefix + FIRST_BYTES - c.wrong.size()));
        if (c.wrong.size() >= c.wrongPrefix + FIRST_BYTES) {
          judgeWrong(c);
        }
        continue;
      }
      int ok = c.in.match(b, 0, n);
      tally.verified += ok;
      if (ok < n) {
        c.wrongAt = c.in.position();
        c.wrongSince = System.nanoTime();
        c.wrong = new ByteArrayOutputStream();
        byte[] prefix = c.in.lineSoFar();
        c.wrongPrefix = prefix.length;
        c.wrong.writeBytes(prefix);
        c.wrong.write(b, ok, Math.min(n - ok, FIRST_BYTES));
        if (c.wrong.size() >= c.wrongPrefix + FIRST_BYTES) {
          judgeWrong(c);
        }
      } else if (c.in.done()) {
        done(c);
      }
    }
  }

  /** Wrong bytes that have waited long enough for the rest of their line are judged. */
  private void settleWrong(long now) {
    for (Client c : clients) {
      if (!c.finished && c.wrong != null && now - c.wrongSince >= SETTLE_NANOS) {
        judgeWrong(c);
      }
    }
  }

  /**
   * A wrong reply: {@code ERR ...} from the start of its reply line (the server writes an error
   * after whole replies), shown from there; or any other wrong byte, shown from where it differs.
   */
  private void judgeWrong(Client c) {
    byte[] w = c.wrong.toByteArray();
    boolean err = FloodTally.isErr(w, 0, w.length);
    int from = err ? 0 : c.wrongPrefix;
    fail(c, err ? Kind.ERR : Kind.MISMATCH, c.wrongAt, FloodTally.show(w, from, Math.min(w.length, from + FIRST_BYTES)));
  }

  private void done(Client c) {
    c.finished = true;
    unfinished--;
    tally.clientsVerified++;
    closeQuietly(c);
  }

  private void fail(Client c, Kind kind, String got) {
    fail(c, kind, c.in.position(), got);
  }

  private void fail(Client c, Kind kind, long at, String got) {
    if (c.finished) {
      return;
    }
    c.finished = true;
    unfinished--;
    tally.failed(new Failure(c.id, kind, at, got, c.firstBytes()));
    closeQuietly(c);
  }

  private static void closeQuietly(Client c) {
    if (c.channel != null) {
      try {
        c.channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void progressLine(long now, long start) {
    progress.printf(Locale.ROOT, "%5.1f s  %s: connected %d, written %,d bytes, verified %,d, clients done %d, failed %d%n",
      (now - start) / 1e9, reading ? "reading back" : "holding", tally.connected, tally.written, tally.verified,
      tally.clientsVerified, tally.failedClients());
  }
}
