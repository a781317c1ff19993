package dev.backspin.it;

import dev.backspin.config.ServiceKind;
import dev.backspin.front.Connection;
import dev.backspin.front.FrontVerticle;
import dev.backspin.service.BroadcastFronts;
import dev.backspin.service.BroadcastRoute;
import dev.backspin.support.NumberedLines;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-front backpressure: the event bus queues each broadcast front's messages on its event
 * loop without limit, so a sender on one front must be held back while another front of the
 * same Vert.x is behind, and nothing may be lost. Front B's event loop is held busy while a
 * client on front A floods; then B is let go and every receiver must get every byte, in order.
 */
class BroadcastBacklogIT extends TransportVertxTest {

  private static final Logger log = LoggerFactory.getLogger(BroadcastBacklogIT.class);
  private static final int CLIENTS = 6;
  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK_LINES = 64; // 64,000 bytes a write
  private static final long FLOOD_MILLIS = 2_000;
  /** Bounded in count too: without backpressure, the flood stops here. */
  private static final long FLOOD_CAP = 256L << 20;
  /**
   * Stated bound on what the server may read from the sender while B is held: B lags past
   * maxInFlightBytes (1 MiB), then the sender's credits (maxInFlightBytes, 1 MiB) run out;
   * one read more, and slack.
   */
  private static final long HELD_BOUND = 4L << 20;
  /** What the sender can push at all while held: the above, plus the sockets' kernel buffers. */
  private static final long PUSH_BOUND = 32L << 20;

  // the clients' own Vert.x: holding a server event loop must not hold a client too
  private Vertx clientVertx;
  private NetClient net;

  @AfterEach
  void closeClients() throws Exception {
    if (clientVertx != null) {
      clientVertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** One client: skips the hellos, then checks every byte against the numbered stream. */
  private static final class Reader {
    final NetSocket socket;
    final int port;
    final Promise<Void> hellos = Promise.promise();
    final Promise<Long> done = Promise.promise();
    long helloBytes;
    long received; // stream bytes, after the hellos
    long expected = -1; // known once the flood ends
    String wrong;

    Reader(NetSocket socket) {
      this.socket = socket;
      this.port = socket.localAddress().port();
      socket.handler(this::onData);
      socket.closeHandler(v -> done.tryFail("closed by the server after " + received + " bytes"));
    }

    private void onData(Buffer b) {
      int i = 0;
      long helloTotal = (long) (CLIENTS - 1) * HELLO.length;
      for (; i < b.length() && helloBytes < helloTotal; i++, helloBytes++) {
        if (b.getByte(i) != HELLO[(int) (helloBytes % HELLO.length)]) {
          wrong = "hello byte " + helloBytes + " is wrong";
        }
      }
      if (helloBytes == helloTotal) {
        hellos.tryComplete();
      }
      for (; i < b.length(); i++, received++) {
        if (wrong == null && b.getByte(i) != NumberedLines.byteAt(received)) {
          wrong = "byte " + received + " (line " + received / NumberedLines.LENGTH + ") is '" + (char) b.getByte(i)
            + "', not '" + (char) NumberedLines.byteAt(received) + "'";
        }
      }
      check();
    }

    void expect(long bytes) {
      expected = bytes;
      check();
    }

    private void check() {
      if (wrong != null) {
        done.tryFail(wrong);
      } else if (expected >= 0 && received > expected) {
        done.tryFail("got " + received + " bytes, more than the " + expected + " sent");
      } else if (expected >= 0 && received == expected) {
        done.tryComplete(received);
      }
    }
  }

  /** Writes numbered lines as fast as the socket takes them, until the time or the cap is up. */
  private static final class Flood {
    final NetSocket socket;
    final Promise<Long> issued = Promise.promise();
    long next; // line
    long bytes; // handed to write()
    long pushed; // written to the socket: the kernel took them
    boolean over;

    Flood(NetSocket socket) {
      this.socket = socket;
    }

    void run(Vertx vertx) {
      vertx.setTimer(FLOOD_MILLIS, t -> stop());
      socket.drainHandler(v -> pump());
      pump();
    }

    private void pump() {
      while (!over && !socket.writeQueueFull()) {
        if (bytes >= FLOOD_CAP) {
          stop();
          return;
        }
        Buffer chunk = NumberedLines.lines(next, CHUNK_LINES);
        next += CHUNK_LINES;
        bytes += chunk.length();
        socket.write(chunk).onSuccess(v -> pushed += chunk.length());
      }
    }

    private void stop() {
      over = true;
      issued.tryComplete(bytes);
    }
  }

  @Test
  void aSenderIsHeldBackWhileAnotherFrontIsBehindAndNothingIsLost(VertxTestContext ctx) throws Throwable {
    // Receivers need not keep up with the sender when it is let go (all of them share one client
    // loop on two cores): a queue of 32 MiB each, more than it can push while held, keeps the ones
    // that fall behind from being cut off, and leaves the fronts' limit at maxInFlightBytes (1 MiB).
    TestServer server = TestServer.deploy(vertx, TestServer.serviceConfig(transport, ServiceKind.BROADCAST,
      new JsonObject().put("instances", 2).put("maxQueuedBytes", 32 << 20))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))).await(20, TimeUnit.SECONDS);
    int port = server.port(ServiceKind.BROADCAST);
    clientVertx = TestServer.vertx(transport);
    net = clientVertx.createNetClient();
    Context clients = clientVertx.getOrCreateContext(); // every client on one loop: no locking in the test

    // Each client says hello; every one hearing all the others shows the server has them all.
    List<Reader> readers = onContext(clients, () -> {
      List<Future<NetSocket>> connects = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        connects.add(net.connect(port, "127.0.0.1"));
      }
      return Future.all(connects).map(all -> {
        List<Reader> rs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          rs.add(new Reader(all.resultAt(c)));
        }
        return rs;
      });
    });
    // A connect completes before the server has taken the connection, and a broadcast reaches only
    // the connections it has: a hello sent now could miss a client. Wait until it counts them all.
    String open = "backspin_connections_open{service=\"broadcast\"}";
    assertThat(Scrape.value(new Scrape(server.httpPort()).metricsWhen(t -> Scrape.value(t, open) == CLIENTS), open))
      .as("connections the server has taken").isEqualTo(CLIENTS);
    for (Reader r : readers) {
      onContext(clients, () -> r.socket.write(Buffer.buffer(HELLO)));
    }
    step("every client hears every other's hello", Future.all(readers.stream().map(r -> r.hellos.future()).toList()), 20);

    // which front each client landed on, asked on each front's own event loop
    BroadcastFronts fronts = BroadcastFronts.of(vertx, BroadcastRoute.address(ServiceKind.BROADCAST.id()));
    Map<String, BroadcastFronts.Member> members = fronts.members().stream()
      .collect(Collectors.toMap(BroadcastFronts.Member::id, m -> m));
    Map<BroadcastFronts.Member, Set<Integer>> portsOn = new HashMap<>();
    for (FrontVerticle f : server.fronts(ServiceKind.BROADCAST)) {
      BroadcastFronts.Member m = members.get(f.id());
      assertThat(m).as("front %s is a member", f.id()).isNotNull();
      Promise<Set<Integer>> ports = Promise.promise();
      m.loop().execute(() -> ports.complete(f.connections().stream()
        .map(Connection::remotePort).collect(Collectors.toSet())));
      portsOn.put(m, step("front " + f.id() + " lists its connections", ports.future(), 10));
    }
    assertThat(portsOn).hasSize(2);
    List<BroadcastFronts.Member> byLoad = new ArrayList<>(portsOn.keySet());
    byLoad.sort((x, y) -> portsOn.get(y).size() - portsOn.get(x).size());
    BroadcastFronts.Member a = byLoad.get(0);
    BroadcastFronts.Member b = byLoad.get(1);
    assertThat(portsOn.get(a)).as("front A: a sender and a receiver").hasSizeGreaterThanOrEqualTo(2);
    assertThat(portsOn.get(b)).as("front B: a receiver").isNotEmpty();
    Reader sender = readers.stream().filter(r -> portsOn.get(a).contains(r.port)).findFirst().orElseThrow();
    List<Reader> receivers = readers.stream().filter(r -> r != sender).toList();

    // hold B's event loop, as a slower or busier front would be; let go in time whatever happens
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    b.loop().execute(() -> {
      held.countDown();
      try {
        release.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertThat(held.await(10, TimeUnit.SECONDS)).as("front B's loop is held").isTrue();
      Flood flood = new Flood(sender.socket);
      long issued = onContext(clients, () -> {
        flood.run(clientVertx);
        return flood.issued.future();
      });
      long readWhileHeld = b.backlog(); // B delivered nothing: all the server read from the sender
      long pushed = onContext(clients, () -> Future.succeededFuture(flood.pushed));
      log.info("{}: while front B was held for {} ms, the sender pushed {} bytes and the server read {} bytes of them",
        transport.id(), FLOOD_MILLIS, pushed, readWhileHeld);
      assertThat(readWhileHeld).as("bytes the server read from the sender while front B was held").isLessThan(HELD_BOUND);
      assertThat(pushed).as("bytes the sender could push while front B was held").isLessThan(PUSH_BOUND);
      release.countDown();

      // let go: every receiver, on A and on B, gets every byte sent, whole and in order
      for (Reader r : receivers) {
        onContext(clients, () -> r.expect(issued));
      }
      Future.all(receivers.stream().map(r -> r.done.future()).toList()).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < receivers.size(); i++) {
          assertThat(all.<Long>resultAt(i)).isEqualTo(issued);
        }
        assertThat(sender.received).as("the sender gets none of its own lines").isZero();
        assertThat(sender.wrong).isNull();
        assertThat(b.backlog()).as("front B caught up").isZero();
        ctx.completeNow();
      })));
      await(ctx, 20);
    } finally {
      release.countDown();
    }
  }

  private interface Step<T> {
    Future<T> run();
  }

  /** Waits for {@code f}; a timeout fails the test with what was waited for. */
  private static <T> T step(String what, Future<T> f, int seconds) throws Exception {
    try {
      return f.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not within " + seconds + " s: " + what, e);
    }
  }

  /** Runs {@code step} on the clients' loop and waits for its result. */
  private static <T> T onContext(Context c, Step<T> step) throws Exception {
    Promise<T> p = Promise.promise();
    c.runOnContext(v -> step.run().onComplete(p));
    return step("a step on the clients' event loop", p.future(), 30);
  }

  private static void onContext(Context c, Runnable step) throws Exception {
    onContext(c, () -> {
      step.run();
      return Future.succeededFuture();
    });
  }
}
