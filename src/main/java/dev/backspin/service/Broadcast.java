package dev.backspin.service;

/**
 * Whole frames one client sent, on their way to every other client: {@code data[0, length)}, with
 * delimiters or length prefixes, so receivers never see a mix of two senders' bytes.
 * {@code origin} and {@code connectionId} name the sender, who does not get them back;
 * {@code frames} is how many frames they are.
 */
public record Broadcast(String origin, long connectionId, byte[] data, int length, int frames) {
}
