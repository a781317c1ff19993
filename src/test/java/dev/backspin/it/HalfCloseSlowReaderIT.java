package dev.backspin.it;

import dev.backspin.support.TestServer;
import dev.backspin.support.TransportVertxTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.backspin.support.ByteAssert.assertSameBytes;

/**
 * A client that shuts down its sending side early and then reads slowly through a small window:
 * the server must still send every reply after the client's FIN, waiting for the socket to drain.
 */
class HalfCloseSlowReaderIT extends TransportVertxTest {

  @Test
  void everyReplyArrivesAfterHalfClose() throws Exception {
    int port = TestServer.deploy(vertx, TestServer.reverseConfig(transport, new JsonObject()))
      .await(20, TimeUnit.SECONDS).port();
    byte[] line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCD\n".getBytes();
    byte[] reply = new byte[line.length];
    for (int i = 0; i < line.length - 1; i++) {
      reply[i] = line[line.length - 2 - i];
    }
    reply[line.length - 1] = '\n';
    int lines = 60_000; // ~3 MB
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096); // a small window, so the server's socket buffer fills
      s.setSoTimeout(30_000);
      s.connect(new InetSocketAddress("127.0.0.1", port));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = s.getOutputStream();
          for (int i = 0; i < lines; i++) {
            out.write(line);
          }
          s.shutdownOutput();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
        TimeUnit.MILLISECONDS.sleep(1); // a slow reader: load shaping, so the server's send buffer fills
      }
      writer.get(30, TimeUnit.SECONDS);
      byte[] expected = new byte[lines * reply.length];
      for (int i = 0; i < lines; i++) {
        System.arraycopy(reply, 0, expected, i * reply.length, reply.length);
      }
      assertSameBytes(transport.id(), expected, Arrays.copyOf(got.toByteArray(), got.size()));
    }
  }
}
