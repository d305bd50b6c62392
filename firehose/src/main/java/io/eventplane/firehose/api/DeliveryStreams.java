package io.eventplane.firehose.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.firehose.delivery.ObjectKeys;
import io.eventplane.firehose.delivery.StreamSources;
import io.eventplane.firehose.domain.FirehoseErrors;
import io.eventplane.firehose.domain.StreamTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The delivery-stream calls but the record puts: Create, Delete, Describe, List, UpdateDestination,
 * Start/StopDeliveryStreamEncryption and the tag calls. A stream's source is DirectPut or a Kinesis
 * stream (KinesisStreamAsSource, read by {@link StreamSources}); its
 * destination S3 or ExtendedS3. Used only on the lane's context.
 */
public final class DeliveryStreams {
  /** Delivery streams per account and region (AWS's default quota). */
  static final int STREAMS_PER_REGION = 5000;
  private static final List<String> TYPES = List.of("DirectPut", "KinesisStreamAsSource", "MSKAsSource", "DatabaseAsSource");
  private static final List<String> KEY_TYPES = List.of("AWS_OWNED_CMK", "CUSTOMER_MANAGED_CMK");
  private static final Pattern KEY_ARN = Pattern.compile("arn:.*:kms:[a-zA-Z0-9\\-]+:\\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Pattern VERSION_ID = Pattern.compile("[0-9]+");
  private static final Pattern DESTINATION_ID = Pattern.compile("[a-zA-Z0-9-]+");
  private static final Pattern TAG_KEY = Pattern.compile("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$");
  private static final Pattern KINESIS_STREAM_ARN = Pattern.compile("arn:.*:kinesis:[a-zA-Z0-9\\-]+:\\d{12}:stream/[a-zA-Z0-9_.-]+");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Pattern TAG_VALUE = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$");
  /** Destination members of other kinds than S3: not delivered by this server. */
  private static final List<String> OTHER_DESTINATIONS = List.of("RedshiftDestinationConfiguration",
      "ElasticsearchDestinationConfiguration", "AmazonopensearchserviceDestinationConfiguration", "SplunkDestinationConfiguration",
      "AmazonOpenSearchServerlessDestinationConfiguration",
      "SnowflakeDestinationConfiguration", "IcebergDestinationConfiguration");

  private final Vertx vertx;
  private final Context context;
  private final StreamTable table;
  private final Clock clock;

  public DeliveryStreams(Vertx vertx, Context context, StreamTable table, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.table = table;
    this.clock = clock;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateDeliveryStream" -> create(request);
      case "DeleteDeliveryStream" -> delete(request);
      case "DescribeDeliveryStream" -> describe(request);
      case "ListDeliveryStreams" -> list(request);
      case "UpdateDestination" -> updateDestination(request);
      case "StartDeliveryStreamEncryption" -> encryption(request, true);
      case "StopDeliveryStreamEncryption" -> encryption(request, false);
      case "TagDeliveryStream" -> tag(request);
      case "UntagDeliveryStream" -> untag(request);
      case "ListTagsForDeliveryStream" -> listTags(request);
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    String type = v.string(in, "DeliveryStreamType", "deliveryStreamType");
    v.oneOf(type, "deliveryStreamType", TYPES);
    JsonObject s3 = v.object(in, "S3DestinationConfiguration", "s3DestinationConfiguration");
    JsonObject extended = v.object(in, "ExtendedS3DestinationConfiguration", "extendedS3DestinationConfiguration");
    Destinations.check(v, s3, "s3DestinationConfiguration", false, false);
    Destinations.check(v, extended, "extendedS3DestinationConfiguration", false, true);
    JsonObject http = v.object(in, "HttpEndpointDestinationConfiguration", "httpEndpointDestinationConfiguration");
    HttpEndpoints.check(v, http, "httpEndpointDestinationConfiguration", false);
    JsonObject encryption = v.object(in, "DeliveryStreamEncryptionConfigurationInput", "deliveryStreamEncryptionConfigurationInput");
    checkEncryption(v, encryption, "deliveryStreamEncryptionConfigurationInput");
    JsonObject kinesis = v.object(in, "KinesisStreamSourceConfiguration", "kinesisStreamSourceConfiguration");
    if (kinesis != null) {
      v.requiredString(kinesis, "KinesisStreamARN", "kinesisStreamSourceConfiguration.kinesisStreamARN", 1, 512, KINESIS_STREAM_ARN);
      v.requiredString(kinesis, "RoleARN", "kinesisStreamSourceConfiguration.roleARN", 1, 512, ROLE_ARN);
    }
    JsonArray tags = v.array(in, "Tags", "tags");
    v.size(tags, "tags", 1, 50);
    checkTags(v, tags, "tags");
    v.check();
    String kind = type == null ? "DirectPut" : type;
    if (!kind.equals("DirectPut") && !kind.equals(StreamSources.TYPE)) {
      // DirectPut and Kinesis streams are read by this server; a stream that would never read its source is refused.
      throw FirehoseErrors.invalidArgument("DeliveryStreamType " + type + " is not supported: only DirectPut and"
          + " KinesisStreamAsSource delivery streams can be created on this server.");
    }
    if (kind.equals(StreamSources.TYPE) && kinesis == null) {
      throw FirehoseErrors.invalidArgument("KinesisSourceStreamConfig is required for KinesisStreamAsSource delivery stream type.");
    }
    if (!kind.equals(StreamSources.TYPE) && kinesis != null) {
      throw FirehoseErrors.invalidArgument("KinesisSourceStreamConfig is only allowed for KinesisStreamAsSource delivery stream type.");
    }
    for (String other : OTHER_DESTINATIONS) {
      if (in.getValue(other) != null) {
        throw FirehoseErrors.invalidArgument(other + " is not supported: only S3, ExtendedS3 and HttpEndpoint destinations can"
            + " be created on this server.");
      }
    }
    if ((s3 != null ? 1 : 0) + (extended != null ? 1 : 0) + (http != null ? 1 : 0) != 1) {
      throw FirehoseErrors.invalidArgument("Exactly one destination configuration must be provided.");
    }
    if (encryption != null && "CUSTOMER_MANAGED_CMK".equals(encryption.getString("KeyType")) && encryption.getString("KeyARN") == null) {
      throw FirehoseErrors.invalidArgument("KeyARN must be provided when KeyType is CUSTOMER_MANAGED_CMK.");
    }
    checkPrefixes(s3 != null ? s3 : extended != null ? extended : http.getJsonObject("S3Configuration"));
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = FirehosePartitions.of(account, region);
    Future<Void> sourceExists = kinesis == null ? Future.succeededFuture() : sourceExists(kinesis.getString("KinesisStreamARN"));
    return sourceExists.compose(x -> table.serially(partition, () -> {
      if (table.get(partition, account, region, name) != null) return Future.failedFuture(FirehoseErrors.exists(name, account));
      if (table.all(partition).stream().filter(e -> isOf(e.stream(), account, region)).count() >= STREAMS_PER_REGION) {
        return Future.failedFuture(FirehoseErrors.limitExceeded("You have already consumed your firehose quota of "
            + STREAMS_PER_REGION + " hoses. Firehose names: " + name));
      }
      long now = clock.millis();
      String arn = "arn:aws:firehose:" + region + ":" + account + ":deliverystream/" + name;
      JsonObject stream = new JsonObject().put("Account", account).put("Region", region).put("Name", name).put("ARN", arn)
          .put("Type", kind).put("Version", 1).put("Created", now)
          .put("Destination", http != null ? HttpEndpoints.create(http) : Destinations.create(s3 != null ? s3 : extended))
          .put("Tags", tags == null ? new JsonArray() : mergeTags(new JsonArray(), tags)).put("Cursor", 0L);
      if (encryption != null) stream.put("Encryption", enabled(encryption));
      if (kinesis != null) {
        // Reading starts at the stream's LATEST position as of now (StreamSources reads AT_TIMESTAMP of it).
        stream.put("Source", new JsonObject().put("KinesisStreamARN", kinesis.getString("KinesisStreamARN"))
            .put("RoleARN", kinesis.getString("RoleARN")).put("DeliveryStartTimestamp", now));
      }
      return table.writeInTurn(partition, stream).map(y -> new JsonObject().put("DeliveryStreamARN", arn));
    }));
  }

  /** InvalidArgumentException unless the source stream exists (asked of Kinesis as any client would). */
  private Future<Void> sourceExists(String streamArn) {
    return StreamSources.kinesis(vertx, context, streamArn, "DescribeStreamSummary", new JsonObject().put("StreamARN", streamArn))
        .<Void>mapEmpty().recover(x -> {
          if (x instanceof ServiceException se && "ResourceNotFoundException".equals(se.error().code())) {
            return Future.failedFuture(FirehoseErrors.invalidArgument(se.error().message()));
          }
          return Future.failedFuture(x);
        });
  }

  private Future<JsonObject> delete(ApiRequest request) {
    Validation v = new Validation();
    String name = v.streamName(request.input());
    v.check();
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = FirehosePartitions.of(account, region);
    find(request, name);
    return table.delete(partition, account, region, name).map(x -> new JsonObject());
  }

  private Future<JsonObject> describe(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    v.range(v.integer(in, "Limit", "limit"), "limit", 1, 10000);
    String start = v.string(in, "ExclusiveStartDestinationId", "exclusiveStartDestinationId");
    v.length(start, "exclusiveStartDestinationId", 1, 100);
    v.check();
    JsonObject s = find(request, name).stream();
    JsonObject d = new JsonObject().put("DeliveryStreamName", name).put("DeliveryStreamARN", s.getString("ARN"))
        .put("DeliveryStreamStatus", "ACTIVE")
        .put("DeliveryStreamEncryptionConfiguration", s.getJsonObject("Encryption", new JsonObject().put("Status", "DISABLED")))
        .put("DeliveryStreamType", s.getString("Type")).put("VersionId", String.valueOf(s.getInteger("Version")))
        .put("CreateTimestamp", seconds(s.getLong("Created")));
    if (s.getLong("Updated") != null) d.put("LastUpdateTimestamp", seconds(s.getLong("Updated")));
    JsonObject source = s.getJsonObject("Source");
    if (source != null) {
      d.put("Source", new JsonObject().put("KinesisStreamSourceDescription", new JsonObject()
          .put("KinesisStreamARN", source.getString("KinesisStreamARN")).put("RoleARN", source.getString("RoleARN"))
          .put("DeliveryStartTimestamp", seconds(source.getLong("DeliveryStartTimestamp")))));
    }
    // The only destination; one after it (ExclusiveStartDestinationId naming it) is none.
    JsonObject destination = s.getJsonObject("Destination");
    d.put("Destinations", Destinations.DESTINATION_ID.equals(start) ? new JsonArray()
        : HttpEndpoints.is(destination) ? HttpEndpoints.describe(destination) : Destinations.describe(destination));
    d.put("HasMoreDestinations", false);
    return Future.succeededFuture(new JsonObject().put("DeliveryStreamDescription", d));
  }

  private Future<JsonObject> list(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    Integer limit = v.integer(in, "Limit", "limit");
    v.range(limit, "limit", 1, 10000);
    String type = v.string(in, "DeliveryStreamType", "deliveryStreamType");
    v.oneOf(type, "deliveryStreamType", TYPES);
    String start = v.string(in, "ExclusiveStartDeliveryStreamName", "exclusiveStartDeliveryStreamName");
    v.length(start, "exclusiveStartDeliveryStreamName", 1, 64);
    v.pattern(start, "exclusiveStartDeliveryStreamName", Validation.STREAM_NAME);
    v.check();
    String account = request.context().accountId();
    String region = request.context().region();
    int max = limit == null ? 10 : limit;
    List<String> names = table.all(FirehosePartitions.of(account, region)).stream().map(StreamTable.Entry::stream)
        .filter(s -> isOf(s, account, region)).filter(s -> type == null || type.equals(s.getString("Type")))
        .map(s -> s.getString("Name")).filter(n -> start == null || n.compareTo(start) > 0).sorted().toList();
    JsonArray page = new JsonArray();
    names.stream().limit(max).forEach(page::add);
    return Future.succeededFuture(new JsonObject().put("DeliveryStreamNames", page).put("HasMoreDeliveryStreams", names.size() > max));
  }

  private Future<JsonObject> updateDestination(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    String version = v.requiredString(in, "CurrentDeliveryStreamVersionId", "currentDeliveryStreamVersionId", 1, 50, VERSION_ID);
    String destination = v.requiredString(in, "DestinationId", "destinationId", 1, 100, DESTINATION_ID);
    JsonObject s3 = v.object(in, "S3DestinationUpdate", "s3DestinationUpdate");
    JsonObject extended = v.object(in, "ExtendedS3DestinationUpdate", "extendedS3DestinationUpdate");
    Destinations.check(v, s3, "s3DestinationUpdate", true, false);
    Destinations.check(v, extended, "extendedS3DestinationUpdate", true, true);
    JsonObject http = v.object(in, "HttpEndpointDestinationUpdate", "httpEndpointDestinationUpdate");
    HttpEndpoints.check(v, http, "httpEndpointDestinationUpdate", true);
    v.check();
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = FirehosePartitions.of(account, region);
    JsonObject update = s3 != null ? s3 : extended != null ? extended : http;
    return table.serially(partition, () -> {
      JsonObject stream = find(request, name).stream();
      String current = String.valueOf(stream.getInteger("Version"));
      if (!current.equals(version)) {
        return Future.failedFuture(FirehoseErrors.concurrentModification("Cannot update firehose: " + name
            + " since the current version id: " + current + " and the specified version id: " + version + " do not match"));
      }
      if (!Destinations.DESTINATION_ID.equals(destination)) {
        return Future.failedFuture(FirehoseErrors.invalidArgument("Destination Id " + destination + " not found for firehose "
            + name + "."));
      }
      if ((s3 != null ? 1 : 0) + (extended != null ? 1 : 0) + (http != null ? 1 : 0) > 1) {
        return Future.failedFuture(FirehoseErrors.invalidArgument("Exactly one destination update must be provided."));
      }
      JsonObject stored = stream.getJsonObject("Destination");
      if (update != null && HttpEndpoints.is(stored) != (http != null)) {
        // A change of destination type (S3 <-> HTTP endpoint) is not taken by this server.
        return Future.failedFuture(FirehoseErrors.invalidArgument("Changing the destination type of firehose " + name
            + " is not supported on this server: give an update of its current destination type."));
      }
      JsonObject changed = stream.copy().put("Version", stream.getInteger("Version") + 1).put("Updated", clock.millis());
      if (update != null) {
        JsonObject destinationNow = http != null ? HttpEndpoints.update(stored, http) : Destinations.update(stored, update);
        checkPrefixes(http != null ? destinationNow.getJsonObject("S3DestinationDescription") : destinationNow);
        changed.put("Destination", destinationNow);
      }
      return table.writeInTurn(partition, changed).map(x -> new JsonObject());
    });
  }

  private Future<JsonObject> encryption(ApiRequest request, boolean start) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    JsonObject config = start ? v.object(in, "DeliveryStreamEncryptionConfigurationInput", "deliveryStreamEncryptionConfigurationInput")
        : null;
    checkEncryption(v, config, "deliveryStreamEncryptionConfigurationInput");
    v.check();
    if (config != null && "CUSTOMER_MANAGED_CMK".equals(config.getString("KeyType")) && config.getString("KeyARN") == null) {
      throw FirehoseErrors.invalidArgument("KeyARN must be provided when KeyType is CUSTOMER_MANAGED_CMK.");
    }
    find(request, name);
    JsonObject state = start ? enabled(config == null ? new JsonObject().put("KeyType", "AWS_OWNED_CMK") : config)
        : new JsonObject().put("Status", "DISABLED");
    return table.change(FirehosePartitions.of(request), request.context().accountId(), request.context().region(), name,
        s -> s.put("Encryption", state), null).map(x -> new JsonObject());
  }

  private Future<JsonObject> tag(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    JsonArray tags = v.requiredList(in, "Tags", "tags", 1, 50);
    checkTags(v, tags, "tags");
    v.check();
    JsonObject stream = find(request, name).stream();
    JsonArray merged = mergeTags(stream.getJsonArray("Tags", new JsonArray()), tags);
    if (merged.size() > 50) {
      throw FirehoseErrors.limitExceeded("Tag limit exceeded: a delivery stream can have at most 50 tags.");
    }
    return table.change(FirehosePartitions.of(request), request.context().accountId(), request.context().region(), name,
        s -> s.put("Tags", mergeTags(s.getJsonArray("Tags", new JsonArray()), tags)), null).map(x -> new JsonObject());
  }

  private Future<JsonObject> untag(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    JsonArray keys = v.requiredList(in, "TagKeys", "tagKeys", 1, 50);
    v.check();
    find(request, name);
    return table.change(FirehosePartitions.of(request), request.context().accountId(), request.context().region(), name, s -> {
      JsonArray kept = new JsonArray();
      for (Object t : s.getJsonArray("Tags", new JsonArray())) {
        if (!keys.contains(((JsonObject) t).getString("Key"))) kept.add(t);
      }
      s.put("Tags", kept);
    }, null).map(x -> new JsonObject());
  }

  private Future<JsonObject> listTags(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    Integer limit = v.integer(in, "Limit", "limit");
    v.range(limit, "limit", 1, 50);
    String start = v.string(in, "ExclusiveStartTagKey", "exclusiveStartTagKey");
    v.length(start, "exclusiveStartTagKey", 1, 128);
    v.check();
    JsonArray tags = find(request, name).stream().getJsonArray("Tags", new JsonArray());
    int max = limit == null ? 50 : limit;
    JsonArray page = new JsonArray();
    boolean more = false;
    for (Object o : tags) {
      JsonObject t = (JsonObject) o;
      if (start != null && t.getString("Key").compareTo(start) <= 0) continue;
      if (page.size() == max) {
        more = true;
        break;
      }
      page.add(t.copy());
    }
    return Future.succeededFuture(new JsonObject().put("Tags", page).put("HasMoreTags", more));
  }

  /** The prefixes and time zone of a destination, as Firehose checks them when a stream is created or updated. */
  private static void checkPrefixes(JsonObject destination) {
    String problem = ObjectKeys.problem(destination.getString("Prefix"), destination.getString("ErrorOutputPrefix"),
        destination.getString("CustomTimeZone"));
    if (problem != null) throw FirehoseErrors.invalidArgument(problem);
  }

  private StreamTable.Entry find(ApiRequest request, String name) {
    String account = request.context().accountId();
    StreamTable.Entry e = table.get(FirehosePartitions.of(request), account, request.context().region(), name);
    if (e == null) throw FirehoseErrors.notFound(name, account);
    return e;
  }

  private static boolean isOf(JsonObject stream, String account, String region) {
    return stream.getString("Account").equals(account) && stream.getString("Region").equals(region);
  }

  private static void checkEncryption(Validation v, JsonObject config, String path) {
    if (config == null) return;
    String keyType = v.string(config, "KeyType", path + ".keyType");
    v.required(keyType, path + ".keyType");
    v.oneOf(keyType, path + ".keyType", KEY_TYPES);
    String arn = v.string(config, "KeyARN", path + ".keyARN");
    v.length(arn, path + ".keyARN", 1, 512);
    v.pattern(arn, path + ".keyARN", KEY_ARN);
  }

  private static JsonObject enabled(JsonObject config) {
    JsonObject e = new JsonObject();
    if (config.getString("KeyARN") != null) e.put("KeyARN", config.getString("KeyARN"));
    return e.put("KeyType", config.getString("KeyType")).put("Status", "ENABLED");
  }

  private static void checkTags(Validation v, JsonArray tags, String path) {
    if (tags == null) return;
    for (int i = 0; i < tags.size(); i++) {
      String at = path + "." + (i + 1) + ".member";
      JsonObject t = tags.getValue(i) instanceof JsonObject o ? o : new JsonObject();
      String key = v.string(t, "Key", at + ".key");
      v.required(key, at + ".key");
      v.length(key, at + ".key", 1, 128);
      v.pattern(key, at + ".key", TAG_KEY);
      String value = v.string(t, "Value", at + ".value");
      v.length(value, at + ".value", 0, 256);
      v.pattern(value, at + ".value", TAG_VALUE);
    }
  }

  /** {@code tags} added to {@code existing}, a key given again replacing its value; in key order. */
  private static JsonArray mergeTags(JsonArray existing, JsonArray tags) {
    java.util.TreeMap<String, JsonObject> byKey = new java.util.TreeMap<>();
    for (Object o : existing) byKey.put(((JsonObject) o).getString("Key"), (JsonObject) o);
    for (Object o : tags) {
      JsonObject t = (JsonObject) o;
      JsonObject tag = new JsonObject().put("Key", t.getString("Key"));
      if (t.getString("Value") != null) tag.put("Value", t.getString("Value"));
      byKey.put(t.getString("Key"), tag);
    }
    return new JsonArray(new java.util.ArrayList<>(byKey.values()));
  }

  /** Epoch seconds with millisecond precision, as AWS JSON 1.1 writes timestamps. */
  static double seconds(long millis) {
    return millis / 1000.0;
  }
}
