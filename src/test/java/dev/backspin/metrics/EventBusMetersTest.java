package dev.backspin.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EventBusMeters meters = new EventBusMeters(registry);

  private static String socket() {
    return "__vertx.net." + UUID.randomUUID();
  }

  private RequiredSearch find(String name, String address) {
    return registry.get("vertx.eventbus." + name).tag("address", address);
  }

  private double counted(String name, String address, String side) {
    return find(name, address).tag("side", side).counter().count();
  }

  private double gauge(String name, String address, String side) {
    return find(name, address).tag("side", side).gauge().value();
  }

  @Test
  void socketsFoldIntoOneLabelBackspinsAddressesStayAndOthersAreNotMetered() {
    assertThat(EventBusMeters.label(socket())).isEqualTo("vertx.net.*");
    assertThat(EventBusMeters.label("backspin.reverse.worker.0")).isEqualTo("backspin.reverse.worker.0");
    assertThat(EventBusMeters.label("backspin.reverse.front.0c9e")).isEqualTo("backspin.reverse.front.*");
    assertThat(EventBusMeters.label("backspin.reverse.front.0c9e.replies")).isEqualTo("backspin.reverse.front.*.replies");
    assertThat(EventBusMeters.label("__vertx.reply.7")).isNull();
    assertThat(EventBusMeters.label("someone.else")).isNull();
    assertThat(EventBusMeters.label(null)).isNull();
  }

  @Test
  void aLocalMessageIsSentReceivedPendingThenProcessed() {
    String worker = "backspin.reverse.worker.0";
    EventBusMeters.Address h = meters.handlerRegistered(worker);
    assertThat(find("handlers", worker).gauge().value()).isEqualTo(1);
    meters.messageSent(worker, false, true, false);
    meters.messageReceived(worker, false, true, 1);
    assertThat(counted("sent", worker, "local")).isEqualTo(1);
    assertThat(counted("received", worker, "local")).isEqualTo(1);
    assertThat(counted("delivered", worker, "local")).isEqualTo(1);
    assertThat(gauge("pending", worker, "local")).isEqualTo(1);
    meters.messageDelivered(h, true);
    assertThat(gauge("pending", worker, "local")).isZero();
    assertThat(counted("processed", worker, "local")).isEqualTo(1);
    assertThat(counted("processed", worker, "remote")).isZero();
    meters.handlerUnregistered(h);
    assertThat(find("handlers", worker).gauge().value()).isZero();
  }

  @Test
  void aMessageWithNoHandlerIsReceivedButNeitherDeliveredNorPending() {
    String front = "backspin.reverse.front.x";
    meters.handlerRegistered(front);
    meters.messageReceived(front, false, false, 0);
    assertThat(counted("received", "backspin.reverse.front.*", "remote")).isEqualTo(1);
    assertThat(registry.find("vertx.eventbus.delivered").meters()).isEmpty();
    assertThat(gauge("pending", "backspin.reverse.front.*", "remote")).isZero();
  }

  @Test
  void aDiscardedMessageLeavesPendingAndIsCounted() {
    String s = socket();
    EventBusMeters.Address h = meters.handlerRegistered(s);
    meters.messageReceived(s, false, false, 1);
    meters.discardMessage(h, false, null);
    assertThat(gauge("pending", "vertx.net.*", "remote")).isZero();
    assertThat(counted("discarded", "vertx.net.*", "remote")).isEqualTo(1);
    assertThat(counted("processed", "vertx.net.*", "remote")).isZero();
  }

  @Test
  void aPublishIsCountedAsPublishedNotSent() {
    String b = "backspin.broadcast.deliver";
    meters.messageSent(b, true, false, true);
    assertThat(counted("published", b, "remote")).isEqualTo(1);
    assertThat(registry.find("vertx.eventbus.sent").meters()).isEmpty();
  }

  @Test
  void aThousandSocketsAreOneSeriesThatCountsThemAll() {
    int before = -1;
    for (int i = 0; i < 1000; i++) {
      String s = socket();
      EventBusMeters.Address h = meters.handlerRegistered(s);
      meters.messageSent(s, false, true, false);
      meters.messageReceived(s, false, true, 1);
      meters.messageDelivered(h, true);
      if (i == 0) {
        before = registry.getMeters().size();
      }
    }
    assertThat(registry.getMeters()).as("meters after 1000 sockets, against after one").hasSize(before);
    assertThat(find("handlers", "vertx.net.*").gauge().value()).isEqualTo(1000);
    assertThat(counted("processed", "vertx.net.*", "local")).isEqualTo(1000);
  }

  @Test
  void frontsStartedAgainAndAgainShareTheirSeries() {
    String first = "backspin.reverse.front." + UUID.randomUUID();
    meters.handlerRegistered(first);
    meters.messageSent(first, false, false, true);
    int before = registry.getMeters().size();
    for (int i = 0; i < 100; i++) {
      String front = "backspin.reverse.front." + UUID.randomUUID();
      meters.handlerRegistered(front);
      meters.messageSent(front, false, false, true);
    }
    assertThat(registry.getMeters()).as("meters after 101 fronts, against after one").hasSize(before);
    assertThat(find("handlers", "backspin.reverse.front.*").gauge().value()).isEqualTo(101);
    assertThat(counted("sent", "backspin.reverse.front.*", "remote")).isEqualTo(101);
  }

  @Test
  void addressesNotMeteredLeaveNoSeries() {
    assertThat(meters.handlerRegistered("__vertx.reply.1")).isNull();
    meters.messageSent("__vertx.reply.1", false, true, false);
    meters.messageReceived("other", false, true, 1);
    meters.messageDelivered(null, true);
    meters.discardMessage(null, true, null);
    meters.replyFailure("__vertx.reply.1", ReplyFailure.TIMEOUT);
    assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
  }

  @Test
  void replyFailuresAndClusterBytesAreCountedPerAddress() {
    String w = "backspin.reverse.worker.1";
    meters.replyFailure(w, ReplyFailure.TIMEOUT);
    meters.replyFailure(w, ReplyFailure.TIMEOUT);
    meters.messageWritten(w, 100);
    meters.messageRead(w, 30);
    meters.messageRead(w, 50);
    assertThat(find("reply.failures", w).tag("failure", "TIMEOUT").counter().count()).isEqualTo(2);
    assertThat(find("bytes.written", w).summary().totalAmount()).isEqualTo(100);
    assertThat(find("bytes.read", w).summary().count()).isEqualTo(2);
    assertThat(registry.scrape()).contains("vertx_eventbus_reply_failures_total{address=\"backspin.reverse.worker.1\",failure=\"TIMEOUT\"} 2.0");
  }
}
