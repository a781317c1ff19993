package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.Payloads;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.backspin.support.ByteAssert.assertSameBytes;

/** Raw framing, ping-pong: one chunk out, wait for it to come back whole and reversed, repeat. */
class RawPingPongIT extends TransportVertxTest {

  private static final int ROUNDS = 200;


  @Test
  void eachChunkComesBackReversed(VertxTestContext ctx) throws Throwable {
    Random rnd = new Random(7);
    TestServer.deploy(vertx, TestServer.reverseConfig(transport, new JsonObject().put("framing", "raw")))
      .compose(server -> client.connect(server.port(), "127.0.0.1"))
      .compose(socket -> round(ctx, socket, rnd, 0))
      .onComplete(ctx.succeedingThenComplete());
    await(ctx, 30);
  }

  private Future<Void> round(VertxTestContext ctx, NetSocket socket, Random rnd, int i) {
    if (i == ROUNDS) {
      return Future.succeededFuture(); // the last round ended the input, and the server closed
    }
    // small pings, so one write arrives as one read: raw framing reverses per read
    byte[] ping = new byte[1 + rnd.nextInt(64)];
    rnd.nextBytes(ping);
    // each round's bytes must be exactly its pong: a late or repeated byte lands in the next
    // round; the last round ends the input and reads to the server's close, so none goes unseen
    Future<io.vertx.core.buffer.Buffer> pong = i == ROUNDS - 1 ? Exchange.collect(socket, ping.length) : Exchange.collectFirst(socket, ping.length);
    socket.write(io.vertx.core.buffer.Buffer.buffer(ping));
    return pong.compose(got -> {
      ctx.verify(() -> assertSameBytes("round " + i, Payloads.reversed(ping), got.getBytes()));
      return round(ctx, socket, rnd, i + 1);
    });
  }
}
