package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.LineSocket;
import dev.backspin.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-service limits: connection count, idle timeout, and bursts the C servers refused. */
@ExtendWith(VertxExtension.class)
class LimitsIT {

  private Vertx vertx;
  private NetClient client; // a field: an unreferenced NetClient can be closed by the GC

  @BeforeEach
  void setUp() {
    vertx = TestServer.epollVertx();
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void connectionsOverTheLimitAreRefusedWithAReason() throws Exception {
    int port = TestServer.deploy(vertx, TestServer.reverseConfig(new JsonObject().put("maxConnections", 2))).await(20, TimeUnit.SECONDS).port();
    try (LineSocket a = new LineSocket(port, 10_000); LineSocket b = new LineSocket(port, 10_000)) {
      a.send("a1\n");
      assertThat(a.readLine()).isEqualTo("1a\n");
      b.send("b1\n");
      assertThat(b.readLine()).isEqualTo("1b\n");
      try (LineSocket third = new LineSocket(port, 10_000)) {
        assertThat(third.readToEnd()).isEqualTo("ERR too many connections\n");
      }
      a.send("exit\n");
      assertThat(a.readToEnd()).isEmpty(); // the server closed a: its place is free once that is known
    }
    // the count drops when the server has seen the close: a fresh connection is served
    try (LineSocket c = new LineSocket(port, 10_000)) {
      c.send("c1\n");
      String reply = c.readLine();
      assertThat(reply).isIn("1c\n", "ERR too many connections\n");
      if (!reply.equals("1c\n")) {
        // b's close may still be in flight on the server's event loop: one more try settles it
        try (LineSocket d = new LineSocket(port, 10_000)) {
          d.send("d1\n");
          assertThat(d.readLine()).isEqualTo("1d\n");
        }
      }
    }
  }

  @Test
  void idleConnectionsAreClosedAndBusyOnesAreNot(VertxTestContext ctx) throws Throwable {
    int port = TestServer.deploy(vertx, TestServer.reverseConfig(new JsonObject().put("idleTimeoutSeconds", 1))).await(20, TimeUnit.SECONDS).port();
    NetSocket idle = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    NetSocket busy = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    long opened = System.nanoTime();
    Promise<Long> idleClosed = Promise.promise();
    idle.closeHandler(v -> idleClosed.tryComplete(System.nanoTime() - opened));
    // the busy one talks every 300 ms for 2.5 s, each time expecting its reply
    List<String> replies = new ArrayList<>();
    busy.handler(b -> replies.add(b.toString(StandardCharsets.US_ASCII)));
    Promise<Void> busyDone = Promise.promise();
    long[] sent = {0};
    vertx.setPeriodic(300, t -> {
      if (sent[0] == 8) {
        vertx.cancelTimer(t);
        busyDone.complete();
      } else {
        busy.write("ping" + sent[0]++ + "\n");
      }
    });
    Future.all(idleClosed.future(), busyDone.future()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(idleClosed.future().result()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
      assertThat(String.join("", replies)).startsWith("0gnip\n1gnip\n2gnip\n3gnip\n4gnip\n5gnip\n6gnip\n");
      ctx.completeNow();
    })));
    ctx.awaitCompletion(20, TimeUnit.SECONDS);
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }

  @Test
  void aBurstOf2000ConnectsIsServedInFull(VertxTestContext ctx) throws Throwable {
    int n = 2000;
    int port = TestServer.deploy(vertx, TestServer.reverseConfig(new JsonObject())).await(20, TimeUnit.SECONDS).port();
    List<Future<NetSocket>> connects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      connects.add(client.connect(port, "127.0.0.1")); // all at once, not one after another
    }
    Future.all(connects).compose(all -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        NetSocket s = all.resultAt(i);
        String line = "client " + i;
        Future<Buffer> reply = Exchange.collect(s, line.length() + 1);
        s.write(line + "\n");
        replies.add(reply);
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < n; i++) {
        assertThat(all.<Buffer>resultAt(i).toString(StandardCharsets.US_ASCII)).isEqualTo(new StringBuilder("client " + i).reverse() + "\n");
      }
      ctx.completeNow();
    })));
    ctx.awaitCompletion(60, TimeUnit.SECONDS);
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }
}
