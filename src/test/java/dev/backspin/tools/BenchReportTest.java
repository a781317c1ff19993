package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The report judges the targets from what bench/run left: medians, rrload before the jar's bench. */
class BenchReportTest {

  @TempDir
  Path results;
  @TempDir
  Path charts;

  /** One bench JSON run, as the bench command writes it. */
  private void bench(String name, int run, double msgs, double mb, long p99) throws IOException {
    JsonObject j = new JsonObject().put("mode", name.contains("stream") ? "stream" : "rr").put("connected", 64)
      .put("msgsPerSecond", msgs).put("mbInPerSecond", mb).put("mismatches", 0).put("errors", 0)
      .put("latencyMicros", new JsonObject().put("p50", p99 / 2).put("p90", p99 - 1).put("p99", p99).put("p999", p99 + 1).put("max", p99 + 2));
    Files.writeString(results.resolve(name + "." + run + ".json"), j.encode());
  }

  /** One rrload RESULT line. */
  private void rrload(String name, int run, double msgs, double mb, double p99) throws IOException {
    Files.writeString(results.resolve(name + "." + run + ".rrload"),
      String.format(Locale.ROOT, "RESULT mode=rr msgs_per_s=%.0f p99_us=%.1f mb_in_per_s=%.2f mismatches=0%n", msgs, p99, mb));
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
  void chartsAreDrawn() throws IOException {
    report();
    assertThat(charts.resolve("throughput.png")).isNotEmptyFile();
    assertThat(charts.resolve("latency.png")).isNotEmptyFile();
  }
}
