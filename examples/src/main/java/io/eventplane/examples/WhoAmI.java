package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * A function that asks STS who it is, with the SDK's default credential chain (the execution
 * role's temporary credentials Lambda puts in the environment) and the endpoint from
 * AWS_ENDPOINT_URL: answers the Arn, UserId and Account GetCallerIdentity names, and the access key
 * id it signed with.
 */
public class WhoAmI implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final StsClient STS = StsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    GetCallerIdentityResponse me = STS.getCallerIdentity();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("arn", me.arn());
    out.put("userId", me.userId());
    out.put("account", me.account());
    out.put("accessKeyId", System.getenv("AWS_ACCESS_KEY_ID"));
    return out;
  }
}
