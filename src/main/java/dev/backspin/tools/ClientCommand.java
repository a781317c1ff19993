package dev.backspin.tools;

import dev.backspin.config.Framing;
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
 * it arrives. End of input half-closes; the client exits when the server closes.
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
      Thread printer = new Thread(() -> print(socket), "client-printer");
      printer.start();
      OutputStream to = socket.getOutputStream();
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      try {
        while ((line = lines.readLine()) != null) {
          to.write(encode(line));
          to.flush();
        }
        socket.shutdownOutput();
      } catch (IOException closedByServer) {
        // the server closed (exit, an error): the printer shows why
      }
      printer.join();
      return 0;
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

  private void print(Socket socket) {
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
    } catch (EOFException closed) {
      // the server closed between frames
    } catch (IOException e) {
      out.println("connection lost: " + e.getMessage());
    } finally {
      out.flush();
    }
  }
}
