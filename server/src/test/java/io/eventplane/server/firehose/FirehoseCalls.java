package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Calls the Firehose delivery tests share: a batch put that must be taken whole, a bucket's objects. */
final class FirehoseCalls {
  private FirehoseCalls() {}

  static void put(EmbeddedServer server, String name, String... records) {
    List<Record> batch = new ArrayList<>();
    for (String r : records) batch.add(Record.builder().data(SdkBytes.fromUtf8String(r)).build());
    assertThat(server.firehose().putRecordBatch(b -> b.deliveryStreamName(name).records(batch)).failedPutCount()).isZero();
  }

  static List<S3Object> objects(EmbeddedServer server, String bucket) {
    return server.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
  }
}
