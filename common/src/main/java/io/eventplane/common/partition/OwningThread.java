package io.eventplane.common.partition;

/**
 * The thread a lane's state belongs to: the one that made the state (the lane's context). State
 * that is checked with {@code assert owner.check()} at its entry points fails under {@code -ea}
 * (on in tests) as soon as another thread touches it, instead of racing silently.
 */
public final class OwningThread {
  private final String what;
  private final Thread owner;

  /** Made on the owning thread. @param what names the state in the failure ("function state") */
  public OwningThread(String what) {
    this.what = what;
    this.owner = Thread.currentThread();
  }

  /** For {@code assert}: true on the owning thread, else an AssertionError that names both threads. */
  public boolean check() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError(what + " of " + owner.getName() + " touched from " + current.getName());
    return true;
  }
}
