package dev.backspin.metrics;

import dev.backspin.memory.MemoryBudget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The server's memory budget, as gauges: one budget for every service, so no service label. */
public final class BudgetMetrics {

  private BudgetMetrics() {
  }

  public static void register(MeterRegistry registry, MemoryBudget budget) {
    Gauge.builder("backspin.memory.budget", budget::limit).baseUnit("bytes")
      .description("Bytes all connections together may hold (maxBufferedBytes)").register(registry);
    Gauge.builder("backspin.memory.held", budget::held).baseUnit("bytes")
      .description("Bytes the connections hold now, at their cost: frames on their way, partial frames, queued writes, broadcast backlogs").register(registry);
    Gauge.builder("backspin.memory.paused.connections", budget::pausedConnections)
      .description("Connections not read because the budget is under pressure and they hold more than their share").register(registry);
  }
}
