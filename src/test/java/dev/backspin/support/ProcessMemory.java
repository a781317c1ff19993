package dev.backspin.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of another JVM process: resident set from /proc, live heap through the JDK's jcmd. */
public final class ProcessMemory {

  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  // G1's "garbage-first heap   total 131072K, used 9216K"
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private ProcessMemory() {
  }

  public static long rssBytes(long pid) throws IOException {
    Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    if (!m.find()) {
      throw new IllegalStateException("no VmRSS for pid " + pid);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** Forces a full GC in the process, then returns the heap still in use: its live data. */
  public static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("cannot read heap use of pid " + pid);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }
}
