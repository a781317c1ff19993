package dev.backspin.front;

/**
 * What one service's drain did, counted from its start: how many connections the deadline
 * closed, and what was lost with the connections that closed during it. {@code unanswered}:
 * frames read and never answered (their bytes); {@code dropped}: replies the server had but the
 * client never got, because the connection was closed with them still in the server's buffers.
 */
public record DrainSummary(String service, long millis, int closedAtDeadline,
                           int unansweredConnections, long unansweredBytes,
                           int droppedConnections, long droppedBytes) {

  /** Whether every frame read during the drain was answered and every answer delivered to the kernel. */
  public boolean clean() {
    return unansweredConnections == 0 && droppedConnections == 0;
  }

  /** The drain's log line. */
  public String describe() {
    StringBuilder s = new StringBuilder(service).append(": drained in ").append(millis).append(" ms; ")
      .append(closedAtDeadline).append(" connection(s) were closed at the deadline, ");
    if (clean()) {
      return s.append("every frame read was answered and every reply handed to the kernel").toString();
    }
    if (unansweredConnections > 0) {
      s.append(unansweredConnections).append(" connection(s) closed with ").append(unansweredBytes).append(" bytes of frames unanswered");
    }
    if (droppedConnections > 0) {
      s.append(unansweredConnections > 0 ? ", " : "").append(droppedConnections).append(" connection(s) closed with ")
        .append(droppedBytes).append(" bytes of replies dropped before the client got them");
    }
    return s.toString();
  }
}
