package dev.backspin.work;

import dev.backspin.framing.Frames;

/**
 * The frames of one read of one connection, on their way to a worker shard. The reply goes to
 * {@code writeHandlerID}; a rejection (frames that get no reply) goes to {@code frontAddress},
 * naming {@code connectionId}.
 */
public record Batch(long connectionId, String writeHandlerID, String frontAddress, Frames frames) {
}
