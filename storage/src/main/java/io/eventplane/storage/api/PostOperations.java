package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.PostPolicy;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser uploads (POST Object): the gateway has streamed the form's file into a blob and decoded
 * the other fields into the input; here the form is held against its policy, then the object is
 * committed as a PUT would commit it, notifying {@code ObjectCreated:Post}.
 */
final class PostOperations {
  private final ObjectOperations objects;
  private final Clock clock;

  PostOperations(ObjectOperations objects, Clock clock) {
    this.objects = objects;
    this.clock = clock;
  }

  Future<JsonObject> post(JsonObject in, RequestContext ctx) {
    Blob blob = Inputs.blob(in);
    try {
      String bucket = Inputs.bucket(in);
      if (in.getString("Key") == null) {
        throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the "
            + "order of the fields.", "key", "");
      }
      Inputs.key(in);
      String policy = in.getString("Policy");
      if (policy != null) {
        Map<String, String> fields = new LinkedHashMap<>();
        in.getJsonObject("Fields", new JsonObject()).forEach(e -> fields.put(e.getKey(), String.valueOf(e.getValue())));
        fields.put("bucket", bucket);
        PostPolicy.parse(policy).check(fields, blob.size(), clock.instant());
      }
    } catch (RuntimeException e) {
      objects.discard(blob);
      throw e;
    }
    in.put("EventName", "ObjectCreated:Post");
    return objects.put(in, ctx).map(out -> out.put("Bucket", in.getString("Bucket")).put("Key", in.getString("Key")));
  }
}
