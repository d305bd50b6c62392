package io.eventplane.common.audit;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One API call as CloudTrail records it (record contents of the CloudTrail user guide, eventVersion
 * 1.11), and what LookupEvents filters on beside it. Built by the gateway, where the operation, its
 * input, the caller and the answer are all known; pure, so it can be built off the response path.
 *
 * <p>Bodies never enter a record: message bodies, object bytes, function payloads, event details
 * and log lines of data calls, function code of management calls, and any binary value.
 */
public final class ApiCallRecord {
  public static final String EVENT_VERSION = "1.11";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  /** Members that carry what a user sent or stored rather than what they asked for. */
  private static final Set<String> DATA_BODIES = Set.of("MessageBody", "Body", "Payload", "Message", "Detail", "logEvents",
      "message", "events", "Data");
  /** {@code Data}: the records of Firehose's PutRecord / PutRecordBatch (base64 in the canonical input, up to 4 MiB a call). */
  private static final Set<String> MANAGEMENT_BODIES = Set.of("ZipFile", "Payload", "Data");
  /**
   * Members never recorded: secrets a call hands out (IAM's CreateAccessKey, STS's credentials).
   * CloudTrail leaves them out of responseElements too.
   */
  private static final Set<String> SECRETS = Set.of("SecretAccessKey");
  /** Input (and output) members that name the resource a call is about, by service. */
  private static final Map<String, Set<String>> RESOURCE_MEMBERS = Map.of(
      "sqs", Set.of("QueueUrl", "QueueName"), "sns", Set.of("TopicArn", "Name"), "s3", Set.of("Bucket"),
      "lambda", Set.of("FunctionName"), "events", Set.of("Name", "Rule", "EventBusName"), "iam", Set.of("RoleName"),
      "logs", Set.of("logGroupName"), "cloudtrail", Set.of("Name", "TrailName"));

  private ApiCallRecord() {}

  /**
   * The stored form: {@code record} (the CloudTrail record), {@code resources} ([{ResourceType,
   * ResourceName}]), {@code username}, {@code accessKeyId}, {@code time} (millis) and
   * {@code data} (a data event).
   *
   * @param output the answer's output, or null when the call failed
   * @param error the answer's error, or null when it succeeded
   */
  public static JsonObject of(String signingName, String operation, JsonObject input, JsonObject output, ServiceError error,
      RequestContext context, AuditCaller caller, Instant time, String eventId) {
    EventClass kind = EventClass.of(signingName, operation);
    Set<String> bodies = kind.data() ? DATA_BODIES : MANAGEMENT_BODIES;
    String account = context.accountId();
    JsonObject identity = new JsonObject().put("type", "Root").put("principalId", account)
        .put("arn", "arn:aws:iam::" + account + ":root").put("accountId", account);
    if (caller.accessKeyId() != null) identity.put("accessKeyId", caller.accessKeyId());
    JsonObject record = new JsonObject()
        .put("eventVersion", EVENT_VERSION)
        .put("userIdentity", identity)
        .put("eventTime", TIME.format(time.truncatedTo(ChronoUnit.SECONDS)))
        .put("eventSource", kind.eventSource())
        .put("eventName", operation)
        .put("awsRegion", context.region())
        .put("sourceIPAddress", caller.sourceIp())
        .put("userAgent", caller.userAgent())
        .put("requestParameters", signingName.equals("s3") ? s3Parameters(kind, input, context) : parameters(signingName, input, bodies));
    if (error != null) {
      record.put("errorCode", error.code()).put("errorMessage", error.message());
    }
    record.put("responseElements", error != null || kind.readOnly() ? null : parameters(signingName, output, bodies))
        .put("requestID", context.requestId())
        .put("eventID", eventId)
        .put("readOnly", kind.readOnly());
    if (kind.data()) record.put("resources", dataResources(kind, input, context));
    record.put("eventType", "AwsApiCall")
        .put("managementEvent", !kind.data())
        .put("recipientAccountId", account)
        .put("eventCategory", kind.data() ? "Data" : "Management");
    JsonArray resources = new JsonArray();
    Set<String> members = RESOURCE_MEMBERS.getOrDefault(signingName, Set.of());
    Map<String, String> named = new LinkedHashMap<>();
    for (JsonObject from : new JsonObject[] {input, output}) {
      if (from == null) continue;
      for (String m : members) {
        if (from.getValue(m) instanceof String s && !s.isEmpty()) named.putIfAbsent(s, resourceType(kind, operation, m));
      }
    }
    named.forEach((name, type) -> resources.add(new JsonObject().put("ResourceType", type).put("ResourceName", name)));
    return new JsonObject().put("record", record).put("resources", resources).put("username", "root")
        .put("accessKeyId", caller.accessKeyId()).put("time", time.toEpochMilli()).put("data", kind.data());
  }

  /**
   * What a data event is about, as its record's {@code resources} (type and ARN), which trails' data
   * selectors match. Cheap (string work on the input), so the gateway also uses it to decide whether
   * to build a record at all ({@link DataSelection}).
   */
  public static JsonArray dataResources(EventClass kind, JsonObject input, RequestContext context) {
    JsonArray out = new JsonArray();
    String account = context.accountId();
    String region = context.region();
    switch (kind.service()) {
      case "s3" -> {
        String bucket = input.getString("Bucket");
        String key = input.getString("Key");
        if (bucket == null) break;
        if (key != null) out.add(new JsonObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + bucket + "/" + key));
        out.add(new JsonObject().put("accountId", account).put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::" + bucket));
      }
      case "sqs" -> {
        String url = input.getString("QueueUrl");
        if (url != null) {
          String name = url.substring(url.lastIndexOf('/') + 1);
          out.add(new JsonObject().put("accountId", account).put("type", "AWS::SQS::Queue")
              .put("ARN", "arn:aws:sqs:" + region + ":" + account + ":" + name));
        }
      }
      case "sns" -> {
        String topic = input.getString("TopicArn", input.getString("TargetArn"));
        if (topic != null) out.add(new JsonObject().put("accountId", account).put("type", "AWS::SNS::Topic").put("ARN", topic));
      }
      case "lambda" -> {
        String fn = input.getString("FunctionName");
        if (fn != null) {
          String arn = fn.startsWith("arn:") ? fn : "arn:aws:lambda:" + region + ":" + account + ":function:" + fn;
          out.add(new JsonObject().put("accountId", account).put("type", "AWS::Lambda::Function").put("ARN", arn));
        }
      }
      case "events" -> out.add(new JsonObject().put("accountId", account).put("type", "AWS::Events::EventBus")
          .put("ARN", "arn:aws:events:" + region + ":" + account + ":event-bus/default"));
      default -> { }
    }
    return out;
  }

  private static String resourceType(EventClass kind, String operation, String member) {
    if (kind.service().equals("events")) {
      return member.equals("EventBusName") || operation.contains("EventBus") ? "AWS::Events::EventBus" : "AWS::Events::Rule";
    }
    return kind.resourceType();
  }

  /** What the gateway adds to an S3 call's input for the service, never a request parameter of the client's. */
  private static final Set<String> S3_INTERNAL = Set.of("Blob", "SourceIp", "ServerTime", "RequestMethod", "CorsHeaders",
      "X-Amz-Expires", "Fields", "Body");
  /** The object-level members S3's data events name (besides bucketName, Host and key), as CloudTrail spells them. */
  private static final Map<String, String> S3_OBJECT_MEMBERS = Map.of("VersionId", "versionId", "UploadId", "uploadId",
      "PartNumber", "partNumber");

  /**
   * S3's request parameters as its CloudTrail records give them: always {@code bucketName} and
   * {@code Host} (the host the client addressed), with {@code key} for an object. A data event
   * (object calls) names no more than the object and its version, upload or part (user metadata,
   * tags, a POST form's fields and policy are not logged); a management event keeps the call's
   * members as the other services do, without what the gateway adds for the service.
   */
  static JsonObject s3Parameters(EventClass kind, JsonObject in, RequestContext context) {
    JsonObject out = new JsonObject();
    if (in != null && !kind.data()) {
      JsonObject members = in.copy();
      S3_INTERNAL.forEach(members::remove);
      JsonObject copied = parameters("s3", members, MANAGEMENT_BODIES);
      if (copied != null) out.mergeIn(copied);
    }
    if (in != null && in.getString("Bucket") != null) out.put("bucketName", in.getString("Bucket"));
    out.put("Host", host(context.baseUrl()));
    if (in != null && in.getString("Key") != null) out.put("key", in.getString("Key"));
    if (in != null && kind.data()) {
      S3_OBJECT_MEMBERS.forEach((member, name) -> {
        Object v = in.getValue(member);
        if (v != null && !(v instanceof JsonObject) && !(v instanceof JsonArray)) out.put(name, v);
      });
    }
    return out;
  }

  /** The host (and port, when not the scheme's default) of a base URL such as {@code http://127.0.0.1:4566}. */
  static String host(String baseUrl) {
    int start = baseUrl.indexOf("://");
    String rest = start < 0 ? baseUrl : baseUrl.substring(start + 3);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** A copy with member names as CloudTrail writes them (lower camel case) and without bodies; null when empty. */
  static JsonObject parameters(String signingName, JsonObject in, Set<String> bodies) {
    if (in == null || in.isEmpty()) return null;
    JsonObject out = copy(signingName, in, bodies, true);
    return out.isEmpty() ? null : out;
  }

  /**
   * @param members whether the keys are structure members (renamed to lower camel case) or a map's
   *     keys (attribute names, tags: kept as the user wrote them). Without the service model, the
   *     input's top level and the elements of lists are taken as structures, nested objects as maps.
   */
  private static JsonObject copy(String signingName, JsonObject in, Set<String> bodies, boolean members) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : in) {
      if (bodies.contains(e.getKey()) || SECRETS.contains(e.getKey())) continue;
      Object v = copyValue(signingName, e.getValue(), bodies, false);
      if (v == SKIP) continue;
      out.put(members ? memberName(signingName, e.getKey()) : e.getKey(), v);
    }
    return out;
  }

  private static final Object SKIP = new Object();

  private static Object copyValue(String signingName, Object v, Set<String> bodies, boolean members) {
    if (v instanceof JsonObject o) return copy(signingName, o, bodies, members);
    if (v instanceof Map<?, ?> m) return copy(signingName, new JsonObject(castMap(m)), bodies, members);
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object x : a) {
        Object c = copyValue(signingName, x, bodies, true);
        if (c != SKIP) out.add(c);
      }
      return out;
    }
    if (v instanceof byte[] || v instanceof Buffer) return SKIP;
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static String memberName(String signingName, String name) {
    if (signingName.equals("s3") && name.equals("Bucket")) return "bucketName";
    if (name.isEmpty() || Character.isLowerCase(name.charAt(0))) return name;
    // QueueUrl -> queueUrl, but an all-capitals prefix keeps its shape as AWS writes it (DLQ... -> dLQ is wrong).
    if (name.length() > 1 && Character.isUpperCase(name.charAt(1))) return name;
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
