package io.eventplane.firehose.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A delivery stream's HTTP endpoint destination: the HttpEndpointDestinationConfiguration a
 * CreateDeliveryStream gives (or the HttpEndpointDestinationUpdate of an UpdateDestination), checked
 * against the model, and the HttpEndpointDestinationDescription DescribeDeliveryStream answers with
 * AWS's defaults filled in (BufferingHints 5 MB / 300 s, RetryOptions 300 s, S3BackupMode
 * FailedDataOnly, ContentEncoding NONE, CloudWatch logging off). It is stored as that description
 * plus {@code Kind: HttpEndpoint} and the AccessKey, which the description never shows (AWS omits
 * it). The model's Url pattern is {@code https://.*}; this server also takes {@code http://} so
 * that local endpoints work.
 */
final class HttpEndpoints {
  static final String KIND = "HttpEndpoint";
  private static final Pattern URL = Pattern.compile("https://.*");
  private static final Pattern LOCAL_URL = Pattern.compile("http://.*");
  private static final Pattern NOT_BLANK = Pattern.compile("^(?!\\s*$).+");
  private static final Pattern ROLE = Pattern.compile("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final List<String> BACKUP_MODES = List.of("FailedDataOnly", "AllData");
  private static final List<String> ENCODINGS = List.of("NONE", "GZIP");

  private HttpEndpoints() {}

  /** Checks a configuration (or, with {@code update}, an update: nothing required) at {@code path}. */
  static void check(Validation v, JsonObject c, String path, boolean update) {
    if (c == null) return;
    JsonObject endpoint = v.object(c, "EndpointConfiguration", path + ".endpointConfiguration");
    String s3Member = update ? "S3Update" : "S3Configuration";
    JsonObject s3 = v.object(c, s3Member, path + "." + (update ? "s3Update" : "s3Configuration"));
    if (!update) {
      v.required(endpoint, path + ".endpointConfiguration");
      v.required(s3, path + ".s3Configuration");
    }
    if (endpoint != null) {
      String at = path + ".endpointConfiguration";
      String url = v.string(endpoint, "Url", at + ".url");
      v.required(url, at + ".url");
      // https as the model has it, or http for local endpoints.
      v.sensitive(url, at + ".url", 1, 1000, URL, LOCAL_URL);
      String name = v.string(endpoint, "Name", at + ".name");
      v.length(name, at + ".name", 1, 256);
      v.pattern(name, at + ".name", NOT_BLANK);
      String key = v.string(endpoint, "AccessKey", at + ".accessKey");
      v.sensitive(key, at + ".accessKey", 0, 4096, null, null);
    }
    JsonObject hints = v.object(c, "BufferingHints", path + ".bufferingHints");
    v.range(v.integer(hints, "SizeInMBs", path + ".bufferingHints.sizeInMBs"), path + ".bufferingHints.sizeInMBs", 1, 64);
    v.range(v.integer(hints, "IntervalInSeconds", path + ".bufferingHints.intervalInSeconds"),
        path + ".bufferingHints.intervalInSeconds", 0, 900);
    JsonObject request = v.object(c, "RequestConfiguration", path + ".requestConfiguration");
    v.oneOf(v.string(request, "ContentEncoding", path + ".requestConfiguration.contentEncoding"),
        path + ".requestConfiguration.contentEncoding", ENCODINGS);
    JsonArray attributes = v.array(request, "CommonAttributes", path + ".requestConfiguration.commonAttributes");
    v.size(attributes, path + ".requestConfiguration.commonAttributes", 0, 50);
    if (attributes != null) {
      for (int i = 0; i < attributes.size(); i++) {
        String at = path + ".requestConfiguration.commonAttributes." + (i + 1) + ".member";
        String[] attribute = v.nameAndValue(attributes, i, "AttributeName", "AttributeValue", at);
        v.sensitive(attribute[0], at + ".attributeName", 1, 256, NOT_BLANK, null);
        v.sensitive(attribute[1], at + ".attributeValue", 0, 1024, null, null);
      }
    }
    JsonObject retry = v.object(c, "RetryOptions", path + ".retryOptions");
    v.range(v.integer(retry, "DurationInSeconds", path + ".retryOptions.durationInSeconds"),
        path + ".retryOptions.durationInSeconds", 0, 7200);
    String role = v.string(c, "RoleARN", path + ".roleARN");
    v.length(role, path + ".roleARN", 1, 512);
    v.pattern(role, path + ".roleARN", ROLE);
    v.oneOf(v.string(c, "S3BackupMode", path + ".s3BackupMode"), path + ".s3BackupMode", BACKUP_MODES);
    v.object(c, "CloudWatchLoggingOptions", path + ".cloudWatchLoggingOptions");
    Destinations.check(v, s3, path + "." + (update ? "s3Update" : "s3Configuration"), update, false);
    Destinations.checkProcessing(v, c, path);
  }

  /** True when a stored destination is an HTTP endpoint one. */
  static boolean is(JsonObject stored) {
    return KIND.equals(stored.getString("Kind"));
  }

  /** The stored destination of a new stream: the configuration with AWS's defaults. */
  static JsonObject create(JsonObject c) {
    JsonObject d = new JsonObject().put("Kind", KIND);
    for (String m : List.of("EndpointConfiguration", "BufferingHints", "CloudWatchLoggingOptions", "RequestConfiguration",
        "ProcessingConfiguration", "RoleARN", "RetryOptions", "S3BackupMode", "SecretsManagerConfiguration")) {
      if (c.containsKey(m)) d.put(m, c.getValue(m));
    }
    d.put("S3DestinationDescription", Destinations.create(c.getJsonObject("S3Configuration")));
    return withDefaults(d);
  }

  /** The destination after an UpdateDestination: the given members replace the stored ones. */
  static JsonObject update(JsonObject stored, JsonObject u) {
    JsonObject d = stored.copy();
    for (String m : u.fieldNames()) {
      switch (m) {
        case "S3Update" -> d.put("S3DestinationDescription", Destinations.update(d.getJsonObject("S3DestinationDescription"),
            u.getJsonObject(m)));
        case "BufferingHints", "EndpointConfiguration", "RetryOptions", "RequestConfiguration" ->
            d.put(m, d.getJsonObject(m, new JsonObject()).copy().mergeIn(u.getJsonObject(m)));
        default -> d.put(m, u.getValue(m));
      }
    }
    return withDefaults(d);
  }

  /** The Destinations member of DescribeDeliveryStream: the description without the AccessKey. */
  static JsonArray describe(JsonObject stored) {
    JsonObject description = stored.copy();
    description.remove("Kind");
    JsonObject endpoint = description.getJsonObject("EndpointConfiguration").copy();
    endpoint.remove("AccessKey");
    description.put("EndpointConfiguration", endpoint);
    JsonObject s3 = description.getJsonObject("S3DestinationDescription").copy();
    s3.remove("S3BackupMode");
    description.put("S3DestinationDescription", s3);
    return new JsonArray().add(new JsonObject().put("DestinationId", Destinations.DESTINATION_ID)
        .put("HttpEndpointDestinationDescription", description));
  }

  private static JsonObject withDefaults(JsonObject d) {
    JsonObject hints = d.getJsonObject("BufferingHints", new JsonObject()).copy();
    if (!hints.containsKey("SizeInMBs")) hints.put("SizeInMBs", 5);
    if (!hints.containsKey("IntervalInSeconds")) hints.put("IntervalInSeconds", 300);
    d.put("BufferingHints", hints);
    JsonObject request = d.getJsonObject("RequestConfiguration", new JsonObject()).copy();
    if (!request.containsKey("ContentEncoding")) request.put("ContentEncoding", "NONE");
    if (!request.containsKey("CommonAttributes")) request.put("CommonAttributes", new JsonArray());
    d.put("RequestConfiguration", request);
    JsonObject retry = d.getJsonObject("RetryOptions", new JsonObject()).copy();
    if (!retry.containsKey("DurationInSeconds")) retry.put("DurationInSeconds", 300);
    d.put("RetryOptions", retry);
    if (!d.containsKey("S3BackupMode")) d.put("S3BackupMode", "FailedDataOnly");
    if (!d.containsKey("CloudWatchLoggingOptions")) d.put("CloudWatchLoggingOptions", new JsonObject().put("Enabled", false));
    return d;
  }
}
