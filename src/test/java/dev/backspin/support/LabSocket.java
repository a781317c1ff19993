package dev.backspin.support;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP connection made from inside a {@link NetLab} namespace through its {@link LabRelay}: the
 * bytes written here are the bytes the server reads, and the bytes read here are the bytes the
 * server sent, in order. Reads wait at most the given time (a Unix channel has no SO_TIMEOUT: a
 * selector does it).
 */
public final class LabSocket implements AutoCloseable {

  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

  private final SocketChannel channel;
  private final Selector selector;
  // what was read and not yet taken: buf[start, end); scanned up to there for a newline
  private byte[] buf = new byte[64 * 1024];
  private int start;
  private int end;
  private int scanned;
  private boolean ended;

  private LabSocket(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
  }

  /** Connects to {@code host:port} from the namespace whose relay listens on {@code relay}. */
  public static LabSocket connect(Path relay, String host, int port) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(relay));
      ch.write(ByteBuffer.wrap((host + " " + port + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new LabSocket(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** Writes all of {@code s}, waiting while the socket is full (the server may be holding this client back). */
  public void send(String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      if (channel.write(b) == 0) {
        // wait for room, not for input: selecting for reads would return at once while input waits unread
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(SelectionKey.OP_WRITE);
        try {
          selector.select(1_000);
          selector.selectedKeys().clear();
        } finally {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
    }
  }

  /** The next line with its {@code \n}; null at the end of input (what came before it without a newline is lost). */
  public String readLine(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    String line;
    while ((line = takeLine()) == null) {
      if (ended) {
        return null;
      }
      fill(deadline, timeoutMillis);
    }
    return line;
  }

  /**
   * The next line if one comes within {@code timeoutMillis}, else null; an {@link EOFException}
   * at the end of input.
   */
  public String pollLine(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    String line;
    while ((line = takeLine()) == null) {
      if (ended) {
        throw new EOFException("the server closed; unread: " + new String(buf, start, end - start, StandardCharsets.UTF_8));
      }
      if (!fillUntil(deadline)) {
        return null;
      }
    }
    return line;
  }

  /** The next whole line of what was read, or null if none has come whole yet. */
  private String takeLine() {
    for (; scanned < end; scanned++) {
      if (buf[scanned] == '\n') {
        String line = new String(buf, start, scanned + 1 - start, StandardCharsets.UTF_8);
        start = ++scanned;
        return line;
      }
    }
    return null;
  }

  /** Everything until the end of input. */
  public String readAll(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!ended) {
      fill(deadline, timeoutMillis);
    }
    String all = new String(buf, start, end - start, StandardCharsets.UTF_8);
    start = end;
    scanned = end;
    return all;
  }

  private void fill(long deadline, long timeoutMillis) throws IOException {
    if (!fillUntil(deadline)) {
      throw new IOException("nothing more within " + timeoutMillis + " ms; unread: " + new String(buf, start, end - start, StandardCharsets.UTF_8));
    }
  }

  /** Reads what has come, waiting until {@code deadline} at most; false if the deadline had passed. */
  private boolean fillUntil(long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return false;
    }
    if (end == buf.length) { // make room: drop what was taken, grow if a line is longer than the buffer
      int kept = end - start;
      byte[] to = kept > buf.length / 2 ? new byte[buf.length * 2] : buf;
      System.arraycopy(buf, start, to, 0, kept);
      buf = to;
      scanned -= start;
      start = 0;
      end = kept;
    }
    selector.select(left);
    selector.selectedKeys().clear();
    int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
    if (n < 0) {
      ended = true;
    } else {
      end += n;
    }
    return true;
  }

  /** Ends this client's input (a half-close): the server answers what it read, then closes. */
  public void endInput() throws IOException {
    channel.shutdownOutput();
  }

  /**
   * {@code GET path} over a fresh connection: the status code, or -1 if nothing came back in
   * time (the server is stopped, or cut off).
   */
  public static int httpStatus(Path relay, String host, int port, String path, long timeoutMillis) {
    try (LabSocket s = connect(relay, host, port)) {
      s.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      Matcher m = STATUS.matcher(s.readAll(timeoutMillis));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** {@code GET path}: the whole response, status line and body. */
  public static String httpGet(Path relay, String host, int port, String path, long timeoutMillis) throws IOException {
    try (LabSocket s = connect(relay, host, port)) {
      s.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      return s.readAll(timeoutMillis);
    }
  }

  @Override
  public void close() throws IOException {
    selector.close();
    channel.close();
  }
}
