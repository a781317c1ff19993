package dev.backspin.front;

import dev.backspin.memory.BudgetLedger;
import dev.backspin.metrics.ServiceMetrics;
import io.vertx.core.Vertx;

/** What a connection needs from the front that accepted it, beyond where its frames go. */
interface ConnectionOwner {

  Vertx vertx();

  /** The service's meters. */
  ServiceMetrics metrics();

  /** The connection has closed: forget it. */
  void closed(Connection c);

  /** On server shutdown, how long an open connection is still served. */
  long drainMillis();

  /** The drain time ran out while the connection was open. */
  void closedAtDeadline(Connection c);

  /**
   * The connection closed with {@code unanswered} bytes of the frames it read never answered, and
   * {@code dropped} bytes of output the server closed it on (the client went away, or it was closed).
   */
  void closedWith(long unanswered, long dropped);

  /** This front's part of the server's memory budget. */
  BudgetLedger ledger();

  /** Hands the connection's outbox to its socket at the end of this event-loop cycle. */
  void flushSoon(Connection c);
}
