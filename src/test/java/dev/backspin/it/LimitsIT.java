package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.LineSocket;
import dev.backspin.support.EpollVertxTest;
import dev.backspin.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-service limits: connection count, idle timeout, and bursts the C servers refused. */
class LimitsIT extends EpollVertxTest {


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
    // the count drops once the server has seen the clients' closes, which it hears a moment
    // later: only a new connection can tell, so try one until it is served (bounded)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String reply;
    do {
      try (LineSocket c = new LineSocket(port, 10_000)) {
        c.send("c1\n");
        reply = c.readLine();
      }
      if (!reply.equals("1c\n")) {
        assertThat(reply).isEqualTo("ERR too many connections\n");
        TimeUnit.MILLISECONDS.sleep(50); // poll interval
      }
    } while (!reply.equals("1c\n") && System.nanoTime() < deadline);
    assertThat(reply).isEqualTo("1c\n");
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
    await(ctx, 20);
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
    await(ctx, 60);
  }
}
