package dev.backspin.config;

/** How a reverse worker's replies get back to the sockets of fronts on its own node. */
public enum WriteBack {
  /** Each connection's replies of a drain go to its socket's writeHandlerID: one message per connection. */
  SOCKET,
  /** One message per front per drain, holding all its connections' replies; the front writes its sockets. */
  FRONT
}
