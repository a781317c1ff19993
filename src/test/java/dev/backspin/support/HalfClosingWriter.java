package dev.backspin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** Writes a whole request on its own thread, then shuts the socket's sending side: {@code nc -N}. */
public final class HalfClosingWriter {

  private HalfClosingWriter() {
  }

  public static CompletableFuture<Void> write(Socket socket, byte[] request) {
    return CompletableFuture.runAsync(() -> {
      try {
        socket.getOutputStream().write(request);
        socket.shutdownOutput();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
