package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sampler reads: VmRSS from /proc, heap in use and committed from jstat -gc. */
class ServerMemoryTest {

  // as `jstat -gc PID 1000` printed them for a Backspin server under -Xmx256m on this JDK
  private static final String HEADER = "    S0C         S1C         S0U         S1U          EC           EU           OC           OU"
    + "          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT   ";
  private static final String LINE = "        0.0      4096.0         0.0      3299.8      30720.0       2048.0       6144.0       5871.5"
    + "    21632.0    21419.2    2624.0    2550.8      4     0.027     0     0.000     2     0.007     0.033";

  @Test
  void heapInUseIsTheSurvivorEdenAndOldSpacesUsed() {
    long[] kb = ServerMemory.heapKb(HEADER.trim().split("\\s+"), LINE.trim().split("\\s+"));
    assertThat(kb).containsExactly(Math.round(0.0 + 3299.8 + 2048.0 + 5871.5), Math.round(0.0 + 4096.0 + 30720.0 + 6144.0));
  }

  @Test
  void aLineThatIsNotASampleGivesNothing() {
    String[] header = HEADER.trim().split("\\s+");
    assertThat(ServerMemory.heapKb(header, "1234 not found".split(" "))).isNull();
    String[] dashes = LINE.trim().split("\\s+");
    dashes[5] = "-";
    assertThat(ServerMemory.heapKb(header, dashes)).isNull();
  }

  @Test
  void rssIsReadFromProcStatus() {
    assertThat(ServerMemory.rssKb("Name:\tjava\nVmHWM:\t  200000 kB\nVmRSS:\t  102952 kB\nRssAnon:\t 1 kB\n")).hasValue(102952);
    assertThat(ServerMemory.rssKb("Name:\tzombie\n")).isEmpty();
  }

  @Test
  void theSummarySaysWhatWasNotSampled() {
    JsonObject none = new JsonObject().put("pid", 7).put("rssSamples", 0).put("heapSamples", 0).putNull("peakRssBytes")
      .putNull("peakHeapUsedBytes").putNull("peakHeapCapacityBytes").put("problem", "no heap samples");
    assertThat(ServerMemory.summary(none)).isEqualTo("server pid 7: peak heap in use – (of – committed; 0 samples, no GC forced), "
      + "peak RSS – (0 samples); no heap samples");
    JsonObject some = new JsonObject().put("pid", 7).put("rssSamples", 3).put("heapSamples", 2).put("peakRssBytes", 300L << 20)
      .put("peakHeapUsedBytes", 200L << 20).put("peakHeapCapacityBytes", 256L << 20).putNull("problem");
    assertThat(ServerMemory.summary(some)).isEqualTo("server pid 7: peak heap in use 200 MiB (of 256 MiB committed; 2 samples, "
      + "no GC forced), peak RSS 300 MiB (3 samples)");
  }
}
