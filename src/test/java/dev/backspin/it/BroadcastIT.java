package dev.backspin.it;

import dev.backspin.config.ServiceKind;
import dev.backspin.support.Exchange;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Broadcast: each frame reaches every other client whole, never the sender; slow receivers are cut off. */
class BroadcastIT extends TransportVertxTest {


  @Test
  void everyLineReachesEveryOtherClientWhole(VertxTestContext ctx) throws Throwable {
    int clients = 4;
    int linesEach = 200;
    TestServer server = TestServer.deploy(vertx, TestServer.serviceConfig(transport, ServiceKind.BROADCAST, new JsonObject().put("instances", 2)))
      .await(20, TimeUnit.SECONDS);
    List<NetSocket> sockets = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      sockets.add(client.connect(server.port(ServiceKind.BROADCAST), "127.0.0.1").await(10, TimeUnit.SECONDS));
    }
    // each client expects every line of the others: (clients - 1) * linesEach lines
    int lineLen = "client 0 line 000\n".length();
    List<Future<Buffer>> received = new ArrayList<>();
    for (NetSocket s : sockets) {
      received.add(Exchange.collect(s, (clients - 1) * linesEach * lineLen));
    }
    for (int c = 0; c < clients; c++) {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < linesEach; i++) {
        all.append(String.format("client %d line %03d\n", c, i));
      }
      // written in pieces that split lines: receivers must still get whole lines
      byte[] bytes = all.toString().getBytes(StandardCharsets.US_ASCII);
      for (int pos = 0; pos < bytes.length; pos += 7) {
        sockets.get(c).write(Buffer.buffer().appendBytes(bytes, pos, Math.min(7, bytes.length - pos)));
      }
    }
    Future.all(received).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < clients; c++) {
        String got = all.<Buffer>resultAt(c).toString(StandardCharsets.US_ASCII);
        List<String> lines = Arrays.asList(got.split("\n", -1)).subList(0, (clients - 1) * linesEach);
        for (String line : lines) {
          assertThat(line).matches("client \\d line \\d{3}").doesNotStartWith("client " + c + " ");
        }
        for (int other = 0; other < clients; other++) {
          if (other == c) {
            continue;
          }
          // one sender's lines arrive in the order it sent them
          String prefix = "client " + other + " ";
          List<String> fromOther = lines.stream().filter(l -> l.startsWith(prefix)).toList();
          assertThat(fromOther).hasSize(linesEach);
          for (int i = 0; i < linesEach; i++) {
            assertThat(fromOther.get(i)).isEqualTo(String.format("client %d line %03d", other, i));
          }
        }
      }
      ctx.completeNow();
    })));
    await(ctx, 30);
  }

  @Test
  void aReceiverThatNeverReadsIsCutOffAndTheOthersGoOn(VertxTestContext ctx) throws Throwable {
    TestServer server = TestServer.deploy(vertx, TestServer.serviceConfig(transport, ServiceKind.BROADCAST,
      new JsonObject().put("maxQueuedBytes", 64 * 1024))).await(20, TimeUnit.SECONDS);
    int port = server.port(ServiceKind.BROADCAST);
    try (Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(4096); // never reads: its window fills, then the server's queue
      stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      NetSocket sender = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
      NetSocket reader = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
      String line = "x".repeat(1000) + "\n";
      int lines = 20_000; // 20 MB: far more than the stuck receiver's window and queue
      Future<Buffer> got = Exchange.collect(reader, lines * line.length());
      Buffer chunk = Buffer.buffer(line.repeat(100));
      for (int i = 0; i < lines / 100; i++) {
        sender.write(chunk);
      }
      got.onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.length()).isEqualTo(lines * line.length());
        assertThat(all.toString(StandardCharsets.US_ASCII)).isEqualTo(line.repeat(lines));
        ctx.completeNow();
      })));
      assertThat(ctx.awaitCompletion(60, TimeUnit.SECONDS)).as("completed in time").isTrue();
      if (ctx.failed()) {
        throw ctx.causeOfFailure();
      }
      // the stuck receiver was cut off: it reads what was queued for it, then ERR too slow and EOF
      stuck.setSoTimeout(20_000);
      byte[] tail = stuck.getInputStream().readAllBytes();
      String end = new String(tail, Math.max(0, tail.length - 200), Math.min(200, tail.length), StandardCharsets.US_ASCII);
      assertThat(end).endsWith("ERR too slow\n");
      assertThat(tail.length).isLessThan(lines * line.length());
    }
  }
}
