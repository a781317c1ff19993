package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the results bench/run left (bench JSON, rrload RESULT lines, the server's peak memory,
 * the flood's JSON and its server's log) into bench/RESULTS.md and its charts: medians of the
 * runs, the worker hop's cost as a ratio, each target met or missed, and the flood case. Usage: BenchReport RESULTS_DIR CHARTS_DIR > RESULTS.md
 */
public final class BenchReport {

  private static final Pattern RRLOAD = Pattern.compile("(\\w+)=([0-9.]+)");
  /** The start-up line that names the server's memory budget. */
  private static final Pattern BUDGET = Pattern.compile("memory budget: .*\\((\\d+) bytes\\)");
  /** rrload's RESULT counts of replies or connections gone wrong. */
  private static final List<String> RRLOAD_ERRORS = List.of("mismatches", "excess", "closed_by_peer", "conn_fail", "errors");
  /** The bench JSON's: older runs lack excess and lost. */
  private static final List<String> BENCH_ERRORS = List.of("mismatches", "excess", "lost", "errors");

  private final Map<String, List<JsonObject>> bench = new TreeMap<>();
  private final Map<String, List<Map<String, Double>>> rrload = new TreeMap<>();

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BenchReport RESULTS_DIR CHARTS_DIR");
      System.exit(2);
    }
    BenchReport r = new BenchReport();
    r.load(Path.of(args[0]));
    System.out.print(r.markdown(Path.of(args[0]), Path.of(args[1])));
  }

  void load(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json")) {
          bench.computeIfAbsent(name.replaceAll("\\.\\d+\\.json$", ""), k -> new ArrayList<>()).add(new JsonObject(Files.readString(f)));
        } else if (name.endsWith(".rrload")) {
          Map<String, Double> kv = new TreeMap<>();
          Matcher m = RRLOAD.matcher(Files.readString(f));
          while (m.find()) {
            kv.put(m.group(1), Double.parseDouble(m.group(2)));
          }
          if (!kv.isEmpty()) {
            rrload.computeIfAbsent(name.replaceAll("\\.\\d+\\.rrload$", ""), k -> new ArrayList<>()).add(kv);
          }
        }
      }
    }
  }

  private double median(String name, String field) {
    List<JsonObject> runs = bench.getOrDefault(name, List.of());
    return median(runs.stream().mapToDouble(j -> value(j, field)).toArray());
  }

  private static double value(JsonObject j, String field) {
    if (field.startsWith("p") || field.equals("max")) {
      // stream runs time no round trip: no latency, not a latency of 0
      JsonObject latency = j.getJsonObject("latencyMicros");
      return latency == null || latency.getValue(field) == null ? Double.NaN : latency.getLong(field);
    }
    return j.getNumber(field).doubleValue();
  }

  private double rrMedian(String name, String field) {
    return median(rrload.getOrDefault(name, List.of()).stream().mapToDouble(m -> m.getOrDefault(field, Double.NaN)).toArray());
  }

  private static double median(double[] v) {
    double[] s = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (s.length == 0) {
      return Double.NaN;
    }
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Wrong replies, excess bytes, lost replies and failed connections in all the bench's runs of {@code name}. */
  private long benchErrors(String name) {
    return bench.getOrDefault(name, List.of()).stream()
      .mapToLong(j -> BENCH_ERRORS.stream().mapToLong(k -> j.getLong(k, 0L)).sum()).sum();
  }

  /** The same from rrload's RESULT lines: mismatches, excess bytes, connections closed by the server or failed, errors. */
  private long rrloadErrors(String name) {
    return rrload.getOrDefault(name, List.of()).stream()
      .mapToLong(m -> RRLOAD_ERRORS.stream().mapToLong(k -> Math.round(m.getOrDefault(k, 0.0))).sum()).sum();
  }

  String markdown(Path results, Path charts) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Backspin benchmark results\n\n");
    md.append("Made by `bash bench/run` on ").append(LocalDate.now()).append(". Each figure is the median of ")
      .append(bench.getOrDefault("reverse-rr-64", List.of()).size()).append(" runs. The jar's bench checked every reply byte, "
        + "streaming too. rrload checked every request/response reply byte, but it has no check of stream replies "
        + "(its `-v` applies to rr only): in streaming it counts only bytes beyond those sent and lost connections. "
        + "A run that saw wrong replies or failed connections makes the targets it measured invalid.\n\n");
    md.append("**Machine.** ").append(machine()).append("\n\n");
    md.append("| run | service | msg/s | MB/s in | p50 µs | p99 µs | p99.9 µs | wrong replies or errors | rrload msg/s | rrload MB/s | rrload wrong or errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String run : List.of("rr-1", "rr-64", "rr-1000", "stream-1")) {
      for (String svc : List.of("reverse", "echo")) {
        String n = svc + "-" + run;
        if (!bench.containsKey(n)) {
          continue;
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %s | %s | %s | %d | %s | %s | %s |%n", run, svc,
          median(n, "msgsPerSecond"), median(n, "mbInPerSecond"), fmt(median(n, "p50"), "%,.0f"), fmt(median(n, "p99"), "%,.0f"),
          fmt(median(n, "p999"), "%,.0f"), benchErrors(n), fmt(nonZero(rrMedian(n, "msgs_per_s")), "%,.0f"),
          fmt(rrMedian(n, "mb_in_per_s"), "%.1f"), rrload.containsKey(n) ? Long.toString(rrloadErrors(n)) : "–"));
      }
    }
    md.append("\n**The worker hop's cost** (reverse over echo, which has no hop; by rrload where it ran, else by the jar's bench, "
      + "which streams slower than either service): ");
    for (String run : List.of("rr-1", "rr-64", "rr-1000", "stream-1")) {
      boolean stream = run.startsWith("stream");
      String rrField = stream ? "mb_in_per_s" : "msgs_per_s";
      String field = stream ? "mbInPerSecond" : "msgsPerSecond";
      md.append(String.format(Locale.ROOT, "%s %.2f×; ", run,
        reference("reverse-" + run, rrField, field) / reference("echo-" + run, rrField, field)));
    }
    md.append("\n\n");
    String hold = "reverse-hold-15000";
    if (bench.containsKey(hold)) {
      Path rss = results.resolve("hold-rss-kb");
      double peakMb = Files.exists(rss) ? Double.parseDouble(Files.readString(rss).trim()) / 1024 : Double.NaN;
      md.append(String.format(Locale.ROOT, "**Hold.** %d of 15,000 connections held at 1 message/s each: %,.0f msg/s, p50 %,.0f µs, "
          + "p99 %,.0f µs, max %,.0f µs (each from when its message was due), %d wrong replies or errors; server memory (RSS) at peak %.0f MB.%n%n",
        bench.get(hold).get(0).getInteger("connected"), median(hold, "msgsPerSecond"), median(hold, "p50"), median(hold, "p99"),
        median(hold, "max"), benchErrors(hold), peakMb));
    }
    if (bench.containsKey("flood")) {
      md.append(flood(bench.get("flood").get(0), results.resolve("flood-server.log")));
    }
    md.append(targets());
    Files.createDirectories(charts);
    throughputChart(charts.resolve("throughput.png"));
    latencyChart(charts.resolve("latency.png"));
    md.append("\n![msg/s against connections](throughput.png)\n\n![latency percentiles](latency.png)\n");
    Path analysis = charts.resolve("analysis.md");
    if (Files.exists(analysis)) {
      md.append("\n").append(Files.readString(analysis));
    }
    return md.toString();
  }

  /**
   * The flood case (bench/flood): what came back, how the bystander fared, and the server's peak
   * memory, from the flood command's JSON and the flood server's log.
   */
  static String flood(JsonObject f, Path serverLog) throws IOException {
    List<String> log = Files.exists(serverLog) ? Files.readAllLines(serverLog) : null;
    long oom = log == null ? -1 : log.stream().filter(l -> l.contains("OutOfMemoryError")).count();
    String budget = log == null ? null : log.stream().map(BUDGET::matcher).filter(Matcher::find)
      .map(m -> mib(Long.parseLong(m.group(1)))).findFirst().orElse(null);
    JsonObject by = f.getJsonObject("bystander");
    JsonObject server = f.getJsonObject("server");
    StringBuilder kinds = new StringBuilder();
    JsonObject failures = f.getJsonObject("failures");
    for (String k : failures.fieldNames()) {
      if (failures.getInteger(k) > 0) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(failures.getInteger(k));
      }
    }
    String replies = f.getBoolean("verified")
      ? String.format(Locale.ROOT, "verified: all %,d bytes came back exactly as owed", f.getLong("bytesVerified"))
      : String.format(Locale.ROOT, "**not verified**: %,d of %,d bytes came back as owed; %d of %d clients failed (%s)",
        f.getLong("bytesVerified"), f.getLong("bytesExpected"), f.getInteger("failedClients"), f.getInteger("clients"), kinds);
    long late = by.getLong("slow") + by.getLong("wrong") + by.getLong("missing");
    String bystander = String.format(Locale.ROOT, "%d visits: p50 %s, p99 %s, max %s; %s", by.getLong("visits"),
      ms(by.getLong("p50Micros")), ms(by.getLong("p99Micros")), ms(by.getLong("maxMicros")),
      late == 0 ? "each answered within " + ms(by.getLong("timeoutMillis") * 1000)
        : String.format(Locale.ROOT, "**%d slower than %s, %d wrong, %d missing**", by.getLong("slow"),
          ms(by.getLong("timeoutMillis") * 1000), by.getLong("wrong"), by.getLong("missing")));
    String memory = server == null ? "not sampled" : String.format(Locale.ROOT,
      "peak heap in use %s (sampled each second, no GC forced), peak RSS %s", mib(server.getLong("peakHeapUsedBytes")),
      mib(server.getLong("peakRssBytes")));
    return String.format(Locale.ROOT, "## Flood (memory bounded per process)%n%n"
        + "A second server of its own, under `-Xmx256m` (`bench/flood-config.json`): %d clients × %s each (%s in all) of distinct "
        + "~1 KiB lines, reading nothing for %.0f s, then reading every reply back, byte for byte; meanwhile a bystander connected "
        + "every %s and had to be answered within %s. %s.%n%n"
        + "| | |%n|---|---|%n| replies | %s |%n| bystander | %s |%n| server memory | %s; %s%s |%n%n",
      f.getInteger("clients"), mib(f.getLong("bytesPerClient")), mib(f.getLong("bytesExpected")), f.getDouble("holdSeconds"),
      ms(by.getLong("intervalMillis") * 1000), ms(by.getLong("timeoutMillis") * 1000),
      f.getBoolean("clean") ? "**Clean**" : "**Failed**", replies, bystander, memory,
      oom < 0 ? "no server log" : oom + " OutOfMemoryError in the server's log",
      budget == null ? "" : "; its budget for client data (`maxBufferedBytes`): " + budget);
  }

  /** Under 100 ms in ms, else in seconds without trailing zeros: 3.2 ms, 0.5 s, 1.86 s, 2 s. */
  static String ms(long micros) {
    return micros < 100_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1e3)
      : String.format(Locale.ROOT, "%.2f", micros / 1e6).replaceAll("\\.?0+$", "") + " s";
  }

  private static String mib(Long bytes) {
    return bytes == null ? "–" : String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }

  /** The reference figure: rrload's (the C generator the targets were set with) when there is one. */
  private double reference(String name, String rrField, String benchField) {
    return usesRrload(name, rrField) ? rrMedian(name, rrField) : median(name, benchField);
  }

  private boolean usesRrload(String name, String rrField) {
    double rr = rrMedian(name, rrField);
    return !Double.isNaN(rr) && rr != 0;
  }

  /** Errors in the runs the reference figure came from. */
  private long referenceErrors(String name, String rrField) {
    return usesRrload(name, rrField) ? rrloadErrors(name) : benchErrors(name);
  }

  private String targets() {
    double rr64 = reference("reverse-rr-64", "msgs_per_s", "msgsPerSecond");
    double rr1000 = reference("reverse-rr-1000", "msgs_per_s", "msgsPerSecond");
    double p99 = reference("reverse-rr-64", "p99_us", "p99");
    double stream = reference("reverse-stream-1", "mb_in_per_s", "mbInPerSecond");
    double holdP99 = median("reverse-hold-15000", "p99");
    return "## Targets (reverse, line framing, worker hop on)\n\nMeasured with rrload where it ran (the targets were set with it), "
      + "else with the jar's bench, which on 2 shared cores is itself slower than the server. A figure from runs that saw "
      + "wrong replies, excess or lost bytes, or failed connections is invalid: it counts as not met.\n\n"
      + "| target | measured | |\n|---|---:|---|\n"
      + row("≥ 150k msg/s, 64 B rr, 64 connections", rr64, "%,.0f msg/s", rr64 >= 150_000, referenceErrors("reverse-rr-64", "msgs_per_s"))
      + row("≥ 115k msg/s, 64 B rr, 1000 connections", rr1000, "%,.0f msg/s", rr1000 >= 115_000,
        referenceErrors("reverse-rr-1000", "msgs_per_s"))
      + row("p99 ≤ 2 ms at 64 connections", p99, "%,.0f µs", p99 <= 2000, referenceErrors("reverse-rr-64", "p99_us"))
      + row("≥ 2,000 MB/s streaming 16 KiB", stream, "%,.0f MB/s", stream >= 2000, referenceErrors("reverse-stream-1", "mb_in_per_s"))
      + row("15,000 connections held, p99 < 150 ms", holdP99, "%,.0f µs", holdP99 < 150_000, benchErrors("reverse-hold-15000"));
  }

  private static String row(String target, double v, String format, boolean met, long errors) {
    String verdict = Double.isNaN(v) ? "not run"
      : errors > 0 ? "**invalid**: " + errors + " wrong replies or errors, not met"
      : met ? "met" : "**missed**";
    return "| " + target + " | " + fmt(v, format) + " | " + verdict + " |\n";
  }

  private static double nonZero(double v) {
    return v == 0 ? Double.NaN : v;
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
  }

  private void throughputChart(Path png) throws IOException {
    CategoryChart c = new CategoryChartBuilder().width(800).height(450).title("64 B request/response")
      .xAxisTitle("connections").yAxisTitle("msg/s").build();
    List<String> x = List.of("1", "64", "1000");
    for (String svc : List.of("reverse", "echo")) {
      c.addSeries(svc, x, x.stream().map(n -> median(svc + "-rr-" + n, "msgsPerSecond")).map(d -> Double.isNaN(d) ? 0 : d).toList());
    }
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private void latencyChart(Path png) throws IOException {
    XYChart c = new XYChartBuilder().width(800).height(450).title("latency percentiles, 64 B request/response")
      .xAxisTitle("percentile").yAxisTitle("µs").build();
    c.getStyler().setYAxisLogarithmic(true);
    List<Double> pct = List.of(50.0, 90.0, 99.0, 99.9);
    for (String svc : List.of("reverse", "echo")) {
      for (String n : List.of("1", "64", "1000")) {
        String name = svc + "-rr-" + n;
        if (bench.containsKey(name)) {
          List<Double> y = List.of(median(name, "p50"), median(name, "p90"), median(name, "p99"), median(name, "p999"));
          c.addSeries(svc + ", " + n + " conn", pct, y.stream().map(d -> Math.max(1, d)).toList()).setMarker(SeriesMarkers.CIRCLE);
        }
      }
    }
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: say so
    }
    long memGb = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
      .getTotalMemorySize() / 1e9);
    String flags = System.getenv().getOrDefault("SERVER_JAVA_OPTS", "").isBlank()
      ? "none (the JVM's defaults)" : "`" + System.getenv("SERVER_JAVA_OPTS").trim() + "`";
    return String.format(Locale.ROOT, "%d cores (%s), %d GB, %s %s, Java %s; server JVM flags: %s. The load generator shares the cores with the server.",
      Runtime.getRuntime().availableProcessors(), cpu, memGb, System.getProperty("os.name"), System.getProperty("os.version"),
      System.getProperty("java.version"), flags);
  }
}
