package dev.backspin.it;

import dev.backspin.config.ServiceKind;
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

/** Echo: every frame comes back unchanged, in order, over the same front as reverse. */
class EchoIT extends TransportVertxTest {


  @Test
  void pipelinedLinesComeBackUnchanged(VertxTestContext ctx) throws Throwable {
    JsonObject conf = TestServer.serviceConfig(transport, ServiceKind.ECHO, new JsonObject().put("instances", 2).put("maxInFlightBytes", 4096));
    Random seeds = new Random(5);
    List<byte[]> sent = new ArrayList<>();
    TestServer.deploy(vertx, conf).compose(server -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        Random rnd = new Random(seeds.nextLong());
        Script s = Payloads.lines(rnd, 1000, 120);
        sent.add(s.request());
        replies.add(Exchange.run(client, server.port(ServiceKind.ECHO), s.request(), s.request().length, 2048, rnd));
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < sent.size(); c++) {
        assertSameBytes("connection " + c, sent.get(c), all.<Buffer>resultAt(c).getBytes());
      }
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
