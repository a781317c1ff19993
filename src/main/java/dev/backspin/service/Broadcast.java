package dev.backspin.service;

/**
 * Whole frames one client sent, on their way to every other client: {@code data[0, length)}, with
 * delimiters or length prefixes, so receivers never see a mix of two senders' bytes.
 * {@code origin} and {@code connectionId} name the sender, who does not get them back;
 * {@code frames} is how many frames they are. {@code counted} are the local fronts whose backlog
 * the bytes were added to; it never crosses the wire, so a message from another node counts for none.
 * In a cluster, {@code node} is the sending node's id and {@code offset} the bytes that node has
 * published so far, this message's included: what a receiving node acknowledges ({@link RemoteNodes}).
 */
public record Broadcast(String origin, long connectionId, byte[] data, int length, int frames, BroadcastFronts.Member[] counted,
                        String node, long offset) {

  /** Counted for no front: from the wire, or in tests. */
  public Broadcast(String origin, long connectionId, byte[] data, int length, int frames) {
    this(origin, connectionId, data, length, frames, BroadcastFronts.NONE, null, -1);
  }
}
