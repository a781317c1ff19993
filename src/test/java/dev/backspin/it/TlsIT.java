package dev.backspin.it;

import dev.backspin.support.Exchange;
import dev.backspin.support.Payloads;
import dev.backspin.support.Scrape;
import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.backspin.support.ByteAssert.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

/** TLS on a service, with a self-signed certificate the test makes, and client authentication. */
class TlsIT extends TransportVertxTest {

  private final SelfSignedCertificate server = SelfSignedCertificate.create("localhost");
  private final SelfSignedCertificate clientCert = SelfSignedCertificate.create("client");
  private NetClient tlsClient; // a field: an unreferenced NetClient can be collected

  private TestServer deployed;

  private int start(JsonObject tls) throws Exception {
    JsonObject config = TestServer.reverseConfig(transport, new JsonObject().put("tls", tls))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0)); // to see what the server refused
    deployed = TestServer.deploy(vertx, config).await(20, TimeUnit.SECONDS);
    return deployed.port();
  }

  private JsonObject serverTls() {
    return new JsonObject().put("certPath", server.certificatePath()).put("keyPath", server.privateKeyPath());
  }

  private NetClient client(boolean withCertificate) {
    NetClientOptions o = new NetClientOptions().setSsl(true).setTrustOptions(server.trustOptions()).setHostnameVerificationAlgorithm("");
    if (withCertificate) {
      o.setKeyCertOptions(clientCert.keyCertOptions());
    }
    tlsClient = vertx.createNetClient(o);
    return tlsClient;
  }

  @Test
  void linesComeBackReversedOverTls() throws Exception {
    int port = start(serverTls());
    Random rnd = new Random(9);
    Payloads.Script s = Payloads.lines(rnd, 2000, 100);
    Buffer got = Exchange.run(client(false), port, s.request(), s.reply().length, 4096, rnd).await(30, TimeUnit.SECONDS);
    assertSameBytes("over TLS", s.reply(), got.getBytes());
  }

  @Test
  void exitEndsTheTlsConnectionCleanly() throws Exception {
    int port = start(serverTls());
    NetSocket socket = client(false).connect(port, "localhost").await(10, TimeUnit.SECONDS);
    CompletableFuture<SslCloseCompletionEvent> closeNotify = new CompletableFuture<>();
    // in the client's pipeline, before the writes: the server's close_notify must not be missed
    ((StreamChannelInternal) socket).channelHandlerContext().pipeline().addBefore("handler", "close-notify", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent e) {
          closeNotify.complete(e);
        }
        ctx.fireUserEventTriggered(evt);
      }
    });
    var reply = Exchange.collect(socket, Integer.MAX_VALUE); // everything until the server closes
    socket.write("hello\nexit\nnot answered\n");
    assertThat(reply.await(20, TimeUnit.SECONDS).toString(StandardCharsets.US_ASCII)).isEqualTo("olleh\n");
    // a clean TLS end: the server said close_notify, so the client can tell it from a truncation
    assertThat(closeNotify.get(10, TimeUnit.SECONDS).isSuccess()).as("close_notify received").isTrue();
  }

  @Test
  void clientAuthenticationAdmitsOnlyCertifiedClients() throws Exception {
    int port = start(serverTls().put("clientCaPath", clientCert.certificatePath()));
    NetSocket good = client(true).connect(port, "localhost").await(10, TimeUnit.SECONDS);
    var reply = Exchange.collect(good, 6);
    good.write("hello\n");
    assertThat(reply.await(20, TimeUnit.SECONDS).toString(StandardCharsets.US_ASCII)).isEqualTo("olleh\n");

    // without a certificate the server fails the handshake. Under TLS 1.2 the client's connect
    // fails; under TLS 1.3 the client's side of the handshake completes first, and the server's
    // alert then fails the connection and closes it. Either way no byte comes back, and it must
    // happen within the wait: a timeout is a failure, not a rejection.
    Refusal r = anonymousAttempt(port).await(20, TimeUnit.SECONDS);
    assertThat(r.failure()).as("how the anonymous client was refused (closed by the server: %s)", r.closed())
      .isInstanceOf(SSLException.class);
    // and it was the server that refused it, at the handshake
    String refused = "backspin_connections_rejected_total{reason=\"tls_handshake\",service=\"reverse\"}";
    String m = new Scrape(deployed.httpPort()).metricsWhen(t -> Scrape.value(t, refused) >= 1);
    assertThat(Scrape.value(m, refused)).isEqualTo(1);
    assertThat(Scrape.value(m, "backspin_connections_accepted_total{service=\"reverse\"}")).isEqualTo(1);
  }

  /** How an attempt without a certificate ended: its TLS failure, and whether the server closed it. */
  private record Refusal(Throwable failure, boolean closed) {
  }

  /**
   * Connects without a certificate and sends a line. Completes with the handshake's failure at
   * connect; or, once connected, at the server's close, with the TLS failure seen before it (an
   * SSLException, or null if none came). Fails as soon as a byte comes back: the server served it.
   */
  private Future<Refusal> anonymousAttempt(int port) {
    Promise<Refusal> done = Promise.promise();
    NetClient anonymous = client(false);
    // from an event loop: the handlers below are set before the socket can see anything
    vertx.getOrCreateContext().runOnContext(go -> anonymous.connect(port, "localhost").onComplete(ar -> {
      if (ar.failed()) {
        done.tryComplete(new Refusal(ar.cause(), false));
        return;
      }
      NetSocket s = ar.result();
      Throwable[] seen = {null};
      s.exceptionHandler(e -> {
        if (seen[0] == null) {
          seen[0] = e instanceof SSLException || e.getCause() == null ? e : e.getCause();
        }
      });
      s.handler(b -> done.tryFail(new AssertionError("the anonymous client was served: " + b.toString(StandardCharsets.US_ASCII))));
      s.closeHandler(v -> done.tryComplete(new Refusal(seen[0], true)));
      s.write("hello\n");
    }));
    return done.future();
  }
}
