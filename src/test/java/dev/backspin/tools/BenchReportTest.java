package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report judges the targets from what bench/run left: medians, rrload before the jar's bench. */
class BenchReportTest {

  @TempDir
  Path results;
  @TempDir
  Path charts;

  /** Extra RESULT fields for some rrload runs, by file name ("reverse-rr-64.2"): a run that saw errors. */
  private final Map<String, String> rrloadFaults = new HashMap<>();
  /** Extra fields for some bench runs, by file name. */
  private final Map<String, JsonObject> benchFaults = new HashMap<>();

  /** One bench JSON run, as the bench command writes it. */
  private void bench(String name, int run, double msgs, double mb, long p99) throws IOException {
    boolean stream = name.contains("stream");
    JsonObject j = new JsonObject().put("mode", stream ? "stream" : "rr").put("connected", 64)
      .put("msgsPerSecond", msgs).put("mbInPerSecond", mb).put("mismatches", 0).put("excess", 0).put("lost", 0).put("errors", 0)
      // stream mode times no round trip: the bench writes null
      .put("latencyMicros", stream ? null
        : new JsonObject().put("p50", p99 / 2).put("p90", p99 - 1).put("p99", p99).put("p999", p99 + 1).put("max", p99 + 2));
    j.mergeIn(benchFaults.getOrDefault(name + "." + run, new JsonObject()));
    Files.writeString(results.resolve(name + "." + run + ".json"), j.encode());
  }

  /** One rrload RESULT line, in rrload.c's format, clean unless rrloadFaults says otherwise. */
  private void rrload(String name, int run, double msgs, double mb, double p99) throws IOException {
    String clean = String.format(Locale.ROOT, "RESULT mode=%s conns=64 size=64 connected=64 conn_fail=0 alive=64 progressed=64 "
        + "closed_by_peer=0 errors=0 window_s=10.000 msgs=1 msgs_per_s=%.0f p50_us=1.0 p90_us=1.0 p99_us=%.1f p999_us=1.0 max_us=1.0 "
        + "mb_in_per_s=%.2f mb_out_per_s=%.2f mismatches=0 excess=0 per_conn_min=1 per_conn_max=1 gen_cpu_s=1.00 gen_wall_s=10.00 "
        + "reconnects=0", name.contains("stream") ? "stream" : "rr", msgs, p99, mb, mb);
    String fault = rrloadFaults.get(name + "." + run);
    if (fault != null) {
      for (String kv : fault.split(" ")) {
        clean = clean.replaceFirst(" " + kv.split("=")[0] + "=[0-9.]+", " " + kv);
      }
    }
    Files.writeString(results.resolve(name + "." + run + ".rrload"), clean + "\n");
  }

  private String report() throws IOException {
    for (String svc : new String[] {"reverse", "echo"}) {
      for (int run = 1; run <= 3; run++) {
        // the jar's bench: far below rrload, and the same for both services
        bench(svc + "-rr-1", run, 10_000, 1, 100);
        bench(svc + "-rr-64", run, 50_000, 3, 900);
        bench(svc + "-rr-1000", run, 40_000, 2, 20_000);
        bench(svc + "-stream-1", run, 1_000, 500, 0);
      }
    }
    // rrload: the median is the middle run, whatever order they come in
    double[] reverse64 = {149_000, 160_000, 151_000};
    for (int run = 1; run <= 3; run++) {
      rrload("reverse-rr-64", run, reverse64[run - 1], 9, 1_500 + run);
      rrload("echo-rr-64", run, 151_000 * 2, 18, 700);
      rrload("reverse-rr-1000", run, 114_999, 7, 20_000);
      rrload("echo-rr-1000", run, 120_000, 7, 20_000);
      rrload("reverse-stream-1", run, 0, 1_000, 0);
      rrload("echo-stream-1", run, 0, 2_000, 0);
    }
    bench("reverse-hold-15000", 1, 15_000, 1, 149_999);
    Files.writeString(results.resolve("hold-rss-kb"), "700000\n");
    BenchReport r = new BenchReport();
    r.load(results);
    return r.markdown(results, charts);
  }

  @Test
  void targetsAreJudgedOnRrloadMediansAtTheirBounds() throws IOException {
    String md = report();
    assertThat(md)
      .contains("| ≥ 150k msg/s, 64 B rr, 64 connections | 151,000 msg/s | met |")
      .contains("| ≥ 115k msg/s, 64 B rr, 1000 connections | 114,999 msg/s | **missed** |")
      .contains("| p99 ≤ 2 ms at 64 connections | 1,502 µs | met |")
      .contains("| ≥ 2,000 MB/s streaming 16 KiB | 1,000 MB/s | **missed** |")
      .contains("| 15,000 connections held, p99 < 150 ms | 149,999 µs | met |")
      .contains("server memory (RSS) at peak 684 MB");
  }

  @Test
  void theHopsCostComesFromRrloadWhereItRanAndFromTheBenchElsewhere() throws IOException {
    String md = report();
    // rr-1: bench only, equal; rr-64: 151k / 302k; rr-1000: 114,999 / 120,000; stream: 1,000 / 2,000 MB/s
    assertThat(md).contains("rr-1 1.00×; rr-64 0.50×; rr-1000 0.96×; stream-1 0.50×;");
  }

  @Test
  void aTargetMeasuredByAnRrloadRunWithWrongRepliesIsInvalid() throws IOException {
    rrloadFaults.put("reverse-rr-64.2", "mismatches=3");
    rrloadFaults.put("reverse-rr-1000.1", "closed_by_peer=2 conn_fail=1");
    String md = report();
    assertThat(md)
      .contains("| ≥ 150k msg/s, 64 B rr, 64 connections | 151,000 msg/s | **invalid**: 3 wrong replies or errors, not met |")
      .contains("| p99 ≤ 2 ms at 64 connections | 1,502 µs | **invalid**: 3 wrong replies or errors, not met |")
      .contains("| ≥ 115k msg/s, 64 B rr, 1000 connections | 114,999 msg/s | **invalid**: 3 wrong replies or errors, not met |")
      .contains("| ≥ 2,000 MB/s streaming 16 KiB | 1,000 MB/s | **missed** |");
    // and the run table shows rrload's count beside the bench's
    assertThat(md).containsPattern("\\| rr-64 \\| reverse \\|[^\\n]*\\| 0 \\| 151,000 \\| 9\\.0 \\| 3 \\|");
  }

  @Test
  void rrloadStreamingExcessOrErrorsInvalidateTheStreamTarget() throws IOException {
    rrloadFaults.put("reverse-stream-1.3", "excess=16384 errors=1");
    String md = report();
    assertThat(md).contains("| ≥ 2,000 MB/s streaming 16 KiB | 1,000 MB/s | **invalid**: 16385 wrong replies or errors, not met |");
  }

  @Test
  void benchRunsWithErrorsInvalidateWhatTheyMeasured() throws IOException {
    benchFaults.put("reverse-hold-15000.1", new JsonObject().put("lost", 2));
    String md = report();
    assertThat(md).contains("| 15,000 connections held, p99 < 150 ms | 149,999 µs | **invalid**: 2 wrong replies or errors, not met |")
      .contains("2 wrong replies or errors; server memory");
  }

  @Test
  void aMetTargetStaysMetWhenOnlyAnotherRunHadErrors() throws IOException {
    rrloadFaults.put("echo-rr-64.1", "mismatches=1");
    assertThat(report()).contains("| ≥ 150k msg/s, 64 B rr, 64 connections | 151,000 msg/s | met |");
  }

  @Test
  void streamingHasNoLatencyAndTheReportSaysWhatRrloadCannotCheck() throws IOException {
    String md = report();
    assertThat(md).contains("| stream-1 | reverse | 1,000 | 500.0 | – | – | – | 0 | – | 1000.0 | 0 |")
      .contains("it has no check of stream replies")
      .doesNotContain("every reply was checked");
  }

  /** The flood's JSON as the flood command writes it: 400 clients of 2 MiB, every byte back, bystanders in time. */
  private static JsonObject cleanFlood() {
    long per = 2L << 20;
    JsonObject failures = new JsonObject();
    for (String k : new String[] {"connect", "write", "err", "mismatch", "closed", "reset", "deadline"}) {
      failures.put(k, 0);
    }
    return new JsonObject().put("clients", 400).put("bytesPerClient", per).put("connected", 400)
      .put("bytesExpected", 400 * per).put("bytesVerified", 400 * per).put("clientsVerified", 400).put("failedClients", 0)
      .put("failures", failures).put("verified", true).put("holdSeconds", 25.0).put("clean", true)
      .put("bystander", new JsonObject().put("visits", 55).put("answered", 55).put("slow", 0).put("wrong", 0).put("missing", 0)
        .put("timeoutMillis", 2000).put("intervalMillis", 500).put("p50Micros", 1_800).put("p99Micros", 1_855_500).put("maxMicros", 1_855_500))
      .put("server", new JsonObject().put("pid", 42).put("peakHeapUsedBytes", 241L << 20).put("peakRssBytes", 368L << 20));
  }

  private String reportWithFlood(JsonObject flood, String serverLog) throws IOException {
    Files.writeString(results.resolve("flood.1.json"), flood.encode());
    if (serverLog != null) {
      Files.writeString(results.resolve("flood-server.log"), serverLog);
    }
    return report();
  }

  @Test
  void theFloodSectionShowsWhatCameBackTheBystanderAndTheServersPeaks() throws IOException {
    String md = reportWithFlood(cleanFlood(), "INFO transport in use: epoll\n");
    assertThat(md).contains("## Flood (memory bounded per process)")
      .contains("400 clients × 2 MiB each (800 MiB in all)").contains("reading nothing for 25 s")
      .contains("a bystander connected every 0.5 s and had to be answered within 2 s. **Clean**.")
      .contains("| replies | verified: all 838,860,800 bytes came back exactly as owed |")
      .contains("| bystander | 55 visits: p50 1.8 ms, p99 1.86 s, max 1.86 s; each answered within 2 s |")
      .contains("| server memory | peak heap in use 241 MiB (sampled each second, no GC forced), peak RSS 368 MiB; "
        + "0 OutOfMemoryError in the server's log |");
    assertThat(md).doesNotContain("budget for client data");
    // the rest of the report is still there, after it
    assertThat(md.indexOf("## Flood")).isLessThan(md.indexOf("## Targets"));
  }

  @Test
  void aFloodWithFailedClientsLateBystandersAndOomsSaysSo() throws IOException {
    JsonObject f = cleanFlood().put("verified", false).put("clean", false).put("bytesVerified", 700_000_000L).put("failedClients", 70)
      .put("clientsVerified", 330);
    f.getJsonObject("failures").put("err", 60).put("closed", 10);
    f.getJsonObject("bystander").put("slow", 3).put("missing", 2).put("maxMicros", 10_000_000);
    f.remove("server");
    String md = reportWithFlood(f, "java.lang.OutOfMemoryError: Java heap space\nx\nException: java.lang.OutOfMemoryError\n");
    assertThat(md).contains("**Failed**.")
      .contains("| replies | **not verified**: 700,000,000 of 838,860,800 bytes came back as owed; 70 of 400 clients failed (err 60, closed 10) |")
      .contains("max 10 s; **3 slower than 2 s, 0 wrong, 2 missing** |")
      .contains("| server memory | not sampled; 2 OutOfMemoryError in the server's log |");
  }

  @Test
  void theServersBudgetIsNamedWhenItsLogHasIt() throws IOException {
    String md = reportWithFlood(cleanFlood(), "INFO memory budget: 64 MiB (67108864 bytes) for client data, a quarter of the heap\n");
    assertThat(md).contains("0 OutOfMemoryError in the server's log; its budget for client data (`maxBufferedBytes`): 64 MiB |");
  }

  @Test
  void noFloodRunNoFloodSection() throws IOException {
    assertThat(report()).doesNotContain("## Flood");
  }

  @Test
  void durationsAreShortAndExact() {
    assertThat(BenchReport.ms(3_217)).isEqualTo("3.2 ms");
    assertThat(BenchReport.ms(500_000)).isEqualTo("0.5 s");
    assertThat(BenchReport.ms(2_000_000)).isEqualTo("2 s");
    assertThat(BenchReport.ms(20_000_000)).isEqualTo("20 s");
    assertThat(BenchReport.ms(1_855_500)).isEqualTo("1.86 s");
  }

  @Test
  void chartsAreDrawn() throws IOException {
    report();
    assertThat(charts.resolve("throughput.png")).isNotEmptyFile();
    assertThat(charts.resolve("latency.png")).isNotEmptyFile();
  }
}
