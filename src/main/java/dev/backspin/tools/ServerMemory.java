package dev.backspin.tools;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples another JVM's memory about once a second and keeps the peaks: its resident set from
 * {@code /proc/PID/status} (VmRSS), and its heap in use from one {@code jstat -gc PID 1000} (the
 * survivor, eden and old spaces' "used" columns). No GC is forced, so the heap figure includes
 * garbage not yet collected: it is what the heap held, not what was live.
 */
public final class ServerMemory implements AutoCloseable {

  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final List<String> HEAP_USED = List.of("S0U", "S1U", "EU", "OU");
  private static final List<String> HEAP_CAPACITY = List.of("S0C", "S1C", "EC", "OC");

  private final long pid;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "server-memory");
    t.setDaemon(true);
    return t;
  });
  private Process jstat;
  private long rssSamples;
  private long heapSamples;
  private long peakRss;
  private long peakHeapUsed;
  private long peakHeapCapacity;
  private String problem;

  private ServerMemory(long pid) {
    this.pid = pid;
  }

  /** Starts sampling process {@code pid}. */
  public static ServerMemory sample(long pid) {
    ServerMemory m = new ServerMemory(pid);
    m.clock.scheduleAtFixedRate(m::sampleRss, 0, 1, TimeUnit.SECONDS);
    m.startJstat();
    return m;
  }

  private void sampleRss() {
    try {
      OptionalLong kb = rssKb(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      if (kb.isPresent()) {
        synchronized (this) {
          rssSamples++;
          peakRss = Math.max(peakRss, kb.getAsLong() * 1024);
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        if (problem == null) {
          problem = "cannot read /proc/" + pid + "/status: " + e.getMessage();
        }
      }
    }
  }

  /** VmRSS from the text of /proc/PID/status, in kB. */
  static OptionalLong rssKb(String status) {
    Matcher m = RSS.matcher(status);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  private void startJstat() {
    Path bin = Path.of(System.getProperty("java.home"), "bin", "jstat");
    try {
      jstat = new ProcessBuilder(bin.toString(), "-gc", Long.toString(pid), "1000").redirectErrorStream(true).start();
    } catch (IOException e) {
      problem = "no heap samples: cannot run " + bin + ": " + e.getMessage();
      return;
    }
    Thread reader = new Thread(this::readJstat, "server-memory-jstat");
    reader.setDaemon(true);
    reader.start();
  }

  private void readJstat() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      String[] header = null;
      String line;
      while ((line = r.readLine()) != null) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length > 0 && cols[0].equals("S0C")) {
          header = cols;
          continue;
        }
        long[] heap = header == null ? null : heapKb(header, cols);
        synchronized (this) {
          if (heap == null) {
            if (problem == null) {
              problem = "jstat: " + line.trim();
            }
            continue;
          }
          heapSamples++;
          peakHeapUsed = Math.max(peakHeapUsed, heap[0] * 1024);
          peakHeapCapacity = Math.max(peakHeapCapacity, heap[1] * 1024);
        }
      }
    } catch (IOException ignored) {
      // jstat was stopped
    }
  }

  /** Heap used and capacity, in kB, from one line of {@code jstat -gc} under its header; null if the line is not a sample. */
  static long[] heapKb(String[] header, String[] cols) {
    if (cols.length != header.length) {
      return null;
    }
    List<String> names = List.of(header);
    try {
      double used = 0;
      double capacity = 0;
      for (String c : HEAP_USED) {
        used += Double.parseDouble(cols[names.indexOf(c)]);
      }
      for (String c : HEAP_CAPACITY) {
        capacity += Double.parseDouble(cols[names.indexOf(c)]);
      }
      return new long[] {Math.round(used), Math.round(capacity)};
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Stops sampling; the peaks stay. */
  @Override
  public void close() throws InterruptedException {
    clock.shutdown();
    clock.awaitTermination(5, TimeUnit.SECONDS);
    if (jstat != null) {
      jstat.destroy();
      jstat.waitFor(5, TimeUnit.SECONDS);
    }
  }

  public synchronized long peakRssBytes() {
    return peakRss;
  }

  public synchronized long peakHeapUsedBytes() {
    return peakHeapUsed;
  }


  public synchronized JsonObject toJson() {
    return new JsonObject().put("pid", pid).put("rssSamples", rssSamples).put("heapSamples", heapSamples)
      .put("peakRssBytes", rssSamples == 0 ? null : peakRss).put("peakHeapUsedBytes", heapSamples == 0 ? null : peakHeapUsed)
      .put("peakHeapCapacityBytes", heapSamples == 0 ? null : peakHeapCapacity).put("problem", problem);
  }

  /** One line from {@link #toJson}'s figures. */
  static String summary(JsonObject j) {
    long heapSamples = j.getLong("heapSamples");
    long rssSamples = j.getLong("rssSamples");
    return String.format(Locale.ROOT, "server pid %d: peak heap in use %s (of %s committed; %d samples, no GC forced), peak RSS %s (%d samples)%s",
      j.getLong("pid"), mb(heapSamples, j.getLong("peakHeapUsedBytes")), mb(heapSamples, j.getLong("peakHeapCapacityBytes")), heapSamples,
      mb(rssSamples, j.getLong("peakRssBytes")), rssSamples, j.getString("problem") == null ? "" : "; " + j.getString("problem"));
  }

  private static String mb(long samples, Long bytes) {
    return samples == 0 ? "–" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
