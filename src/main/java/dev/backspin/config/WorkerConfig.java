package dev.backspin.config;

import java.util.Objects;

/**
 * What one worker shard takes from its service's config, typed and checked here: whose shard it
 * is and its number (its addresses follow from them), what it reverses, how many batches its ring
 * holds, and how its replies go back to the fronts of its node. The worker reads nothing else.
 */
public record WorkerConfig(ServiceKind service, int shard, ReverseUnit unit, int ringCapacity, WriteBack writeBack) {

  /** The most a ring can hold: its slots are the next power of two, an array that must fit. */
  public static final int MAX_RING_CAPACITY = 1 << 30;

  public WorkerConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(writeBack, "writeBack");
    if (shard < 0) {
      throw new IllegalArgumentException("shard must be >= 0, got " + shard);
    }
    if (ringCapacity < 1 || ringCapacity > MAX_RING_CAPACITY) {
      throw new ConfigException(service.id() + ".ringCapacity", "must be 1.." + MAX_RING_CAPACITY + ", got " + ringCapacity);
    }
  }

  /** Worker shard {@code shard} of a service, one of its {@code workers}. */
  public static WorkerConfig of(ServiceConfig svc, int shard) {
    if (shard >= svc.workers()) {
      throw new IllegalArgumentException(svc.kind().id() + " has " + svc.workers() + " worker shard(s), no shard " + shard);
    }
    return new WorkerConfig(svc.kind(), shard, svc.unit(), svc.ringCapacity(), svc.writeBack());
  }
}
