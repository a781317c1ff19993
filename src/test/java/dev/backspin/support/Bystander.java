package dev.backspin.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved client that stays connected while a test misbehaves on other connections, and
 * proves at each step that it is still served: every call sends a fresh frame and asserts that
 * exactly its reversal comes back. Blocking, with a read timeout, so a stalled server fails the
 * test instead of hanging it.
 */
public final class Bystander implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final boolean lengthFraming;
  private int sent;

  private Bystander(int port, boolean lengthFraming) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    this.socket.setSoTimeout(10_000);
    this.socket.setTcpNoDelay(true);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
    this.lengthFraming = lengthFraming;
  }

  /** A bystander on a service with line framing. */
  public static Bystander line(int port) throws IOException {
    return new Bystander(port, false);
  }

  /** A bystander on a service with length framing. */
  public static Bystander length(int port) throws IOException {
    return new Bystander(port, true);
  }

  /** Sends one new frame and asserts that its exact reversal comes back; {@code when} names the step. */
  public void assertServed(String when) throws IOException {
    String payload = "bystander #" + sent++ + " " + when;
    byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
    byte[] expected = Payloads.reversed(p);
    if (lengthFraming) {
      out.writeInt(p.length);
      out.write(p);
      out.flush();
      int n = in.readInt();
      assertThat(n).as("bystander's reply length %s", when).isEqualTo(p.length);
      byte[] got = new byte[n];
      in.readFully(got);
      ByteAssert.assertSameBytes("bystander " + when, expected, got);
    } else {
      out.write(p);
      out.write('\n');
      out.flush();
      byte[] got = new byte[p.length + 1];
      in.readFully(got);
      ByteAssert.assertSameBytes("bystander " + when, (new String(expected, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII), got);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
