package dev.backspin.it;

import dev.backspin.BackspinServer;
import dev.backspin.config.TransportKind;
import dev.backspin.support.Exchange;
import dev.backspin.support.TestServer;
import dev.backspin.transport.KernelSends;
import dev.backspin.transport.Transports;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server really runs on epoll, and refuses to run on anything else when epoll is asked for.
 * About one transport and a mismatch, so not run per transport: the rest of the suite is.
 */
@ExtendWith(VertxExtension.class)
class TransportIT {

  private Vertx vertx;
  private NetClient client;

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void servesOnEpoll(VertxTestContext ctx) throws Throwable {
    vertx = TestServer.vertx(TransportKind.EPOLL);
    client = vertx.createNetClient();
    TestServer.deploy(vertx, TestServer.reverseConfig(TransportKind.EPOLL, new JsonObject()))
      .compose(server -> client.connect(server.port(), "127.0.0.1"))
      .compose(socket -> {
        // the same Vert.x opened this socket and the server's: both are epoll channels
        ctx.verify(() -> assertThat(((StreamChannelInternal) socket).channelHandlerContext().channel()).isInstanceOf(EpollSocketChannel.class));
        var reply = Exchange.collect(socket, 6);
        socket.write("hello\n");
        return reply;
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.toString(StandardCharsets.UTF_8)).isEqualTo("olleh\n");
        assertThat(vertx.isNativeTransportEnabled()).isTrue();
        assertThat(Transports.inUse(vertx)).isEqualTo("epoll");
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }

  /** TCP_INFO's last data sent, read on a live epoll socket that has just sent; nio cannot tell. */
  @Test
  void theKernelsLastSendIsReadOnEpollOnly() throws Exception {
    vertx = TestServer.vertx(TransportKind.EPOLL);
    Vertx nio = Vertx.vertx();
    try {
      TestServer server = TestServer.deploy(vertx, TestServer.reverseConfig(TransportKind.EPOLL, new JsonObject())).await(20, TimeUnit.SECONDS);
      for (Vertx v : new Vertx[] {vertx, nio}) {
        var socket = v.createNetClient().connect(server.port(), "127.0.0.1").await(20, TimeUnit.SECONDS);
        var reply = Exchange.collectFirst(socket, 6);
        socket.write("hello\n").await(20, TimeUnit.SECONDS);
        assertThat(reply.await(20, TimeUnit.SECONDS).toString(StandardCharsets.UTF_8)).isEqualTo("olleh\n");
        var channel = ((StreamChannelInternal) socket).channelHandlerContext().channel();
        assertThat(KernelSends.within(channel, 60_000)).as("%s: sent within a minute", channel.getClass().getSimpleName())
          .isEqualTo(v == vertx);
        socket.close().await(20, TimeUnit.SECONDS);
        assertThat(KernelSends.within(channel, 60_000)).as("closed").isFalse();
      }
    } finally {
      nio.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** With spinWaitMicros the event loops poll before they block: still epoll, still every byte. */
  @Test
  void servesOnEpollWithSpinningEventLoops(VertxTestContext ctx) throws Throwable {
    vertx = Vertx.builder().withTransport(Transports.select(TransportKind.EPOLL, 50)).build();
    client = vertx.createNetClient();
    assertThat(Transports.inUse(vertx)).isEqualTo("epoll");
    assertThat(Transports.spinWaitMicros(vertx)).isEqualTo(50);
    byte[] lines = "hello\nworld\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
    TestServer.deploy(vertx, TestServer.reverseConfig(TransportKind.EPOLL, new JsonObject()).put("spinWaitMicros", 50))
      .compose(server -> Exchange.run(client, server.port(), lines, lines.length, 700, new java.util.Random(3)))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.toString(StandardCharsets.US_ASCII)).isEqualTo("olleh\ndlrow\n".repeat(500));
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }

  /**
   * Built as the launcher builds it with workerSpinMicros: the worker pool's idle threads spin
   * before they park. Two workers, many connections at once, every byte still back in order.
   */
  @Test
  void servesWithASpinningWorkerPool(VertxTestContext ctx) throws Throwable {
    vertx = Transports.builder(50).withTransport(Transports.select(TransportKind.EPOLL, 0)).build();
    client = vertx.createNetClient();
    assertThat(Transports.workerSpinMicros(vertx)).isEqualTo(50);
    assertThat(Transports.inUse(vertx)).isEqualTo("epoll");
    byte[] lines = "hello\nworld\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
    JsonObject reverse = new JsonObject().put("workers", 2).put("instances", 2);
    TestServer.deploy(vertx, TestServer.reverseConfig(TransportKind.EPOLL, reverse).put("workerSpinMicros", 50))
      .compose(server -> Future.all(java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> Exchange.run(client, server.port(), lines, lines.length, 700, new java.util.Random(i))).toList()))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.<Buffer>resultAt(i).toString(StandardCharsets.US_ASCII)).isEqualTo("olleh\ndlrow\n".repeat(500));
        }
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }

  /** Vert.x's own builder: its worker pool parks at once. */
  @Test
  void vertxsOwnWorkerPoolDoesNotSpin() {
    vertx = Transports.builder(0).build();
    assertThat(Transports.workerSpinMicros(vertx)).isZero();
  }

  @Test
  void epollAskedForButNioGivenFailsStartWithAClearMessage(VertxTestContext ctx) throws Throwable {
    vertx = Vertx.vertx(); // NIO, as a launcher without Backspin's hooks would build it
    BackspinServer.create(vertx, TestServer.reverseConfig(TransportKind.EPOLL, new JsonObject())).listen()
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e.getMessage()).contains("transport \"epoll\" was asked for, but Vert.x runs on nio");
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }

  @Test
  void nioRunsWhenAskedFor(VertxTestContext ctx) throws Throwable {
    vertx = Vertx.vertx();
    client = vertx.createNetClient();
    TestServer.deploy(vertx, TestServer.reverseConfig(TransportKind.NIO, new JsonObject()))
      .compose(server -> client.connect(server.port(), "127.0.0.1"))
      .compose(socket -> {
        var reply = Exchange.collect(socket, 4);
        socket.write(Buffer.buffer("abc\n"));
        return reply;
      })
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.toString(StandardCharsets.UTF_8)).isEqualTo("cba\n");
        assertThat(Transports.inUse(vertx)).isEqualTo("nio");
        ctx.completeNow();
      })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).as("completed in time").isTrue();
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }
}
