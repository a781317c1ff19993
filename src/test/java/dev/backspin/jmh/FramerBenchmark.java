package dev.backspin.jmh;

import dev.backspin.framing.FrameException;
import dev.backspin.framing.Frames;
import dev.backspin.framing.LengthFramer;
import dev.backspin.framing.LineFramer;
import io.vertx.core.buffer.Buffer;
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

import java.util.concurrent.TimeUnit;

/** One read's worth of frames through a framer: the front's per-read cost. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramerBenchmark {

  @Param({"64", "16384"})
  int frameBytes;

  private Buffer lines;
  private Buffer lengthFrames;
  // a stream of lines cut into reads that do not line up with them, through one framer
  private Buffer[] reads;
  private LineFramer streamFramer;
  private int nextRead;

  @Setup
  public void setUp() {
    // a 64 KiB read, as Netty hands them over
    int n = Math.max(1, 65536 / frameBytes);
    lines = Buffer.buffer();
    lengthFrames = Buffer.buffer();
    byte[] payload = "x".repeat(frameBytes - 1).getBytes();
    for (int i = 0; i < n; i++) {
      lines.appendBytes(payload).appendByte((byte) '\n');
      lengthFrames.appendInt(payload.length).appendBytes(payload);
    }
    Buffer stream = Buffer.buffer();
    for (int i = 0; i < 16 * n; i++) {
      stream.appendBytes(payload).appendByte((byte) '\n');
    }
    int readBytes = 65000;
    reads = new Buffer[stream.length() / readBytes];
    for (int i = 0; i < reads.length; i++) {
      reads[i] = stream.getBuffer(i * readBytes, (i + 1) * readBytes);
    }
    streamFramer = new LineFramer(65536);
  }

  @Benchmark
  public Frames lineRead() throws FrameException {
    return new LineFramer(65536).feed(lines);
  }

  /** One read of about 64 KiB that starts and ends inside lines: the streaming front's cost per read. */
  @Benchmark
  public Frames lineStreamRead() throws FrameException {
    Buffer read = reads[nextRead];
    nextRead = (nextRead + 1) % reads.length;
    return streamFramer.feed(read);
  }

  @Benchmark
  public Frames lengthRead() throws FrameException {
    return new LengthFramer(65536).feed(lengthFrames);
  }
}
