package dev.backspin.errors;

import dev.backspin.framing.Framing;
import dev.backspin.framing.FrameException;
import dev.backspin.framing.Framers;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each failure carries its kind, and each kind is worded one way whichever framer finds it. */
class FailureTest {

  private static Failure failure(Framing framing, Buffer input) {
    return catchThrowableOfType(FrameException.class, () -> Framers.create(framing, 16).feed(input)).failure();
  }

  @Test
  void theFramersTypeAndWordAFrameTooLargeAlike() {
    List<Failure> tooLarge = List.of(
      failure(Framing.LINE, Buffer.buffer("x".repeat(40) + "\n")),
      failure(Framing.RAW, Buffer.buffer("x".repeat(40))),
      failure(Framing.LENGTH, Buffer.buffer().appendInt(40)));
    assertThat(tooLarge).containsOnly(new Failure(ErrorKind.FRAME_TOO_LARGE, "frame too large (max 16 bytes)"));
  }

  @Test
  void aBadLengthPrefixIsTypedAndShowsThePrefixUnsigned() {
    assertThat(failure(Framing.LENGTH, Buffer.buffer().appendInt(-1)))
      .isEqualTo(new Failure(ErrorKind.BAD_LENGTH_PREFIX, "bad length prefix 4294967295"));
  }

  @Test
  void everyWordedFailureHasAKindOfItsOwn() {
    List<Failure> all = List.of(Failure.frameTooLarge(1), Failure.badLengthPrefix(0), Failure.invalidUtf8(),
      Failure.noWorker(), Failure.workerTimeout(), Failure.tooSlow(), Failure.serverBusy(), Failure.internal(),
      Failure.noAnswer());
    assertThat(all).extracting(Failure::kind).doesNotHaveDuplicates().doesNotContain(ErrorKind.OTHER, ErrorKind.IO, ErrorKind.TLS);
    assertThat(all).extracting(Failure::reason).doesNotHaveDuplicates().allMatch(r -> !r.isBlank() && !r.contains("\n"));
    assertThat(Failure.invalidUtf8().reason()).isEqualTo("invalid UTF-8");
    assertThat(Failure.noAnswer().reason()).isEqualTo("no answer in time");
  }

  @Test
  void labelsArePrometheusStyle() {
    assertThat(Arrays.stream(ErrorKind.values()).map(ErrorKind::label)).allMatch(l -> l.matches("[a-z0-9_]+"));
    assertThat(ErrorKind.INVALID_UTF8.label()).isEqualTo("invalid_utf8");
  }
}
