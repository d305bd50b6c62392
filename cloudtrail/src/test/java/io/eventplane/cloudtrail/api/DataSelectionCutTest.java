package io.eventplane.cloudtrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.audit.ApiCallRecord;
import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.audit.DataSelection;
import io.eventplane.common.audit.EventClass;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateways' cut of a region's trails ({@link Selectors#dataSelection}) against the exact selectors
 * the lane applies ({@link Selectors#selects}), over a table of trails and data calls: the cut takes
 * every record a trail takes (the gateway never drops what the lane would keep), is exact for basic
 * selectors, and still leaves out what no selector can take.
 */
class DataSelectionCutTest {
  private static final RequestContext CALL = new RequestContext("000000000000", "us-east-1", "req", "http://h");

  private record Call(String service, String operation, JsonObject input) {
    EventClass kind() {
      return EventClass.of(service, operation);
    }

    JsonObject record() {
      return ApiCallRecord.of(service, operation, input, null, null, CALL, new AuditCaller("AKID", "127.0.0.1", "test"),
          Instant.EPOCH, "id").getJsonObject("record");
    }
  }

  private static final Map<String, Call> CALLS = new LinkedHashMap<>();

  static {
    CALLS.put("PutObject a/x", new Call("s3", "PutObject", new JsonObject().put("Bucket", "a").put("Key", "x")));
    CALLS.put("PutObject b/y", new Call("s3", "PutObject", new JsonObject().put("Bucket", "b").put("Key", "y")));
    CALLS.put("GetObject a/x", new Call("s3", "GetObject", new JsonObject().put("Bucket", "a").put("Key", "x")));
    CALLS.put("DeleteObjects a", new Call("s3", "DeleteObjects", new JsonObject().put("Bucket", "a")));
    CALLS.put("SendMessage q", new Call("sqs", "SendMessage", new JsonObject().put("QueueUrl", "http://h/000000000000/q")
        .put("MessageBody", "m")));
    CALLS.put("ReceiveMessage q", new Call("sqs", "ReceiveMessage", new JsonObject().put("QueueUrl", "http://h/000000000000/q")));
    CALLS.put("Invoke f", new Call("lambda", "Invoke", new JsonObject().put("FunctionName", "f")));
    CALLS.put("Publish t", new Call("sns", "Publish", new JsonObject().put("TopicArn", "arn:aws:sns:us-east-1:000000000000:t")
        .put("Message", "m")));
    CALLS.put("PutEvents", new Call("events", "PutEvents", new JsonObject().put("Entries", new JsonArray())));
    CALLS.put("PutLogEvents", new Call("logs", "PutLogEvents", new JsonObject().put("logGroupName", "g")));
  }

  private static JsonObject basic(String readWrite, String type, String... values) {
    JsonArray resources = new JsonArray();
    if (type != null) resources.add(new JsonObject().put("Type", type).put("Values", new JsonArray(List.of(values))));
    return new JsonObject().put("EventSelectors", Selectors.withDefaults(new JsonArray().add(new JsonObject()
        .put("ReadWriteType", readWrite).put("IncludeManagementEvents", true).put("DataResources", resources))));
  }

  private static JsonObject field(String name, String op, String... values) {
    return new JsonObject().put("Field", name).put(op, new JsonArray(List.of(values)));
  }

  private static JsonObject advanced(JsonObject... fields) {
    return new JsonObject().put("AdvancedEventSelectors", new JsonArray().add(new JsonObject()
        .put("FieldSelectors", new JsonArray(List.of((Object[]) fields)))));
  }

  private static final Map<String, JsonObject> BASIC = new LinkedHashMap<>();
  private static final Map<String, JsonObject> ADVANCED = new LinkedHashMap<>();

  static {
    BASIC.put("default", new JsonObject());
    BASIC.put("management only", basic("All", null));
    BASIC.put("objects of a/, writes", basic("WriteOnly", "AWS::S3::Object", "arn:aws:s3:::a/"));
    BASIC.put("every object, reads", basic("ReadOnly", "AWS::S3::Object", "arn:aws:s3"));
    BASIC.put("every function", basic("All", "AWS::Lambda::Function", "arn:aws:lambda"));
    ADVANCED.put("management", advanced(field("eventCategory", "Equals", "Management")));
    ADVANCED.put("queues", advanced(field("eventCategory", "Equals", "Data"), field("resources.type", "Equals", "AWS::SQS::Queue")));
    ADVANCED.put("objects of b/, writes", advanced(field("eventCategory", "Equals", "Data"),
        field("resources.type", "Equals", "AWS::S3::Object"), field("resources.ARN", "StartsWith", "arn:aws:s3:::b/"),
        field("readOnly", "Equals", "false")));
    ADVANCED.put("PutObject by name", advanced(field("eventCategory", "Equals", "Data"), field("eventName", "Equals", "PutObject")));
    ADVANCED.put("topics not t", advanced(field("eventCategory", "Equals", "Data"), field("resources.type", "Equals", "AWS::SNS::Topic"),
        field("resources.ARN", "NotStartsWith", "arn:aws:sns:us-east-1:000000000000:t")));
    ADVANCED.put("objects, the bucket's ARN", advanced(field("eventCategory", "Equals", "Data"),
        field("resources.type", "Equals", "AWS::S3::Object"), field("resources.ARN", "Equals", "arn:aws:s3:::a")));
    ADVANCED.put("reads of anything", advanced(field("eventCategory", "Equals", "Data"), field("readOnly", "Equals", "true")));
  }

  private static boolean cut(JsonObject trail, Call call) {
    return Selectors.dataSelection(List.of(trail)).takes(call.kind(), call.input(), CALL);
  }

  @Test
  void theCutTakesEveryRecordATrailTakes() {
    Map<String, JsonObject> all = new LinkedHashMap<>(BASIC);
    all.putAll(ADVANCED);
    all.forEach((name, trail) -> CALLS.forEach((callName, call) -> {
      if (Selectors.selects(trail, call.record())) {
        assertThat(cut(trail, call)).as(name + " takes " + callName).isTrue();
      }
    }));
  }

  @Test
  void forBasicSelectorsTheCutIsExact() {
    BASIC.forEach((name, trail) -> CALLS.forEach((callName, call) ->
        assertThat(cut(trail, call)).as(name + " / " + callName).isEqualTo(Selectors.selects(trail, call.record()))));
    assertThat(Selectors.dataSelection(List.of(BASIC.get("default"), BASIC.get("management only")))).isEqualTo(DataSelection.NONE);
  }

  @Test
  void advancedSelectorsLeaveOutWhatNoneOfTheirCheapConditionsTakes() {
    assertThat(Selectors.dataSelection(List.of(ADVANCED.get("management")))).isEqualTo(DataSelection.NONE);
    JsonObject queues = ADVANCED.get("queues");
    assertThat(cut(queues, CALLS.get("SendMessage q"))).isTrue();
    assertThat(cut(queues, CALLS.get("PutObject a/x"))).isFalse();
    JsonObject bWrites = ADVANCED.get("objects of b/, writes");
    assertThat(cut(bWrites, CALLS.get("PutObject b/y"))).isTrue();
    assertThat(cut(bWrites, CALLS.get("PutObject a/x"))).isFalse();
    assertThat(cut(bWrites, CALLS.get("GetObject a/x"))).isFalse();
    // Conditions the gateway does not test (eventName, Not operators) widen the cut; the lane decides.
    assertThat(cut(ADVANCED.get("PutObject by name"), CALLS.get("SendMessage q"))).isTrue();
    assertThat(cut(ADVANCED.get("topics not t"), CALLS.get("Publish t"))).isTrue();
    assertThat(cut(ADVANCED.get("topics not t"), CALLS.get("Invoke f"))).isFalse();
    assertThat(cut(ADVANCED.get("reads of anything"), CALLS.get("SendMessage q"))).isFalse();
    assertThat(cut(ADVANCED.get("reads of anything"), CALLS.get("ReceiveMessage q"))).isTrue();
  }
}
