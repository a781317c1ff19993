package dev.backspin.front;

import dev.backspin.metrics.ServiceMetrics;
import dev.backspin.config.ServiceConfig;
import io.vertx.core.Vertx;

import java.util.Collection;

/** What a service's route sees of the front instance it runs on. Event-loop confined. */
public interface Front {

  Vertx vertx();

  /** The service's config. */
  ServiceConfig service();

  /** A name unique to this front instance, also usable as an event-bus address. */
  String id();

  /** The open connection with this id, or null. */
  Connection connection(long id);

  /** This instance's open connections. */
  Collection<Connection> connections();

  /** The service's meters. */
  ServiceMetrics metrics();
}
