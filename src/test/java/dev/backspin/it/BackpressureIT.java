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

import static dev.backspin.support.ByteAssert.assertSameBytes;

/**
 * Backpressure under pressure: a ring of one slot (always full) and credits of a few hundred
 * bytes (reading pauses and resumes constantly) must still lose and reorder nothing.
 */
class BackpressureIT extends TransportVertxTest {


  @Test
  void ringOfOneAndTinyCreditsLoseNothing(VertxTestContext ctx) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject()
      .put("ringCapacity", 1).put("maxInFlightBytes", 256).put("workers", 2).put("instances", 2));
    Random seeds = new Random(11);
    List<Script> sent = new ArrayList<>();
    TestServer.deploy(vertx, conf).compose(server -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        Random rnd = new Random(seeds.nextLong());
        Script s = Payloads.lines(rnd, 2000, 100);
        sent.add(s);
        replies.add(Exchange.run(client, server.port(), s.request(), s.reply().length, 8192, rnd));
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < sent.size(); c++) {
        assertSameBytes("connection " + c, sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
      }
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
