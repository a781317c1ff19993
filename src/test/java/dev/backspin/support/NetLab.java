package dev.backspin.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts of our own on one machine: a network namespace per host, each with one veth link to a
 * bridge in a hub namespace, and one address from 198.18.0.0/15 (the range reserved for
 * benchmarks). Nothing is made in the machine's own namespace: the bridge and every link live in
 * namespaces this lab created, and traffic goes only to the addresses it assigned there. Each
 * host runs a {@link LabRelay}, through which the test connects from outside ({@link LabSocket}).
 * {@link #close} removes every namespace, and with them their links; a lab left behind by a
 * test JVM that died is removed by the next one.
 *
 * <p>Needs root and iproute2: {@link #unavailable} says why not, for the test to skip with.
 */
public final class NetLab implements AutoCloseable {

  private static final String PREFIX = "bspin";
  private static final Pattern OURS = Pattern.compile("^(" + PREFIX + "(\\d+)-\\S+)");
  private static final Duration RELAY_START = Duration.ofSeconds(30);

  private final String id;
  private final String subnet; // the first three parts of every address here
  private final List<String> hosts = new ArrayList<>();
  private final List<JarProcess> relays = new ArrayList<>();
  private final Path dir;
  private final String hub;

  private NetLab(Path dir, int count) {
    long pid = ProcessHandle.current().pid();
    this.id = PREFIX + pid;
    this.subnet = "198.18." + (pid % 250) + ".";
    this.dir = dir;
    this.hub = id + "-hub";
    for (int i = 0; i < count; i++) {
      hosts.add(id + "-h" + i);
    }
  }

  /** Why a lab cannot be made here, or null if it can. */
  public static String unavailable() {
    long uid = new com.sun.security.auth.module.UnixSystem().getUid();
    if (uid != 0) {
      return "network-namespace tests need root (ip netns), and this runs as uid " + uid;
    }
    try {
      Result r = run(List.of("ip", "netns", "list"));
      return r.code == 0 ? null : "'ip netns list' failed: " + r.output;
    } catch (IOException e) {
      return "iproute2's 'ip' is not available: " + e.getMessage();
    }
  }

  /** Hosts {@code 0..count-1}, each in its namespace, all on one bridge; relays' sockets go in {@code dir}. */
  public static NetLab create(Path dir, int count) throws IOException, InterruptedException {
    removeAbandoned();
    NetLab lab = new NetLab(dir, count);
    try {
      lab.build();
      return lab;
    } catch (IOException | InterruptedException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build() throws IOException, InterruptedException {
    ip("netns", "add", hub);
    ip("-n", hub, "link", "add", "br0", "type", "bridge");
    ip("-n", hub, "link", "set", "br0", "up");
    for (int i = 0; i < hosts.size(); i++) {
      String ns = hosts.get(i);
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      // made inside the host's namespace, its peer straight into the hub's: never in the machine's
      ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port(i), "netns", hub);
      ip("-n", hub, "link", "set", port(i), "master", "br0");
      ip("-n", hub, "link", "set", port(i), "up");
      ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
    }
    for (int i = 0; i < hosts.size(); i++) {
      JarProcess relay = JarProcess.startRaw(List.of("ip", "netns", "exec", hosts.get(i),
        javaBin(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LabRelay.class.getName(), relay(i).toString()));
      relays.add(relay);
    }
    for (JarProcess r : relays) {
      r.awaitLine(Pattern.compile("^relay ready$"), RELAY_START);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The bridge's port of host {@code i}, in the hub. */
  private static String port(int i) {
    return "p" + i;
  }

  public String address(int host) {
    return subnet + (host + 1);
  }

  public String namespace(int host) {
    return hosts.get(host);
  }

  /** The command that runs a program in host {@code i}'s namespace: put it before the program's own. */
  public List<String> in(int host) {
    return List.of("ip", "netns", "exec", hosts.get(host));
  }

  /** The Unix socket of host {@code i}'s relay: connections through it start in that namespace. */
  public Path relay(int host) {
    return dir.resolve("relay-" + host + ".sock");
  }

  /** Connects to {@code port} on host {@code to}, from host {@code from}. */
  public LabSocket connect(int from, int to, int port) throws IOException {
    return LabSocket.connect(relay(from), address(to), port);
  }

  /** Host {@code i}'s cable is pulled: its port on the bridge goes down, and it reaches nobody. */
  public void linkDown(int host) throws IOException {
    ip("-n", hub, "link", "set", port(host), "down");
  }

  public void linkUp(int host) throws IOException {
    ip("-n", hub, "link", "set", port(host), "up");
  }

  @Override
  public void close() {
    for (JarProcess r : relays) {
      try {
        r.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<String> all = new ArrayList<>(hosts);
    all.add(hub);
    for (String ns : all) {
      try {
        run(List.of("ip", "netns", "del", ns)); // its links go with it; absent ones fail harmlessly
      } catch (IOException e) {
        // nothing more can be done from here; the next lab removes what is left
      }
    }
  }

  /** Namespaces of labs whose JVM is gone (killed before its close ran). */
  private static void removeAbandoned() throws IOException {
    for (String line : run(List.of("ip", "netns", "list")).output.split("\n")) {
      Matcher m = OURS.matcher(line.trim());
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
        run(List.of("ip", "netns", "del", m.group(1)));
      }
    }
  }

  private static void ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    if (r.code != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output.trim());
    }
  }

  private record Result(int code, String output) {
  }

  private static Result run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (InputStream out = p.getInputStream()) {
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
      }
      return new Result(p.exitValue(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
  }
}
