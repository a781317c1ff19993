package dev.backspin.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run inside a network namespace ({@code ip netns exec NS java ... LabRelay SOCKET}): a test in
 * the host's namespace connects to the Unix socket {@code SOCKET} (a file: Unix sockets do not
 * belong to a network namespace) and writes {@code host port\n}; the relay connects to that
 * address from inside the namespace and from then on passes bytes both ways unchanged, an end of
 * input as an end of input (half-close), a close as a close. JDK only: it runs from the test
 * classes with nothing else on its class path. Prints {@code relay ready} once it listens.
 */
public final class LabRelay {

  private LabRelay() {
  }

  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    Files.deleteIfExists(path);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      System.out.println("relay ready");
      System.out.flush();
      while (true) {
        SocketChannel in = server.accept();
        Thread t = new Thread(() -> serve(in), "relay");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private static void serve(SocketChannel in) {
    try (in) {
      String[] target = header(in).split(" ");
      try (SocketChannel out = SocketChannel.open(new InetSocketAddress(target[0], Integer.parseInt(target[1])))) {
        out.socket().setTcpNoDelay(true);
        Thread back = new Thread(() -> pump(out, in), "relay-back");
        back.setDaemon(true);
        back.start();
        pump(in, out);
        back.join();
      }
    } catch (IOException | RuntimeException e) {
      // the test sees the close; nothing is left to tell it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first line, read a byte at a time so that nothing after it is taken. */
  private static String header(SocketChannel in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (in.read(one) < 0) {
        throw new IOException("closed before the header");
      }
      if (one.get(0) == '\n') {
        return line.toString(StandardCharsets.US_ASCII);
      }
      line.write(one.get(0));
    }
  }

  /** Copies until {@code from} ends, then ends {@code to}'s input; a failure closes both. */
  private static void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          to.write(buf);
        }
        buf.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
