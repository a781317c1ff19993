package dev.backspin.support;

import dev.backspin.config.TransportKind;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * A test class that runs once for each transport: epoll, io_uring and nio. The display names
 * carry the transport ({@code [io_uring]}), and so does every failure's message, since Maven's
 * reports show only {@code [1]}, {@code [2]}, {@code [3]}. A transport this machine lacks is not
 * skipped: the test fails with the reason it cannot load.
 */
@ExtendWith(TransportInFailures.class)
@ParameterizedClass(name = "[{argumentSetName}]")
@MethodSource("dev.backspin.support.EachTransport#transports")
public abstract class EachTransport {

  /** The transport of this run; configs the test writes must carry {@code transport.id()}. */
  @Parameter
  protected TransportKind transport;

  /** The transports every integration test runs on, named by their config ids. */
  public static Stream<Arguments> transports() {
    return Stream.of(TransportKind.EPOLL, TransportKind.IO_URING, TransportKind.NIO).map(t -> argumentSet(t.id(), t));
  }
}
