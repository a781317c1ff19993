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

  @Test
  void chartsAreDrawn() throws IOException {
    report();
    assertThat(charts.resolve("throughput.png")).isNotEmptyFile();
    assertThat(charts.resolve("latency.png")).isNotEmptyFile();
  }
}
