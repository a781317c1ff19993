package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.Payloads.Script;
import dev.backspin.support.Payloads;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import dev.backspin.bus.Batch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import java.util.Random;

import static dev.backspin.support.ByteAssert.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backpressure under pressure: a ring of one slot (always full) and credits of a few hundred
 * bytes (reading pauses and resumes constantly) must still lose and reorder nothing, and the
 * credits must hold.
 *
 * <p>The credits are watched on the event bus, where the frames go to the workers and the
 * replies come back to each socket's writeHandlerID. Per socket, the frame bytes sent minus the
 * reply bytes sent back are at most what the connection itself counts as in flight: a frame is
 * sent after it was read, a reply is sent before it reaches the socket and gives its credits
 * back. A connection reads only while it has fewer than {@code maxInFlightBytes} in flight,
 * so when a read's frames leave for a worker, fewer than that were on the bus before them. When
 * more than that are in flight after them, the connection was over its mark and paused.
 */
class BackpressureIT extends TransportVertxTest {

  private static final int MAX_IN_FLIGHT = 256;

  /** One socket's traffic on the bus; the front's loop writes {@code sent}, the worker {@code replied}. */
  private static final class Flow {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong replied = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong mostBeforeARead = new AtomicLong(); // most in flight when a read's frames left
    final AtomicLong overTheMark = new AtomicLong(); // reads after which the connection had to pause
  }

  @Test
  void ringOfOneAndTinyCreditsLoseNothing(VertxTestContext ctx) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject()
      .put("ringCapacity", 1).put("maxInFlightBytes", MAX_IN_FLIGHT).put("workers", 2).put("instances", 2)
      .put("writeBack", "socket"));
    Map<String, Flow> flows = new ConcurrentHashMap<>(); // by the socket's writeHandlerID
    Handler<DeliveryContext<Object>> watch = dc -> {
      Object body = dc.body();
      if (body instanceof Batch b) {
        for (int i = 0; i < b.size(); i++) {
          Flow f = flows.computeIfAbsent(b.socket(i), s -> new Flow());
          long before = f.sent.get() - f.replied.get();
          f.mostBeforeARead.accumulateAndGet(before, Math::max);
          f.reads.incrementAndGet();
          if (f.sent.addAndGet(b.frames(i).length()) - f.replied.get() >= MAX_IN_FLIGHT) {
            f.overTheMark.incrementAndGet();
          }
        }
      } else if (body instanceof Buffer reply && dc.message().address().startsWith("__vertx.net.")) {
        flows.computeIfAbsent(dc.message().address(), s -> new Flow()).replied.addAndGet(reply.length());
      }
      dc.next();
    };
    vertx.eventBus().addOutboundInterceptor(watch);
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
      long total = 0;
      for (int c = 0; c < sent.size(); c++) {
        assertSameBytes("connection " + c, sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
        total += sent.get(c).reply().length;
      }
      assertThat(flows).as("sockets seen on the bus").hasSize(sent.size());
      long onTheBus = 0;
      for (Map.Entry<String, Flow> e : flows.entrySet()) {
        Flow f = e.getValue();
        String who = "socket " + e.getKey() + " (" + f.reads + " reads)";
        assertThat(f.replied.get()).as("%s: reply bytes against frame bytes", who).isEqualTo(f.sent.get());
        assertThat(f.mostBeforeARead.get()).as("%s: most bytes in flight when it read (credits %d)", who, MAX_IN_FLIGHT)
          .isLessThan(MAX_IN_FLIGHT);
        assertThat(f.overTheMark.get()).as("%s: reads that took it over its credits, so that it paused", who).isPositive();
        onTheBus += f.sent.get();
      }
      assertThat(onTheBus).as("frame bytes through the workers").isEqualTo(total);
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
