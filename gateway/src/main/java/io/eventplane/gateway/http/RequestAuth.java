package io.eventplane.gateway.http;

import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.auth.AuthFailure;
import io.eventplane.gateway.auth.AuthResult;
import io.eventplane.gateway.auth.CredentialSource;
import io.eventplane.gateway.auth.KeyLookup;
import io.eventplane.gateway.auth.SigV4Verifier;
import io.eventplane.gateway.auth.SignedRequest;
import io.eventplane.gateway.auth.SigningKeys;
import io.eventplane.gateway.auth.Verified;
import io.eventplane.gateway.auth.VertxSignedRequests;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Signature Version 4 on the request paths (auth modes sigv4 and iam): finds the key the request
 * names through the node's {@link CredentialSource}, verifies the signature with
 * {@link SigV4Verifier}, and gives the route the request's context with the key's account and the
 * verified {@link Caller}, or the AWS error that refuses it. The key's answer is usually at hand
 * (the admin key, a cached IAM key, a session token): then all of it runs at once, on the caller's
 * thread; only a key the node must ask for makes the request wait.
 *
 * <p>In auth mode off there is no instance ({@link #of} gives null) and the routes skip this step.
 */
final class RequestAuth {
  /** The route's continuation: the request with its verified context (and what streamed S3 bodies need). */
  interface Accepted {
    void accept(RequestContext context, Verified verified);
  }

  /** The route's refusal: the error in its protocol's vocabulary and the status AWS gives it. */
  interface Refused {
    void refuse(ServiceError error, int status);
  }

  private final CredentialSource credentials;
  private final SigningKeys signingKeys = new SigningKeys(4096);
  private final Clock clock;

  private RequestAuth(CredentialSource credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /** The verifier of a node whose mode verifies signatures; null (verify nothing) otherwise. */
  static RequestAuth of(boolean verifies, CredentialSource credentials, Clock clock) {
    return verifies ? new RequestAuth(credentials, clock) : null;
  }

  /**
   * Verifies the request and continues with {@code accepted} or answers with {@code refused}; both
   * run at once unless the key must be looked up.
   *
   * @param bodySha256 the buffered body's hash, computed only when the request does not declare it;
   *     null for a body still on the wire (S3 declares {@code x-amz-content-sha256})
   */
  void verify(HttpServerRequest request, RequestContext context, Supplier<String> bodySha256, AuthErrors.Family family,
      Accepted accepted, Refused refused) {
    verify(request, context, bodySha256, family, null, accepted, refused);
  }

  /** As the other, for a request that must be signed for {@code service} (execute-api); null accepts any. */
  void verify(HttpServerRequest request, RequestContext context, Supplier<String> bodySha256, AuthErrors.Family family,
      String service, Accepted accepted, Refused refused) {
    SignedRequest signed = VertxSignedRequests.of(request, bodySha256);
    Lookup lookup = new Lookup(credentials);
    AuthResult first = new SigV4Verifier(lookup, signingKeys, clock).verify(signed, service);
    if (lookup.pending == null) {
      conclude(first, context, family, accepted, refused);
      return;
    }
    // The key is being fetched: the verifier runs again with its answer (its parsing is cheap).
    request.pause();
    lookup.pending.onComplete(found -> {
      request.resume();
      if (found.failed()) {
        refused.refuse(ServiceError.unavailable("The credentials of the request could not be looked up."), 503);
        return;
      }
      KeyLookup.Answer answer = found.result();
      conclude(new SigV4Verifier((id, token, now) -> answer, signingKeys, clock).verify(signed, service), context, family,
          accepted, refused);
    });
  }

  /**
   * Verifies a browser upload's form signature (S3 POST Object: the policy signed with the key the
   * form's {@code x-amz-credential} names) and continues with the signer's context, or refuses with
   * S3's error. A form without a policy is refused: in a verifying mode nobody uploads anonymously.
   *
   * @param fields the form's fields by lower-cased name
   */
  void verifyForm(java.util.Map<String, String> fields, RequestContext context,
      java.util.function.Consumer<RequestContext> accepted, Refused refused) {
    io.eventplane.gateway.auth.PostFormSignature.Form form = io.eventplane.gateway.auth.PostFormSignature.read(fields);
    if (!form.wellFormed()) {
      JsonObject extras = form.argument() == null ? null
          : new JsonObject().put("ArgumentName", form.argument()).put("ArgumentValue", fields.getOrDefault(form.argument(), ""));
      refused.refuse(new ServiceError(form.code(), form.message(), Fault.SENDER, extras), form.code().equals("AccessDenied") ? 403 : 400);
      return;
    }
    credentials.find(form.accessKeyId(), form.sessionToken(), clock.instant().getEpochSecond()).onComplete(found -> {
      if (found.failed()) {
        refused.refuse(ServiceError.unavailable("The credentials of the request could not be looked up."), 503);
      } else if (found.result() instanceof KeyLookup.Found key) {
        if (io.eventplane.gateway.auth.PostFormSignature.verify(form, key) == null) {
          refused.refuse(new ServiceError("SignatureDoesNotMatch", "The request signature we calculated does not match the "
              + "signature you provided. Check your key and signing method.", Fault.SENDER), 403);
        } else {
          accepted.accept(new RequestContext(key.account(), form.region(), context.requestId(), context.baseUrl(),
              new Caller(key.principalArn(), key.userId(), form.accessKeyId())));
        }
      } else if (found.result() instanceof KeyLookup.ExpiredToken) {
        refused.refuse(new ServiceError("ExpiredToken", "The provided token has expired.", Fault.SENDER), 400);
      } else {
        refused.refuse(new ServiceError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
            Fault.SENDER), 403);
      }
    });
  }

  /**
   * Whether the request is a browser upload whose signature is in its form (a multipart POST to a
   * bucket without an Authorization header or a presigned query): the form is verified once read.
   */
  static boolean formSigned(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST || request.getHeader("Authorization") != null) return false;
    String type = request.getHeader("Content-Type");
    String query = request.query();
    return (query == null || !query.contains("X-Amz-Credential=")) && type != null
        && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
        && "PostObject".equals(io.eventplane.gateway.s3.S3Request.of(request.method().name(), request.path(),
            request.getHeader("Host"), request.params(), request.headers()).operation());
  }

  private static void conclude(AuthResult result, RequestContext context, AuthErrors.Family family, Accepted accepted,
      Refused refused) {
    if (result instanceof Verified v) {
      KeyLookup.Found key = v.key();
      accepted.accept(new RequestContext(key.account(), v.region(), context.requestId(), context.baseUrl(),
          new Caller(key.principalArn(), key.userId(), v.accessKeyId())), v);
    } else {
      AuthErrors.AuthError e = AuthErrors.of(family, (AuthFailure) result);
      JsonObject extras = null;
      if (!e.extras().isEmpty()) {
        extras = new JsonObject();
        for (var x : e.extras().entrySet()) extras.put(x.getKey(), x.getValue());
      }
      refused.refuse(new ServiceError(e.code(), e.message(), Fault.SENDER, extras), e.status());
    }
  }

  /** A protocol's rendering of an auth error with AWS's status for it (the service's table does not know these codes). */
  static WireResponse withStatus(WireResponse rendered, int status) {
    return new WireResponse(status, rendered.contentType(), rendered.body(), rendered.headers(), rendered.binary());
  }

  /** Whether the request carries a Signature Version 4 (header or presigned query), as an AWS_IAM route's caller sends. */
  static boolean sigV4Signed(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) return authorization.startsWith("AWS4-HMAC-SHA256");
    String query = request.query();
    return query != null && query.contains("X-Amz-Algorithm=");
  }

  /**
   * What AWS serves without a signature on the service endpoints: SNS's SubscribeURL and
   * UnsubscribeURL (a GET with {@code Action=ConfirmSubscription} or {@code Unsubscribe}, as SNS
   * hands them out in its messages, opened by browsers and HTTP endpoints).
   */
  static boolean unsignedByDesign(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET || request.getHeader("Authorization") != null) return false;
    String query = request.query();
    if (query == null || query.contains("X-Amz-Credential=")) return false;
    String action = request.getParam("Action");
    return "ConfirmSubscription".equals(action) || "Unsubscribe".equals(action);
  }

  /**
   * Eventplane's own endpoints that answer without a signature: health (load balancers, probes), SNS's
   * signing certificate (fetched by subscribers to check messages), a function's code location (a
   * link GetFunction hands out, as AWS's presigned one). The blob copies nodes send each other carry
   * a node's signature instead ({@code NodeRequestSigner}, checked by the router).
   */
  static boolean openAdminPath(String path) {
    return path.equals(AdminRoutes.PREFIX + "health") || path.startsWith(AdminRoutes.SIGNING_CERT_PREFIX)
        || path.startsWith(AdminRoutes.CODE_PREFIX);
  }

  /** Asks the credential source; remembers a future that is not complete yet instead of waiting for it. */
  private static final class Lookup implements KeyLookup {
    private final CredentialSource credentials;
    Future<KeyLookup.Answer> pending;

    Lookup(CredentialSource credentials) {
      this.credentials = credentials;
    }

    @Override
    public Answer find(String accessKeyId, String sessionToken, long nowEpochSeconds) {
      Future<KeyLookup.Answer> found = credentials.find(accessKeyId, sessionToken, nowEpochSeconds);
      if (found.isComplete() && found.succeeded()) return found.result();
      pending = found;
      return UNKNOWN;
    }
  }
}
