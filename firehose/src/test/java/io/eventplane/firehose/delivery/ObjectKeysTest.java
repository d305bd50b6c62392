package io.eventplane.firehose.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Object keys as the developer guide's "Configure Amazon S3 object name format" and "Custom prefixes" describe them. */
class ObjectKeysTest {
  private static final long AT = Instant.parse("2026-03-04T05:06:07.890Z").toEpochMilli();
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @Test
  void theDefaultLayoutIsTheHourPathThenStreamVersionTimeAndUuid() {
    JsonObject d = new JsonObject().put("CompressionFormat", "UNCOMPRESSED");
    assertThat(ObjectKeys.prefix(d, AT) + ObjectKeys.suffix("s", 3, d, AT)).matches("2026/03/04/05/s-3-2026-03-04-05-06-07-" + UUID);
    assertThat(ObjectKeys.prefix(d.copy().put("Prefix", "raw/"), AT)).isEqualTo("raw/2026/03/04/05/");
  }

  @Test
  void expressionsReplaceTheDefaultPath() {
    JsonObject d = new JsonObject().put("Prefix", "y=!{timestamp:yyyy}/m=!{timestamp:MM}/!{firehose:random-string}/")
        .put("ErrorOutputPrefix", "err/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/");
    assertThat(ObjectKeys.prefix(d, AT)).matches("y=2026/m=03/[A-Za-z0-9]{11}/");
    assertThat(ObjectKeys.errorPrefix(d, AT, "processing-failed")).isEqualTo("err/processing-failed/2026/03/04/");
    assertThat(ObjectKeys.errorPrefix(new JsonObject().put("Prefix", "raw/"), AT, "processing-failed"))
        .isEqualTo("raw/processing-failed/2026/03/04/05/");
  }

  @Test
  void theTimeZoneMovesPrefixAndSuffix() {
    JsonObject d = new JsonObject().put("CustomTimeZone", "Asia/Tokyo").put("CompressionFormat", "GZIP");
    assertThat(ObjectKeys.prefix(d, AT)).isEqualTo("2026/03/04/14/");
    assertThat(ObjectKeys.suffix("s", 1, d, AT)).startsWith("s-1-2026-03-04-14-06-07-").endsWith(".gz");
  }

  @Test
  void extensionsFollowTheCompressionUnlessSet() {
    assertThat(ObjectKeys.extension(new JsonObject().put("CompressionFormat", "ZIP"))).isEqualTo(".zip");
    assertThat(ObjectKeys.extension(new JsonObject().put("CompressionFormat", "Snappy"))).isEqualTo(".snappy");
    assertThat(ObjectKeys.extension(new JsonObject().put("CompressionFormat", "HADOOP_SNAPPY"))).isEqualTo(".snappy");
    assertThat(ObjectKeys.extension(new JsonObject().put("CompressionFormat", "UNCOMPRESSED"))).isEmpty();
    assertThat(ObjectKeys.extension(new JsonObject().put("CompressionFormat", "GZIP").put("FileExtension", ".json.gz")))
        .isEqualTo(".json.gz");
  }

  @Test
  void prefixesAreCheckedAsCreateChecksThem() {
    assertThat(ObjectKeys.problem("a/", null, null)).isNull();
    assertThat(ObjectKeys.problem("a/!{timestamp:yyyy}/", "e/!{firehose:error-output-type}/", null)).isNull();
    assertThat(ObjectKeys.problem("a/!{timestamp:yyyy}/", null, null)).isNotNull();
    assertThat(ObjectKeys.problem("a/!{firehose:error-output-type}/", "e/!{firehose:error-output-type}/", null)).isNotNull();
    assertThat(ObjectKeys.problem("a/!{nope:x}/", "e/!{firehose:error-output-type}/", null)).isNotNull();
    assertThat(ObjectKeys.problem("a/", null, "Not/AZone")).isNotNull();
  }
}
