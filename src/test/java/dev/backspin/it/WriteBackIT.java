package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.Payloads;
import dev.backspin.support.Payloads.Script;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.backspin.support.ByteAssert.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape's write-back: the worker writes each connection's replies to that socket's
 * {@code writeHandlerID}, one event-bus message per connection per drain. An inbound interceptor
 * on the server's event bus sees every message delivered to a socket's write handler (Vert.x names
 * them {@code __vertx.net.<uuid>}; the test's own client sockets register none), so if replies
 * went any other way, it would see none of their bytes.
 */
class WriteBackIT extends TransportVertxTest {

  private static final int CONNECTIONS = 5;
  private static final int LINES = 300;

  private final Map<String, ByteArrayOutputStream> bySocket = new HashMap<>();
  private final AtomicInteger messages = new AtomicInteger();

  /** Records every message delivered to a socket's write handler on the server's event bus. */
  private void interceptWriteHandlers() {
    vertx.eventBus().addInboundInterceptor(dc -> {
      String address = dc.message().address();
      if (address.startsWith("__vertx.net.")) {
        messages.incrementAndGet();
        byte[] bytes = ((Buffer) dc.body()).getBytes();
        synchronized (bySocket) {
          bySocket.computeIfAbsent(address, a -> new ByteArrayOutputStream()).writeBytes(bytes);
        }
      }
      dc.next();
    });
  }

  @Test
  void everyReplyGoesThroughItsSocketsWriteHandlerJoinedPerDrain(VertxTestContext ctx) throws Throwable {
    interceptWriteHandlers();
    exchange(ctx, new JsonObject(), sent -> {
      List<byte[]> seen;
      synchronized (bySocket) {
        assertThat(bySocket).as("sockets whose write handler was sent replies").hasSize(CONNECTIONS);
        seen = bySocket.values().stream().map(ByteArrayOutputStream::toByteArray).toList();
      }
      // each socket's write handler got exactly one connection's replies, all of them, in order
      for (int c = 0; c < CONNECTIONS; c++) {
        byte[] expected = sent.get(c).reply();
        assertThat(seen).as("connection %d's replies through one write handler", c)
          .anySatisfy(got -> assertSameBytes("write handler of connection", expected, got));
      }
      // one message per connection per drain, not one per line: each client wrote its lines in chunks
      assertThat(messages.get()).as("messages to write handlers for %d lines", CONNECTIONS * LINES).isLessThan(CONNECTIONS * LINES / 2);
    });
  }

  @Test
  void withWriteBackFrontTheFrontWritesAndNoSocketHasAWriteHandler(VertxTestContext ctx) throws Throwable {
    interceptWriteHandlers();
    exchange(ctx, new JsonObject().put("writeBack", "front"), sent -> {
      synchronized (bySocket) {
        assertThat(bySocket).as("sockets whose write handler was sent replies").isEmpty();
      }
    });
  }

  /** Runs the connections against a server with {@code extra} reverse keys, checks every reply, then {@code check}. */
  private void exchange(VertxTestContext ctx, JsonObject extra, Consumer<List<Script>> check) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject().put("instances", 2).put("workers", 2).mergeIn(extra));
    Random seeds = new Random(12);
    List<Script> sent = new ArrayList<>();
    TestServer.deploy(vertx, conf).compose(server -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        Random rnd = new Random(seeds.nextLong());
        Script s = Payloads.lines(rnd, LINES, 80);
        sent.add(s);
        replies.add(Exchange.run(client, server.port(), s.request(), s.reply().length, 8192, rnd));
      }
      return Future.all(replies);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int c = 0; c < CONNECTIONS; c++) {
        assertSameBytes("connection " + c + " as its client read it", sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
      }
      check.accept(sent);
      ctx.completeNow();
    })));
    await(ctx, 60);
  }
}
