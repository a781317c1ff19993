package dev.backspin.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fat jar run as its own process, as an operator runs it, with its output read line by line. */
public final class JarProcess implements AutoCloseable {

  // each line of the child's output is logged too, so that a failing test prints it (LogOnFailure)
  private static final Logger LOG = LoggerFactory.getLogger(JarProcess.class);

  /**
   * The jar under test: {@code target/backspin.jar}, or the one system property
   * {@code backspin.it.jar} names (to run the tests against another build, e.g. to show that a
   * test fails on the code before a fix: {@code mvn verify -Dbackspin.it.jar=/tmp/old.jar}).
   */
  public static final Path JAR = Path.of(System.getProperty("backspin.it.jar", Path.of("target", "backspin.jar").toString()));

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Thread reader;

  private JarProcess(Process process) {
    this.process = process;
    long pid = process.pid();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          LOG.info("[pid {}] {}", pid, line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java <args>} with the jar on the path; stderr goes into the same output. */
  public static JarProcess start(List<String> args) throws IOException {
    return start(args, java.util.Map.of());
  }

  /** The same, with extra environment variables. */
  public static JarProcess start(List<String> args, java.util.Map<String, String> env) throws IOException {
    return startIn(List.of(), args, env);
  }

  /**
   * {@code java <args>} run by {@code launcher} (such as {@code ip netns exec NS}, which execs
   * it: the pid is still java's).
   */
  public static JarProcess startIn(List<String> launcher, List<String> args, java.util.Map<String, String> env) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run 'mvn package' (failsafe runs after it)");
    }
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new JarProcess(pb.start());
  }

  /** Any command, its output read the same way. */
  public static JarProcess startRaw(List<String> cmd) throws IOException {
    return new JarProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** Waits for the line that names the bound port of the reverse service. */
  public int awaitReversePort(Duration timeout) throws InterruptedException {
    return awaitPort("reverse", timeout);
  }

  /** Waits for the line that names the bound port of {@code service}. */
  public int awaitPort(String service, Duration timeout) throws InterruptedException {
    Matcher m = awaitLine(Pattern.compile(service + ": listening on [^ ]+:(\\d+)"), timeout);
    return Integer.parseInt(m.group(1));
  }

  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line matching '" + pattern + "' within " + timeout + "; output so far:\n" + String.join("\n", seen));
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  /**
   * Like {@link #awaitLine}, but a line already passed over (while awaiting another) counts too:
   * for a start-up line whose order among the others is not fixed.
   */
  public Matcher awaitLineEver(Pattern pattern, Duration timeout) throws InterruptedException {
    lines.drainTo(seen);
    for (String line : seen) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    return awaitLine(pattern, timeout);
  }

  /** Passes over every line printed so far: {@link #awaitLine} then sees only lines that come after. */
  public void skipPrinted() {
    lines.drainTo(seen);
  }

  /** Whether the process is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to end and returns its exit code. By then its whole output has been
   * read, so that {@link #output()} holds every line it printed.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + "; output so far:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /** Everything the process printed so far (after it ended, all of it). */
  public String output() {
    lines.drainTo(seen);
    return String.join("\n", seen);
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
