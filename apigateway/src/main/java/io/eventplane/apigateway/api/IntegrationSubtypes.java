package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The AWS service integrations of HTTP APIs (the developer guide's "integration subtype
 * reference"): each subtype's request parameters, which of them are required, and no others.
 */
public final class IntegrationSubtypes {
  private record Subtype(Set<String> required, Set<String> optional) {}

  private static final Map<String, Subtype> SUBTYPES = Map.ofEntries(
      Map.entry("EventBridge-PutEvents", new Subtype(Set.of("Detail", "DetailType", "Source"),
          Set.of("Time", "EventBusName", "Region", "Resources", "TraceHeader"))),
      Map.entry("SQS-SendMessage", new Subtype(Set.of("QueueUrl", "MessageBody"),
          Set.of("DelaySeconds", "MessageAttributes", "MessageDeduplicationId", "MessageGroupId", "MessageSystemAttributes",
              "Region"))),
      Map.entry("SQS-ReceiveMessage", new Subtype(Set.of("QueueUrl"),
          Set.of("AttributeNames", "MaxNumberOfMessages", "MessageAttributeNames", "ReceiveRequestAttemptId",
              "VisibilityTimeout", "WaitTimeSeconds", "Region"))),
      Map.entry("SQS-DeleteMessage", new Subtype(Set.of("QueueUrl", "ReceiptHandle"), Set.of("Region"))),
      Map.entry("SQS-PurgeQueue", new Subtype(Set.of("QueueUrl"), Set.of("Region"))),
      Map.entry("Kinesis-PutRecord", new Subtype(Set.of("StreamName", "Data", "PartitionKey"),
          Set.of("SequenceNumberForOrdering", "ExplicitHashKey", "Region"))),
      Map.entry("StepFunctions-StartExecution", new Subtype(Set.of("StateMachineArn"), Set.of("Name", "Input", "Region"))),
      Map.entry("StepFunctions-StartSyncExecution", new Subtype(Set.of("StateMachineArn"),
          Set.of("Name", "Input", "Region", "TraceHeader"))),
      Map.entry("StepFunctions-StopExecution", new Subtype(Set.of("ExecutionArn"), Set.of("Cause", "Error", "Region"))),
      Map.entry("AppConfig-GetConfiguration", new Subtype(Set.of("Application", "Environment", "Configuration", "ClientId"),
          Set.of("ClientConfigurationVersion", "Region"))));

  private IntegrationSubtypes() {}

  public static Set<String> names() {
    return SUBTYPES.keySet();
  }

  /** Checks a subtype's request parameters: every required one, no unknown one. */
  static void check(String subtype, JsonObject parameters) {
    Subtype s = SUBTYPES.get(subtype);
    if (s == null) {
      throw badRequest("Integration subtype " + subtype + " is not supported. Supported subtypes: "
          + List.copyOf(new java.util.TreeSet<>(SUBTYPES.keySet())));
    }
    JsonObject p = parameters == null ? new JsonObject() : parameters;
    for (String required : new java.util.TreeSet<>(s.required())) {
      if (!p.containsKey(required)) {
        throw badRequest("Parameter " + required + " is required for integration subtype " + subtype);
      }
    }
    for (String name : p.fieldNames()) {
      if (!s.required().contains(name) && !s.optional().contains(name)) {
        throw badRequest("Parameter " + name + " is not supported for integration subtype " + subtype);
      }
    }
  }
}
