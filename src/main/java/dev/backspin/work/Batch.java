package dev.backspin.work;

import dev.backspin.framing.Frames;

/**
 * The frames of one read of one connection, on their way to a worker shard. {@code connectionId}
 * and {@code ackAddress} tell the front which connection the acknowledgement credits.
 */
public record Batch(long connectionId, String writeHandlerID, String ackAddress, Frames frames) {
}
