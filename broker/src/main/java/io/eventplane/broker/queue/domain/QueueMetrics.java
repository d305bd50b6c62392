package io.eventplane.broker.queue.domain;

/**
 * Counts what happens to a queue's messages, as CloudWatch's AWS/SQS metrics do
 * (NumberOfMessagesSent, NumberOfMessagesReceived, NumberOfMessagesDeleted) plus the moves to its
 * dead-letter queue. Called on the lane that owns the queue, once the change is committed.
 * {@link #NONE} with {@code --metrics off}: nothing is recorded.
 */
public interface QueueMetrics {
  QueueMetrics NONE = new QueueMetrics() {
    @Override
    public void sent(Queue q, int messages) {}

    @Override
    public void received(Queue q, int messages) {}

    @Override
    public void deleted(Queue q, int messages) {}

    @Override
    public void movedToDeadLetterQueue(Queue q, int messages) {}
  };

  /** Messages added to the queue (a FIFO send deduplicated away adds none). */
  void sent(Queue q, int messages);

  /** Messages handed to a receiver. */
  void received(Queue q, int messages);

  /** Messages a DeleteMessage removed (a stale receipt handle removes none). */
  void deleted(Queue q, int messages);

  /** Messages moved from the queue to its dead-letter queue by its redrive policy. */
  void movedToDeadLetterQueue(Queue q, int messages);

  /** The size in bytes of each message added (CloudWatch's SentMessageSize); after {@link #sent}. */
  default void sentSizes(Queue q, java.util.List<MessageState> added) {}

  /** A ReceiveMessage that answered no message (CloudWatch's NumberOfEmptyReceives). */
  default void emptyReceive(Queue q) {}

  /** Both recorders, in turn. */
  static QueueMetrics both(QueueMetrics first, QueueMetrics second) {
    if (first == NONE) return second;
    if (second == NONE) return first;
    return new QueueMetrics() {
      @Override
      public void sent(Queue q, int messages) {
        first.sent(q, messages);
        second.sent(q, messages);
      }

      @Override
      public void received(Queue q, int messages) {
        first.received(q, messages);
        second.received(q, messages);
      }

      @Override
      public void deleted(Queue q, int messages) {
        first.deleted(q, messages);
        second.deleted(q, messages);
      }

      @Override
      public void movedToDeadLetterQueue(Queue q, int messages) {
        first.movedToDeadLetterQueue(q, messages);
        second.movedToDeadLetterQueue(q, messages);
      }

      @Override
      public void sentSizes(Queue q, java.util.List<MessageState> added) {
        first.sentSizes(q, added);
        second.sentSizes(q, added);
      }

      @Override
      public void emptyReceive(Queue q) {
        first.emptyReceive(q);
        second.emptyReceive(q);
      }
    };
  }
}
