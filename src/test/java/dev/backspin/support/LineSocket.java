package dev.backspin.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking client for process-level tests: what {@code nc} does. */
public final class LineSocket implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  public LineSocket(int port, int timeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    in = socket.getInputStream();
  }

  public void send(String s) throws IOException {
    socket.getOutputStream().write(s.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Reads one line, delimiter included; null at end of stream. */
  public String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      b.write(c);
      if (c == '\n') {
        break;
      }
    }
    return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
  }

  /** Reads until the server closes; returns what came. */
  public String readToEnd() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
