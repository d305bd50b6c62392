package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;

/**
 * A Kinesis-triggered handler that notes when it ran on which records, for measuring stream ->
 * function delivery: per invocation one line {@code <startMicros> <endMicros> <records> <id>,<id>,...},
 * the wall-clock times (epoch microseconds) at which it began and finished the batch, and each
 * record's first 8 data bytes as a big-endian number (-1 for a shorter record). The line goes to a
 * file of this instance in the directory {@code DELIVERY_LOG_DIR} names (one write, no fsync), or,
 * without that variable, to the function's log.
 */
public class DeliveryLog implements RequestHandler<KinesisEvent, Void> {
  private static FileChannel file;

  @Override
  public Void handleRequest(KinesisEvent event, Context context) {
    long start = micros();
    StringBuilder ids = new StringBuilder();
    for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
      ByteBuffer data = r.getKinesis().getData();
      if (ids.length() > 0) ids.append(',');
      ids.append(data.remaining() >= 8 ? data.getLong(data.position()) : -1);
    }
    String line = start + " " + micros() + " " + event.getRecords().size() + " " + ids + "\n";
    String dir = System.getenv("DELIVERY_LOG_DIR");
    if (dir == null || dir.isEmpty()) {
      context.getLogger().log(line);
      return null;
    }
    try {
      if (file == null) {
        file = FileChannel.open(Path.of(dir, UUID.randomUUID() + ".log"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) file.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
