package dev.backspin.framing;

/** A framer that holds an incomplete frame's bytes between reads, in an {@link Accumulator}. */
abstract class AccumulatingFramer implements Framer {

  protected final Accumulator acc = new Accumulator();

  @Override
  public int pendingCapacity() {
    return acc.capacity();
  }

  @Override
  public void discardPending() {
    acc.clear();
  }
}
