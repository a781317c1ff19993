package dev.backspin.it;

import dev.backspin.BackspinServer;
import dev.backspin.config.ConfigException;
import dev.backspin.config.ServiceKind;
import dev.backspin.support.Exchange;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The front door an embedding application uses: create, listen, ask the port, close. */
class BackspinServerIT extends TransportVertxTest {

  @Test
  void listensServesAndClosesAsAnEmbeddedServer(VertxTestContext ctx) throws Throwable {
    JsonObject conf = TestServer.reverseConfig(transport, new JsonObject())
      .put("echo", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    BackspinServer server = BackspinServer.create(vertx, conf);
    assertThat(server.actualPort(ServiceKind.REVERSE)).as("before listen").isEqualTo(-1);
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    server.listen()
      .compose(s -> {
        assertThat(s).isSameAs(server);
        assertThat(s.actualPort(ServiceKind.REVERSE)).isPositive().isNotEqualTo(s.actualPort(ServiceKind.ECHO));
        assertThat(s.actualPort(ServiceKind.BROADCAST)).as("not configured").isEqualTo(-1);
        assertThat(s.httpPort()).as("no http section").isEqualTo(-1);
        return Exchange.run(client, s.actualPort(ServiceKind.REVERSE), hello, hello.length, 64, new Random(1))
          .compose(reversed -> Exchange.run(client, s.actualPort(ServiceKind.ECHO), hello, hello.length, 64, new Random(2))
            .map(echoed -> new Buffer[] {reversed, echoed}));
      })
      .compose(replies -> server.listen().transform(again -> {
        ctx.verify(() -> {
          assertThat(replies[0].toString(StandardCharsets.US_ASCII)).isEqualTo("olleh\n");
          assertThat(replies[1].toString(StandardCharsets.US_ASCII)).isEqualTo("hello\n");
          assertThat(again.failed()).as("a second listen").isTrue();
          assertThat(again.cause()).hasMessageContaining("listen() was called already");
        });
        return server.close();
      }))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(vertx.deploymentIDs()).as("everything it deployed is gone").isEmpty();
        ctx.completeNow();
      })));
    await(ctx, 30);
  }

  @Test
  void aBadConfigIsRefusedAtCreateNamingTheKey() {
    assertThatThrownBy(() -> BackspinServer.create(vertx, new JsonObject().put("reverse", new JsonObject().put("port", -5))))
      .isInstanceOf(ConfigException.class).hasMessageContaining("reverse.port");
  }

  @Test
  void closingAServerThatNeverListenedIsDoneAndItCannotListenAfter() throws Exception {
    BackspinServer server = BackspinServer.create(vertx, TestServer.reverseConfig(transport, new JsonObject()));
    server.close().await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> server.listen().await(10, TimeUnit.SECONDS)).hasMessageContaining("the server was closed");
    assertThat(vertx.deploymentIDs()).as("nothing deployed").isEmpty();
  }

  @Test
  void aCloseWhileListeningWaitsForTheStartThenUndoesIt() throws Exception {
    BackspinServer server = BackspinServer.create(vertx, TestServer.reverseConfig(transport, new JsonObject().put("instances", 2)));
    var listening = server.listen();
    var closing = server.close(); // before the start is done
    assertThat(server.close()).as("a second close").isSameAs(closing);
    assertThat(listening.await(30, TimeUnit.SECONDS)).as("the start the close waited for").isSameAs(server);
    int port = server.actualPort(ServiceKind.REVERSE);
    assertThat(port).isPositive();
    closing.await(30, TimeUnit.SECONDS);
    assertThat(vertx.deploymentIDs()).as("after the close").isEmpty();
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).as("nothing listens on %d", port)
      .isInstanceOf(java.net.ConnectException.class);
  }
}
