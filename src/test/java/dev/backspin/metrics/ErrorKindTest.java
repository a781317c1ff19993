package dev.backspin.metrics;

import dev.backspin.errors.ErrorKind;

import dev.backspin.config.Framing;
import dev.backspin.framing.FrameException;
import dev.backspin.framing.Framers;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The reasons the framers really give are classified, so a reworded reason cannot slip into "other". */
class ErrorKindTest {

  private static String reason(Framing framing, Buffer input) {
    return catchThrowableOfType(FrameException.class, () -> Framers.create(framing, 16).feed(input)).reason();
  }

  @Test
  void framerReasonsAreClassified() {
    assertThat(ErrorKind.of(reason(Framing.LINE, Buffer.buffer("x".repeat(40) + "\n")))).isEqualTo(ErrorKind.FRAME_TOO_LARGE);
    assertThat(ErrorKind.of(reason(Framing.RAW, Buffer.buffer("x".repeat(40))))).isEqualTo(ErrorKind.FRAME_TOO_LARGE);
    assertThat(ErrorKind.of(reason(Framing.LENGTH, Buffer.buffer().appendInt(40)))).isEqualTo(ErrorKind.FRAME_TOO_LARGE);
    assertThat(ErrorKind.of(reason(Framing.LENGTH, Buffer.buffer().appendInt(-1)))).isEqualTo(ErrorKind.BAD_LENGTH_PREFIX);
  }

  @Test
  void workerAndFrontReasonsAreClassified() {
    assertThat(ErrorKind.of("invalid UTF-8")).isEqualTo(ErrorKind.INVALID_UTF8);
    assertThat(ErrorKind.of("no worker available")).isEqualTo(ErrorKind.NO_WORKER);
    assertThat(ErrorKind.of("worker timed out")).isEqualTo(ErrorKind.WORKER_TIMEOUT);
    assertThat(ErrorKind.of("too slow")).isEqualTo(ErrorKind.SLOW_RECEIVER);
    assertThat(ErrorKind.of("something new")).isEqualTo(ErrorKind.OTHER);
  }

  @Test
  void labelsArePrometheusStyle() {
    assertThat(ErrorKind.INVALID_UTF8.label()).isEqualTo("invalid_utf8");
    assertThat(RejectReason.TOO_MANY_CONNECTIONS.label()).isEqualTo("too_many_connections");
  }
}
