package dev.backspin.it;

import dev.backspin.config.TransportKind;
import dev.backspin.support.Exchange;
import dev.backspin.support.LineSocket;
import dev.backspin.support.Payloads;
import dev.backspin.support.TestServer;
import dev.backspin.transport.Transports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.backspin.support.ByteAssert.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The core behaviours on every transport this machine has: epoll, io_uring and NIO. */
class TransportMatrixIT {

  private Vertx vertx;
  private NetClient client; // a field: an unreferenced NetClient can be collected

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private int start(TransportKind kind, JsonObject reverseKeys) throws Exception {
    Transport t = kind == TransportKind.EPOLL ? Transport.EPOLL : kind == TransportKind.IO_URING ? Transport.IO_URING : Transport.NIO;
    assumeTrue(t != null && t.available(), () -> kind + " is not available on this machine");
    vertx = Vertx.builder().withTransport(Transports.select(kind)).build();
    client = vertx.createNetClient();
    JsonObject conf = TestServer.reverseConfig(reverseKeys).put("transport", kind.name().toLowerCase());
    int port = TestServer.deploy(vertx, conf).await(20, TimeUnit.SECONDS).port();
    assertThat(Transports.inUse(vertx)).isEqualTo(kind.name().toLowerCase());
    return port;
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"EPOLL", "IO_URING", "NIO"})
  void pipelinedLinesComeBackExact(TransportKind kind) throws Exception {
    int port = start(kind, new JsonObject().put("instances", 2).put("workers", 2));
    Random seeds = new Random(kind.ordinal());
    List<Payloads.Script> sent = new ArrayList<>();
    List<Future<Buffer>> replies = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      Random rnd = new Random(seeds.nextLong());
      Payloads.Script s = Payloads.lines(rnd, 1000, 100);
      sent.add(s);
      replies.add(Exchange.run(client, port, s.request(), s.reply().length, 4096, rnd));
    }
    var all = Future.all(replies).await(60, TimeUnit.SECONDS);
    for (int c = 0; c < sent.size(); c++) {
      assertSameBytes(kind + " connection " + c, sent.get(c).reply(), all.<Buffer>resultAt(c).getBytes());
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"EPOLL", "IO_URING", "NIO"})
  void halfCloseExitAndOversizeBehaveAlike(TransportKind kind) throws Exception {
    int port = start(kind, new JsonObject().put("maxFrameBytes", 100));
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("one\ntwo\npartial");
      s.shutdownOutput();
      assertThat(s.readToEnd()).isEqualTo("eno\nowt\n");
    }
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("abc\nexit\nnever\n");
      assertThat(s.readToEnd()).isEqualTo("cba\n");
    }
    try (LineSocket s = new LineSocket(port, 10_000)) {
      s.send("ok\n" + "x".repeat(101) + "\n");
      assertThat(s.readToEnd()).isEqualTo("ko\nERR frame too large (max 100 bytes)\n");
    }
  }
}
