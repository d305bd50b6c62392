package io.eventplane.gateway.authz;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for AWS CloudTrail": trails are
 * {@code arn:aws:cloudtrail:region:account:trail/name} (Name, TrailName or ResourceId may be the
 * ARN already); LookupEvents and DescribeTrails have no resource.
 */
final class CloudTrailActions {
  private CloudTrailActions() {}

  static final ServiceActions TABLE = ActionTable.builder("cloudtrail")
      .same((c, a) -> a.named("cloudtrail", "trail", c.string("Name")), "CreateTrail", "GetTrail", "UpdateTrail",
          "DeleteTrail", "StartLogging", "StopLogging", "GetTrailStatus")
      .same((c, a) -> a.named("cloudtrail", "trail", c.string("TrailName")), "PutEventSelectors", "GetEventSelectors")
      .same((c, a) -> a.named("cloudtrail", "trail", c.string("ResourceId")), "AddTags", "RemoveTags")
      .rule("ListTags", (c, a) -> {
        List<Target> targets = new ArrayList<>();
        if (c.input().getValue("ResourceIdList") instanceof JsonArray ids) {
          for (Object id : ids) if (id instanceof String s) targets.add(Target.of("cloudtrail:ListTags", a.named("cloudtrail", "trail", s)));
        }
        if (targets.isEmpty()) targets.add(Target.of("cloudtrail:ListTags", "*"));
        return targets;
      })
      .anyResource("LookupEvents", "DescribeTrails")
      .build();
}
