package dev.backspin.metrics;

import dev.backspin.errors.RejectReason;

import dev.backspin.errors.ErrorKind;

import dev.backspin.config.ServiceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceMetricsTest {

  @Test
  void countsGoToTheServicesOwnSeries() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    AtomicInteger open = new AtomicInteger(2);
    ServiceMetrics reverse = new ServiceMetrics(r, ServiceKind.REVERSE, open::get);
    ServiceMetrics echo = new ServiceMetrics(r, ServiceKind.ECHO, () -> 0);
    reverse.framesIn(3);
    reverse.bytesIn(10);
    reverse.error(ErrorKind.INVALID_UTF8);
    reverse.rejected(RejectReason.TOO_MANY_CONNECTIONS);
    reverse.workerLatency().record(5, TimeUnit.MICROSECONDS);
    echo.framesIn(1);
    assertThat(r.get("backspin.frames.in").tag("service", "reverse").counter().count()).isEqualTo(3);
    assertThat(r.get("backspin.frames.in").tag("service", "echo").counter().count()).isEqualTo(1);
    assertThat(r.get("backspin.bytes.in").tag("service", "reverse").counter().count()).isEqualTo(10);
    assertThat(r.get("backspin.errors").tags("service", "reverse", "kind", "invalid_utf8").counter().count()).isEqualTo(1);
    assertThat(r.get("backspin.errors").tags("service", "reverse", "kind", "io").counter().count()).isZero();
    assertThat(r.get("backspin.connections.rejected").tags("service", "reverse", "reason", "too_many_connections").counter().count()).isEqualTo(1);
    assertThat(r.get("backspin.worker.latency").tag("service", "reverse").timer().count()).isEqualTo(1);
    open.set(5);
    assertThat(r.get("backspin.connections.open").tag("service", "reverse").gauge().value()).isEqualTo(5);
  }

  @Test
  void kindSpecificMetersExistOnlyForTheirKind() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    new ServiceMetrics(r, ServiceKind.ECHO, () -> 0);
    ServiceMetrics broadcast = new ServiceMetrics(r, ServiceKind.BROADCAST, () -> 0);
    assertThat(r.find("backspin.worker.latency").meters()).isEmpty();
    assertThat(r.find("backspin.remote.retries").meters()).isEmpty();
    broadcast.slowReceiverDisconnected();
    assertThat(r.get("backspin.broadcast.slow.disconnects").counter().count()).isEqualTo(1);
    ServiceMetrics reverse = new ServiceMetrics(r, ServiceKind.REVERSE, () -> 0);
    reverse.remoteRetried();
    assertThat(r.get("backspin.remote.retries").tag("service", "reverse").counter().count()).isEqualTo(1);
  }

  @Test
  void theRingGaugesReadTheShard() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    ServiceMetrics m = new ServiceMetrics(r, ServiceKind.REVERSE, () -> 0);
    AtomicInteger size = new AtomicInteger(7);
    m.ringOccupancy(1, size::get, 1024);
    assertThat(r.get("backspin.ring.occupancy").tag("shard", "1").gauge().value()).isEqualTo(7);
    assertThat(r.get("backspin.ring.capacity").tag("shard", "1").gauge().value()).isEqualTo(1024);
  }

  @Test
  void withoutAnEndpointTheMetersDoNothing() {
    ServiceMetrics m = new ServiceMetrics(Metrics.none(), ServiceKind.REVERSE, () -> 0);
    m.framesIn(1);
    m.workerLatency().record(1, TimeUnit.SECONDS);
    assertThat(m.workerLatency().count()).isZero();
  }
}
