package io.eventplane.firehose.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A delivery stream's S3 destination: the configuration a CreateDeliveryStream or UpdateDestination
 * gives, checked against the model, and the description DescribeDeliveryStream answers with AWS's
 * defaults filled in (BufferingHints 5 MB / 300 s, UNCOMPRESSED, NoEncryption, CloudWatch logging
 * off, S3BackupMode Disabled). A stream is kept as its ExtendedS3 description (a plain S3
 * configuration is an ExtendedS3 one without the extended members, as AWS treats it) and described
 * under both ExtendedS3DestinationDescription and S3DestinationDescription, as AWS answers.
 */
final class Destinations {
  static final String DESTINATION_ID = "destinationId-000000000001";
  static final List<String> COMPRESSION = List.of("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY");
  private static final Pattern ROLE = Pattern.compile("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Pattern BUCKET = Pattern.compile("arn:.*:s3:::[\\w\\.\\-]{1,255}");
  private static final Pattern FILE_EXTENSION = Pattern.compile("^$|\\.[0-9a-z!\\-_.*'()]+");
  private static final Pattern TIME_ZONE = Pattern.compile("^$|[a-zA-Z/_]+");
  private static final List<String> BACKUP_MODES = List.of("Disabled", "Enabled");
  private static final List<String> PROCESSOR_TYPES = List.of("RecordDeAggregation", "Decompression", "CloudWatchLogProcessing",
      "Lambda", "MetadataExtraction", "AppendDelimiterToRecord");
  private static final List<String> PARAMETER_NAMES = List.of("LambdaArn", "NumberOfRetries", "MetadataExtractionQuery",
      "JsonParsingEngine", "RoleArn", "BufferSizeInMBs", "BufferIntervalInSeconds", "SubRecordType", "Delimiter",
      "CompressionFormat", "DataMessageExtraction");
  /** The S3 members an ExtendedS3 configuration shares with a plain S3 one. */
  private static final List<String> S3_MEMBERS = List.of("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix", "BufferingHints",
      "CompressionFormat", "EncryptionConfiguration", "CloudWatchLoggingOptions");

  private Destinations() {}

  /**
   * Checks a configuration (or, with {@code update}, an update: nothing required) at {@code path}
   * ({@code extendedS3DestinationConfiguration}, ...), adding what breaks the model to {@code v}.
   */
  static void check(Validation v, JsonObject c, String path, boolean update, boolean extended) {
    if (c == null) return;
    String role = v.string(c, "RoleARN", path + ".roleARN");
    String bucket = v.string(c, "BucketARN", path + ".bucketARN");
    if (!update) {
      v.required(role, path + ".roleARN");
      v.required(bucket, path + ".bucketARN");
    }
    v.length(role, path + ".roleARN", 1, 512);
    v.pattern(role, path + ".roleARN", ROLE);
    v.length(bucket, path + ".bucketARN", 1, 2048);
    v.pattern(bucket, path + ".bucketARN", BUCKET);
    v.length(v.string(c, "Prefix", path + ".prefix"), path + ".prefix", 0, 1024);
    v.length(v.string(c, "ErrorOutputPrefix", path + ".errorOutputPrefix"), path + ".errorOutputPrefix", 0, 1024);
    JsonObject hints = v.object(c, "BufferingHints", path + ".bufferingHints");
    v.range(v.integer(hints, "SizeInMBs", path + ".bufferingHints.sizeInMBs"), path + ".bufferingHints.sizeInMBs", 1, 128);
    v.range(v.integer(hints, "IntervalInSeconds", path + ".bufferingHints.intervalInSeconds"),
        path + ".bufferingHints.intervalInSeconds", 0, 900);
    v.oneOf(v.string(c, "CompressionFormat", path + ".compressionFormat"), path + ".compressionFormat", COMPRESSION);
    v.object(c, "EncryptionConfiguration", path + ".encryptionConfiguration");
    v.object(c, "CloudWatchLoggingOptions", path + ".cloudWatchLoggingOptions");
    if (!extended) return;
    String extension = v.string(c, "FileExtension", path + ".fileExtension");
    v.length(extension, path + ".fileExtension", 0, 128);
    if (extension != null && !FILE_EXTENSION.matcher(extension).matches()) {
      v.pattern(extension, path + ".fileExtension", FILE_EXTENSION);
    }
    String zone = v.string(c, "CustomTimeZone", path + ".customTimeZone");
    v.length(zone, path + ".customTimeZone", 0, 50);
    if (zone != null && !TIME_ZONE.matcher(zone).matches()) v.pattern(zone, path + ".customTimeZone", TIME_ZONE);
    v.oneOf(v.string(c, "S3BackupMode", path + ".s3BackupMode"), path + ".s3BackupMode", BACKUP_MODES);
    String backupMember = update ? "S3BackupUpdate" : "S3BackupConfiguration";
    check(v, v.object(c, backupMember, path + "." + lower(backupMember)), path + "." + lower(backupMember), update, false);
    checkProcessing(v, c, path);
  }

  /** Checks the ProcessingConfiguration of the destination configuration {@code c} at {@code path}. */
  static void checkProcessing(Validation v, JsonObject c, String path) {
    JsonObject processing = v.object(c, "ProcessingConfiguration", path + ".processingConfiguration");
    JsonArray processors = v.array(processing, "Processors", path + ".processingConfiguration.processors");
    if (processors == null) return;
    for (int i = 0; i < processors.size(); i++) {
      String at = path + ".processingConfiguration.processors." + (i + 1) + ".member";
      JsonObject p = processors.getValue(i) instanceof JsonObject o ? o : null;
      if (p == null) {
        v.required(null, at);
        continue;
      }
      String type = v.string(p, "Type", at + ".type");
      v.required(type, at + ".type");
      v.oneOf(type, at + ".type", PROCESSOR_TYPES);
      JsonArray parameters = v.array(p, "Parameters", at + ".parameters");
      if (parameters == null) continue;
      for (int j = 0; j < parameters.size(); j++) {
        String pat = at + ".parameters." + (j + 1) + ".member";
        String[] parameter = v.nameAndValue(parameters, j, "ParameterName", "ParameterValue", pat);
        v.oneOf(parameter[0], pat + ".parameterName", PARAMETER_NAMES);
        v.length(parameter[1], pat + ".parameterValue", 1, 5120);
      }
    }
  }

  /** The stored destination of a new stream: the configuration with AWS's defaults. */
  static JsonObject create(JsonObject c) {
    JsonObject d = new JsonObject();
    copy(c, d, S3_MEMBERS);
    for (String m : List.of("ProcessingConfiguration", "S3BackupMode", "DataFormatConversionConfiguration",
        "DynamicPartitioningConfiguration", "FileExtension", "CustomTimeZone")) {
      if (c.containsKey(m)) d.put(m, c.getValue(m));
    }
    if (c.getJsonObject("S3BackupConfiguration") != null) d.put("S3BackupDescription", withDefaults(c.getJsonObject("S3BackupConfiguration").copy()));
    withDefaults(d);
    if (!d.containsKey("S3BackupMode")) d.put("S3BackupMode", "Disabled");
    return d;
  }

  /** The destination after an UpdateDestination: the given members replace the stored ones. */
  static JsonObject update(JsonObject stored, JsonObject u) {
    JsonObject d = stored.copy();
    for (String m : u.fieldNames()) {
      if (m.equals("S3BackupUpdate")) {
        JsonObject backup = d.getJsonObject("S3BackupDescription", new JsonObject()).copy();
        backup.mergeIn(u.getJsonObject("S3BackupUpdate"));
        d.put("S3BackupDescription", withDefaults(backup));
      } else if (m.equals("BufferingHints")) {
        d.put(m, d.getJsonObject(m).copy().mergeIn(u.getJsonObject(m)));
      } else {
        d.put(m, u.getValue(m));
      }
    }
    return withDefaults(d);
  }

  /** The Destinations member of DescribeDeliveryStream. */
  static JsonArray describe(JsonObject stored) {
    JsonObject s3 = new JsonObject();
    copy(stored, s3, S3_MEMBERS);
    return new JsonArray().add(new JsonObject().put("DestinationId", DESTINATION_ID)
        .put("S3DestinationDescription", s3).put("ExtendedS3DestinationDescription", stored.copy()));
  }

  private static JsonObject withDefaults(JsonObject d) {
    JsonObject hints = d.getJsonObject("BufferingHints", new JsonObject()).copy();
    if (!hints.containsKey("SizeInMBs")) hints.put("SizeInMBs", 5);
    if (!hints.containsKey("IntervalInSeconds")) hints.put("IntervalInSeconds", 300);
    d.put("BufferingHints", hints);
    if (!d.containsKey("CompressionFormat")) d.put("CompressionFormat", "UNCOMPRESSED");
    if (!d.containsKey("EncryptionConfiguration")) d.put("EncryptionConfiguration", new JsonObject().put("NoEncryptionConfig", "NoEncryption"));
    if (!d.containsKey("CloudWatchLoggingOptions")) d.put("CloudWatchLoggingOptions", new JsonObject().put("Enabled", false));
    return d;
  }

  private static void copy(JsonObject from, JsonObject to, List<String> members) {
    for (String m : members) if (from.containsKey(m)) to.put(m, from.getValue(m));
  }

  private static String lower(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }
}
