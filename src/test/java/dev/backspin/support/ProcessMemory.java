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
  // the class histogram's last line: "Total        123456       9876543"
  private static final Pattern LIVE_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private ProcessMemory() {
  }

  public static long rssBytes(long pid) throws IOException {
    Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    if (!m.find()) {
      throw new IllegalStateException("no VmRSS for pid " + pid);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /**
   * The process's live data: the objects a full GC keeps, counted in that same pause (the class
   * histogram). A full GC and then a second look at the heap in use would count the garbage a
   * busy server allocates meanwhile: a flooded one, 50-100 MB in the few hundred ms a jcmd takes.
   */
  public static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    Matcher m = LIVE_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
    if (!m.find()) {
      throw new IllegalStateException("cannot read the live heap of pid " + pid);
    }
    return Long.parseLong(m.group(1));
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
