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
 * Streaming clients too: their big reads leave for the worker as soon as they are read, ahead of
 * the small ones of the same event-loop cycle, and each connection's order must still hold.
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

  @Test
  void bigReadsFromConnectionsSharingAShardComeBackInOrder(VertxTestContext ctx) throws Throwable {
    // one front, two shards: ~2 MB of lines up to 30 KB each per connection, written 64 KiB at a
    // time, so most reads pass the early-send size; and one connection of short lines beside them
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject().put("instances", 1).put("workers", 2));
    pipeline(ctx, conf, 7, rnd -> rnd.nextInt(7) == 0 ? Payloads.lines(rnd, FRAMES, 120) : Payloads.lines(rnd, 140, 30_000), 65536);
  }

  private void pipeline(VertxTestContext ctx, String framing, Function<Random, Script> scripts) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject().put("framing", framing).put("instances", 4).put("workers", 4));
    pipeline(ctx, conf, CONNECTIONS, scripts, 2048);
  }

  private void pipeline(VertxTestContext ctx, JsonObject conf, int connections, Function<Random, Script> scripts, int maxChunk) throws Throwable {
    Random seeds = new Random(42);
    List<Script> sent = new ArrayList<>();
    TestServer.deploy(vertx, conf).compose(server -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        Random rnd = new Random(seeds.nextLong());
        Script s = scripts.apply(rnd);
        sent.add(s);
        replies.add(Exchange.run(client, server.port(), s.request(), s.reply().length, maxChunk, rnd));
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < connections; c++) {
        assertSameBytes("connection " + c, sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
      }
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
