package dev.backspin.jmh;

import dev.backspin.work.RingBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The worker's queue: a burst offered, then drained, as one drain cycle does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBufferBenchmark {

  private final RingBuffer<Object> ring = new RingBuffer<>(1024);
  private final Object item = new Object();

  @Benchmark
  public int burstOf64() {
    for (int i = 0; i < 64; i++) {
      ring.offer(item);
    }
    int n = 0;
    while (ring.poll() != null) {
      n++;
    }
    return n;
  }
}
