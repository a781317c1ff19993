package dev.backspin.bus;

import java.util.UUID;

/**
 * The event-bus addresses of a service's fronts and workers, in one place: the route that sends
 * the frames and the worker that answers them both read them here, and neither knows the other.
 * All are node-local but {@link #workers}, which fronts on other nodes reach.
 */
public final class Addresses {

  private Addresses() {
  }

  /** Worker shard {@code k} of a service on this node: its fronts send the shard's batches here. */
  public static String shard(String service, int k) {
    return "backspin." + service + ".worker." + k;
  }

  /** Cluster-wide: every worker of a service takes requests here from fronts on nodes without workers. */
  public static String workers(String service) {
    return "backspin." + service + ".workers";
  }

  /** A new front instance's own address, unique in the cluster; its batches carry it to the workers. */
  public static String newFront(String service) {
    return "backspin." + service + ".front." + UUID.randomUUID();
  }

  /** Where a front hears which of its frames get no reply: its own address. */
  public static String rejections(String front) {
    return front;
  }

  /** Where a front takes its replies when they come through it ({@code writeBack: "front"}). */
  public static String replies(String front) {
    return front + ".replies";
  }
}
