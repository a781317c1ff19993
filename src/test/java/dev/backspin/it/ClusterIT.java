package dev.backspin.it;

import dev.backspin.support.EachTransport;
import dev.backspin.support.HalfClosingWriter;
import dev.backspin.support.JarProcess;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clustered nodes as separate processes from the fat jar, on loopback, joined by Hazelcast under
 * a cluster name of their own. Fronts on one node, workers on others. On each transport: the
 * event bus between the nodes runs on it too, not only the clients' sockets.
 */
class ClusterIT extends EachTransport {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern DEPLOYED = Pattern.compile("Succeeded in deploying verticle");

  @TempDir
  Path dir;

  private final String cluster = "backspin-test-" + UUID.randomUUID();
  private final List<JarProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (JarProcess n : nodes) {
      n.close();
    }
  }

  private JarProcess node(String name, String services) throws Exception {
    Path conf = dir.resolve(name + ".json");
    Files.writeString(conf, "{\"transport\": \"" + transport.id() + "\", \"cluster\": {\"name\": \"" + cluster + "\"}, \"drainSeconds\": 0, " + services + "}");
    JarProcess p = JarProcess.start(List.of("-jar", JarProcess.JAR.toString(), "-cluster", "-conf", conf.toString()));
    nodes.add(p);
    return p;
  }

  private static final String WORKERS_ONLY = "\"reverse\": {\"instances\": 0, \"workers\": 1}";
  private static final String FRONTS_ONLY = "\"reverse\": {\"host\": \"127.0.0.1\", \"port\": 0, \"workers\": 0, \"remoteTimeoutMillis\": 1500}";

  @Test
  void aRemoteWorkerReversesInOrderAndBroadcastCrossesNodes() throws Exception {
    JarProcess b = node("b", WORKERS_ONLY + ", \"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0}");
    int broadcastB = b.awaitPort("broadcast", START);
    b.awaitLine(DEPLOYED, START);
    JarProcess a = node("a", FRONTS_ONLY + ", \"broadcast\": {\"host\": \"127.0.0.1\", \"port\": 0}, "
      + "\"http\": {\"host\": \"127.0.0.1\", \"port\": 0}");
    int httpA = Integer.parseInt(a.awaitLine(Pattern.compile("operations endpoint on http://127.0.0.1:(\\d+)/"), START).group(1));
    int reverseA = a.awaitReversePort(START);
    int broadcastA = a.awaitPort("broadcast", START);
    a.awaitLine(DEPLOYED, START);
    // ready: deployed, a member, and the cluster safe (503 while partitions migrate to the new member)
    HttpResponse<String> ready = new Scrape(httpA).getWhen("/ready", r -> r.statusCode() == 200);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"id\":\"cluster\",\"status\":\"UP\"");

    // 8 connections pipeline 2000 lines each through node A to node B's worker and back
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int id = c;
      clients.add(CompletableFuture.runAsync(() -> pipeline(reverseA, id, 2000)));
    }
    CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

    try (LineSocket onA = new LineSocket(broadcastA, 15_000); LineSocket onB = new LineSocket(broadcastB, 15_000)) {
      // both nodes were up and subscribed before: a frame published on one is written on the other
      onB.send("from B\n");
      assertThat(onA.readLine()).isEqualTo("from B\n");
      onA.send("from A\n");
      assertThat(onB.readLine()).isEqualTo("from A\n");
    }
  }

  /** Worker nodes b and c, then a front node a with no workers: the port of a's reverse front. */
  private record TwoWorkersOneFront(JarProcess b, JarProcess c, JarProcess a, int port) {
  }

  private TwoWorkersOneFront twoWorkersOneFront() throws Exception {
    JarProcess b = node("b", WORKERS_ONLY);
    JarProcess c = node("c", WORKERS_ONLY);
    b.awaitLine(DEPLOYED, START);
    c.awaitLine(DEPLOYED, START);
    JarProcess a = node("a", FRONTS_ONLY);
    int port = a.awaitReversePort(START);
    a.awaitLine(DEPLOYED, START);
    return new TwoWorkersOneFront(b, c, a, port);
  }

  /** Sends {@code prefix i} for i below 20, one at a time, each answered reversed. */
  private static void answeredOneByOne(LineSocket s, String prefix) throws Exception {
    for (int i = 0; i < 20; i++) {
      s.send(prefix + " " + i + "\n");
      assertThat(s.readLine()).isEqualTo(new StringBuilder(prefix + " " + i).reverse() + "\n");
    }
  }

  /**
   * One cluster, three faults in turn (a cluster takes seconds to start, so they share one): worker
   * node b pauses while clients' lines flow, then c is killed, then b.
   */
  @Test
  void workerNodesThatPauseOrDieNeitherLoseFramesNorHangClients() throws Exception {
    TwoWorkersOneFront nodes = twoWorkersOneFront();
    JarProcess b = nodes.b();
    JarProcess c = nodes.c();
    JarProcess a = nodes.a();
    int port = nodes.port();
    try (LineSocket s = new LineSocket(port, 30_000)) {
      answeredOneByOne(s, "warm");
    }

    // clients pipeline numbered lines, one every 10 ms, from before b stops until after it goes
    // on; c answers throughout. b is stopped for PAUSE, longer than remoteTimeoutMillis (1500)
    // but shorter than Hazelcast's max.no.heartbeat (6 s): b stays a member, it only answers late
    List<PacedClient> clients = new ArrayList<>();
    for (int i = 0; i < PACED_CLIENTS; i++) {
      clients.add(new PacedClient(port, i, PACED_LINES));
    }
    clients.forEach(PacedClient::start);
    long stopped;
    long resumed;
    for (PacedClient client : clients) { // b stops while the clients' lines are flowing
      assertThat(client.flowing.await(20, TimeUnit.SECONDS)).as("client %d got its first replies", client.id).isTrue();
    }
    try {
      signal(b, "STOP");
      stopped = System.nanoTime();
      awaitState(b, true);
      Thread.sleep(PAUSE.toMillis());
    } finally {
      signal(b, "CONT");
    }
    resumed = System.nanoTime();
    awaitState(b, false);

    int whole = 0;
    int answeredWhileStopped = 0;
    // the writers end about 3 s after b goes on; what b's pause held up is answered soon after
    long deadline = resumed + TimeUnit.SECONDS.toNanos(15);
    for (PacedClient client : clients) {
      whole += client.awaitAndCheck(deadline) ? 1 : 0;
      // a reply at least a timeout after b stopped came from c, or from b asked again
      answeredWhileStopped += client.repliesBetween(stopped + TimeUnit.MILLISECONDS.toNanos(1600), resumed);
    }
    // the pause did bite: requests to b went unanswered and were asked again
    assertThat(a.output()).contains("no answer from a reverse worker (TIMEOUT); asking again");
    assertThat(answeredWhileStopped).as("replies while b was stopped").isPositive();
    System.out.printf("[%s] paused worker: %d of %d clients got every reply; %d replies while b was stopped%n",
      transport.id(), whole, clients.size(), answeredWhileStopped);

    try (LineSocket s = new LineSocket(port, 30_000)) {
      answeredOneByOne(s, "before");
      kill9(c);
      // b answers again, as a member: requests that went to c time out and are asked again, and b
      // answers all of them, in order
      answeredOneByOne(s, "after");
      kill9(b);
      // no worker is left: the client is told, not left hanging
      s.send("orphan\n");
      assertThat(s.readLine()).isIn("ERR worker timed out\n", "ERR no worker available\n");
      assertThat(s.readLine()).isNull();
    }
    // the front node still accepts and answers with ERR, it does not hang
    try (LineSocket s = new LineSocket(port, 30_000)) {
      s.send("anyone\n");
      assertThat(s.readLine()).startsWith("ERR ");
    }
  }

  private static final int PACED_CLIENTS = 6;
  private static final int PACED_LINES = 700;
  private static final Duration PAUSE = Duration.ofSeconds(4);

  /**
   * A client that writes {@code lines} numbered lines, one every 10 ms, then half-closes, and
   * reads on its own thread every line that comes back, with the time it came.
   */
  private static final class PacedClient {
    private final int id;
    private final int lines;
    private final Socket socket;
    private final List<String> got = new ArrayList<>();
    private final List<Long> at = new ArrayList<>();
    private volatile boolean errSeen;
    private volatile Throwable readFailure;
    final java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(10); // its first 10 replies
    private Thread writer;
    private Thread reader;

    PacedClient(int port, int id, int lines) throws Exception {
      this.id = id;
      this.lines = lines;
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
    }

    static String line(int id, int i) {
      return "client " + id + " line " + i;
    }

    void start() {
      writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          for (int i = 0; i < lines && !errSeen; i++) {
            out.write((line(id, i) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(10);
          }
          socket.shutdownOutput();
        } catch (Exception e) {
          // after an ERR the server closes: writing on may fail, and it does not matter
        }
      }, "paced-writer-" + id);
      reader = new Thread(() -> {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          int ch;
          while ((ch = in.read()) != -1) {
            b.write(ch);
            if (ch == '\n') {
              String l = b.toString(StandardCharsets.US_ASCII);
              b.reset();
              synchronized (this) {
                got.add(l);
                at.add(System.nanoTime());
              }
              flowing.countDown();
              if (l.startsWith("ERR ")) {
                errSeen = true;
              }
            }
          }
          if (b.size() > 0) {
            synchronized (this) {
              got.add(b.toString(StandardCharsets.US_ASCII)); // a partial last line: check() reports it
              at.add(System.nanoTime());
            }
          }
        } catch (Throwable e) {
          readFailure = e;
        }
      }, "paced-reader-" + id);
      writer.start();
      reader.start();
    }

    /**
     * Waits until the server has closed (by {@code deadline}, a nanoTime), then checks what came.
     * One still open by then is closed and checked too: a reply lost on the way shows as such.
     */
    boolean awaitAndCheck(long deadline) throws Exception {
      writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      boolean done = !reader.isAlive();
      socket.close();
      writer.join(10_000);
      reader.join(10_000);
      if (!done) {
        synchronized (this) {
          readFailure = null; // the close above ended the read
        }
        check();
        throw new AssertionError("client " + id + ": the server did not close after " + got.size() + " replies");
      }
      return check();
    }

    /**
     * What came back is the replies to lines 0, 1, 2, ... in order, each once, then either the
     * end (every line answered) or one ERR line and the end: nothing lost silently, nothing twice.
     * A connection reset after the ERR is fine. Returns whether every line was answered.
     */
    synchronized boolean check() {
      for (int i = 0; i < got.size(); i++) {
        String l = got.get(i);
        if (l.startsWith("ERR ") && l.endsWith("\n")) {
          assertThat(got.subList(i + 1, got.size())).as("client %d: what came after its %s", id, l.strip()).isEmpty();
          return false;
        }
        String want = i < lines ? new StringBuilder(line(id, i)).reverse() + "\n" : "(nothing: all " + lines + " lines were answered)";
        // newlines shown as \\n, so that a failure reads on one line
        assertThat(l.replace("\n", "\\n")).as("client %d: reply %d (the replies before it were right)", id, i)
          .isEqualTo(want.replace("\n", "\\n"));
      }
      assertThat(readFailure).as("client %d: reading after %d replies, with no ERR", id, got.size()).isNull();
      assertThat(got).as("client %d: replies, with no ERR", id).hasSize(lines);
      return true;
    }

    synchronized int repliesBetween(long from, long to) {
      int n = 0;
      for (int i = 0; i < at.size(); i++) {
        if (at.get(i) >= from && at.get(i) < to && !got.get(i).startsWith("ERR ")) {
          n++;
        }
      }
      return n;
    }
  }

  private static void signal(JarProcess p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, p.pid()).isZero();
  }

  /** Waits (up to 2 s) until the process is stopped, or no longer stopped. */
  private static void awaitState(JarProcess p, boolean stopped) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while ((state(p) == 'T') != stopped) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("process " + p.pid() + " is in state " + state(p) + (stopped ? ", not stopped" : ", still stopped"));
      }
      Thread.sleep(10);
    }
  }

  /** The process's state letter from /proc: 'T' while stopped. */
  private static char state(JarProcess p) throws Exception {
    // the letter follows the command name in parentheses, which may hold spaces
    String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  private static void kill9(JarProcess p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
    p.awaitExit(Duration.ofSeconds(10));
  }

  private static void pipeline(int port, int id, int lines) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder();
      StringBuilder rep = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        String line = "client " + id + " says " + i;
        req.append(line).append('\n');
        rep.append(new StringBuilder(line).reverse()).append('\n');
      }
      CompletableFuture<Void> writer = HalfClosingWriter.write(s, req.toString().getBytes(StandardCharsets.US_ASCII));
      String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      writer.get(30, TimeUnit.SECONDS);
      assertThat(got).isEqualTo(rep.toString());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
