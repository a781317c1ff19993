package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.Payloads.Script;
import dev.backspin.support.Payloads;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static dev.backspin.support.ByteAssert.assertSameBytes;

/**
 * Invariant 1, byte-exact: with 4 front and 4 worker instances, 20 connections each pipeline
 * 1000 random frames in random-size chunks, and every reply comes back exactly once, in order.
 */
class ReversePipelineIT extends TransportVertxTest {

  private static final int CONNECTIONS = 20;
  private static final int FRAMES = 1000;


  @Test
  void linesComeBackReversedInOrder(VertxTestContext ctx) throws Throwable {
    pipeline(ctx, "line", rnd -> Payloads.lines(rnd, FRAMES, 120));
  }

  @Test
  void lengthFramesComeBackReversedInOrder(VertxTestContext ctx) throws Throwable {
    pipeline(ctx, "length", rnd -> Payloads.lengthFrames(rnd, FRAMES, 300));
  }

  private void pipeline(VertxTestContext ctx, String framing, Function<Random, Script> scripts) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject().put("framing", framing).put("instances", 4).put("workers", 4));
    Random seeds = new Random(42);
    List<Script> sent = new ArrayList<>();
    TestServer.deploy(vertx, conf).compose(server -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        Random rnd = new Random(seeds.nextLong());
        Script s = scripts.apply(rnd);
        sent.add(s);
        replies.add(Exchange.run(client, server.port(), s.request(), s.reply().length, 2048, rnd));
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < CONNECTIONS; c++) {
        assertSameBytes("connection " + c, sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
      }
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
