package dev.backspin.tools;

import dev.backspin.bus.Bytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.Arrays;

/**
 * One bench connection, on the bench's event loop. In {@code rr} mode it keeps one message in
 * flight and times each round trip (at most {@code rate} a second, if given); in {@code stream} mode it keeps up to {@code window} bytes in
 * flight. Either way every reply byte is checked against the expected reply.
 */
final class BenchConnection {

  private final NetSocket socket;
  private final BenchMessage message;
  private final BenchStats stats;
  private final boolean stream;
  private final long window;
  private final long periodNanos; // rr at a fixed rate; 0: next message as soon as the reply is in
  private final Vertx vertx;
  private boolean running;
  private int at;          // offset into the expected reply
  private boolean bad;     // the current reply differs
  private long sentAt;
  private long inFlight;   // stream: bytes sent and not yet answered

  BenchConnection(Vertx vertx, NetSocket socket, BenchMessage message, BenchStats stats, boolean stream, long window, double rate) {
    this.vertx = vertx;
    this.socket = socket;
    this.message = message;
    this.stats = stats;
    this.stream = stream;
    this.window = window;
    this.periodNanos = rate > 0 ? (long) (1e9 / rate) : 0;
  }

  void start() {
    running = true;
    stats.open++;
    socket.handler(this::onData);
    socket.closeHandler(v -> {
      stats.open--;
      if (running) {
        stats.errors++; // the server closed a connection the bench was still using
        running = false;
      }
    });
    socket.exceptionHandler(e -> stats.errors++);
    socket.drainHandler(v -> pump());
    if (stream) {
      pump();
    } else {
      send();
    }
  }

  void stop() {
    running = false;
  }

  private void send() {
    sentAt = System.nanoTime();
    socket.write(Bytes.wrap(message.request(), message.request().length));
    stats.bytesOut += message.request().length;
  }

  private void pump() {
    while (running && inFlight < window && !socket.writeQueueFull()) {
      send();
      inFlight += message.request().length;
    }
  }

  private void onData(Buffer b) {
    byte[] expected = message.reply();
    byte[] got = b.getBytes();
    stats.bytesIn += got.length;
    int i = 0;
    while (i < got.length) {
      // compare as much as is left of the current reply in one go
      int n = Math.min(got.length - i, expected.length - at);
      if (!Arrays.equals(got, i, i + n, expected, at, at + n)) {
        bad = true;
      }
      i += n;
      at += n;
      if (at == expected.length) {
        at = 0;
        stats.messages++;
        if (bad) {
          stats.mismatches++;
          bad = false;
        }
        if (!stream) {
          long now = System.nanoTime();
          stats.latency.recordValue(Math.max(1, (now - sentAt) / 1000));
          long wait = periodNanos - (now - sentAt);
          if (running && wait <= 0) {
            send();
          } else if (running) {
            vertx.setTimer(Math.max(1, wait / 1_000_000), t -> {
              if (running) {
                send();
              }
            });
          }
        }
      }
    }
    if (stream) {
      inFlight -= got.length;
      pump();
    }
  }
}
