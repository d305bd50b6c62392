package io.eventplane.gateway.apigateway.template;

import java.io.IOException;
import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.directive.Foreach;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * Velocity's {@code #foreach}, registered in its place, that checks the render's time budget before each
 * iteration: the 1,000-iteration cap bounds one loop, but three nested loops are 10^9 iterations
 * (a minute of CPU here), and a render must end.
 */
public final class BudgetedForeach extends Foreach {
  private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

  @Override
  protected void renderBlock(InternalContextAdapter context, Writer writer, Node node) throws IOException {
    Long deadline = DEADLINE.get();
    if (deadline != null && System.nanoTime() - deadline > 0) {
      throw new TemplateException("mapping template ran past its time budget");
    }
    super.renderBlock(context, writer, node);
  }

  /** Runs a render on this thread with a deadline (System.nanoTime) for its loops. */
  static void withDeadline(long deadlineNanos, Runnable render) {
    Long outer = DEADLINE.get();
    DEADLINE.set(deadlineNanos);
    try {
      render.run();
    } finally {
      if (outer == null) DEADLINE.remove();
      else DEADLINE.set(outer);
    }
  }
}
