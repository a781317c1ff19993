package dev.backspin.jmh;

import dev.backspin.work.Reverser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The worker's per-frame cost: reversing bytes, and UTF-8 code points (validated). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReverserBenchmark {

  @Param({"64", "16384"})
  int size;

  private byte[] ascii;
  private byte[] utf8;

  @Setup
  public void setUp() {
    ascii = "abcdefghij".repeat(size / 10 + 1).substring(0, size).getBytes(StandardCharsets.US_ASCII);
    utf8 = "aé€😀".repeat(size / 10 + 1).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] bytes() {
    Reverser.reverseBytes(ascii, 0, ascii.length);
    return ascii;
  }

  @Benchmark
  public boolean codePoints() {
    // twice: the text comes back to itself, so every call sees valid UTF-8
    return Reverser.reverseCodePoints(utf8, 0, utf8.length) && Reverser.reverseCodePoints(utf8, 0, utf8.length);
  }
}
