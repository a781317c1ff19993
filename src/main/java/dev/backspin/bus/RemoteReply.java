package dev.backspin.bus;

import dev.backspin.errors.Failure;

/**
 * A worker's answer to a front on another node: the reversed wire bytes {@code data[0, length)}
 * and, if a frame failed, why (the frames before it are in {@code data}).
 */
public record RemoteReply(byte[] data, int length, Failure error) {
}
