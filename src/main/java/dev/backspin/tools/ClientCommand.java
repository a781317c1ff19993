package dev.backspin.tools;

import dev.backspin.framing.Framing;
import dev.backspin.framing.LengthFramer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The interactive client the C servers shipped: each line typed goes to the server in the chosen
 * framing, and whatever the server sends (replies, or other clients' broadcasts) is printed as
 * it arrives. End of input half-closes; the client exits when the server closes, whether or not
 * its input has ended: 0 when the server ended the connection cleanly, 1 when it broke.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
  description = "Send lines from stdin to a Backspin service and print what comes back.")
public final class ClientCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
  String host;
  @Option(names = "--port", required = true, description = "server port")
  int port;
  @Option(names = "--framing", defaultValue = "line", description = "line, length or raw (default: ${DEFAULT-VALUE})")
  Framing framing;

  private final InputStream in;
  private final PrintStream out;

  public ClientCommand() {
    this(System.in, System.out);
  }

  ClientCommand(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      // a daemon: when the server closes first it is still blocked on stdin, and must not keep the JVM up
      Thread sender = new Thread(() -> send(socket), "client-stdin");
      sender.setDaemon(true);
      sender.start();
      return print(socket);
    }
  }

  private void send(Socket socket) {
    try {
      OutputStream to = socket.getOutputStream();
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null) {
        to.write(encode(line));
        to.flush();
      }
      socket.shutdownOutput();
    } catch (IOException closedByServer) {
      // the server closed (exit, an error): the printer shows why and ends the client
    }
  }

  private byte[] encode(String line) {
    byte[] payload = line.getBytes(StandardCharsets.UTF_8);
    return switch (framing) {
      case LINE -> (line + "\n").getBytes(StandardCharsets.UTF_8);
      case RAW -> payload;
      case LENGTH -> LengthFramer.frame(payload).getBytes();
    };
  }

  /** Prints what the server sends until it closes: 0 for a clean end, 1 for a broken connection. */
  private int print(Socket socket) {
    try {
      InputStream from = socket.getInputStream();
      if (framing == Framing.LENGTH) {
        DataInputStream frames = new DataInputStream(from);
        while (true) {
          byte[] payload = new byte[frames.readInt()];
          frames.readFully(payload);
          out.println(new String(payload, StandardCharsets.UTF_8));
        }
      }
      byte[] buf = new byte[8192];
      int n;
      while ((n = from.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (framing == Framing.RAW) {
          out.println();
        }
        out.flush();
      }
      return 0;
    } catch (EOFException closed) {
      return 0; // the server closed between frames
    } catch (IOException e) {
      out.println("connection lost: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
    }
  }
}
