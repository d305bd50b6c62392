package io.eventplane.gateway.apigateway.invoke.limits;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP API's CorsConfiguration at work, as the developer guide's "Configure CORS for HTTP APIs"
 * describes it:
 * <ul>
 *   <li>with a CorsConfiguration, API Gateway answers preflight requests itself (OPTIONS with
 *       {@code Origin} and {@code Access-Control-Request-Method}), even with no OPTIONS route:
 *       204, no body, with {@code Access-Control-Allow-Origin}, {@code -Allow-Methods},
 *       {@code -Allow-Headers}, {@code -Max-Age} and {@code -Allow-Credentials} as configured;</li>
 *   <li>to other requests with an {@code Origin} it adds {@code Access-Control-Allow-Origin},
 *       {@code -Allow-Credentials} and {@code -Expose-Headers} to the integration's response;</li>
 *   <li>it ignores the CORS headers the integration returns (they are removed);</li>
 *   <li>an origin not in AllowOrigins gets no CORS headers at all (the preflight is still answered,
 *       204 without them, so the browser refuses the call); AllowOrigins takes exact origins,
 *       {@code *} (any origin, answered as {@code *}) and patterns such as {@code https://*};</li>
 *   <li>without a CorsConfiguration nothing here applies: OPTIONS is routed like any method.</li>
 * </ul>
 * Which requests reach {@link #preflight}: a preflight that matches an explicit {@code OPTIONS}
 * route is that route's (the guide's way to let preflights through a {@code $default} route that
 * has an authorizer is an {@code OPTIONS /{proxy+}} route); one caught only by {@code $default} goes
 * through {@code $default}'s authorization first, then is answered here; any other is answered here
 * before routing.
 *
 * <p>Use, once per deployed stage, then per request:
 * <pre>{@code
 * CorsPolicy cors = CorsPolicy.of(api.getJsonObject("CorsConfiguration")); // the snapshot's Api
 * if (cors.answersPreflight(request.method().name(), request.headers())) {
 *   cors.preflight(request.headers(), response.headers());
 *   response.setStatusCode(204).end();
 *   return;
 * }
 * ... call the integration, then before writing its response:
 * cors.decorate(request.headers(), response.headers());
 * }</pre>
 * Immutable and thread-safe.
 */
public final class CorsPolicy {
  /** No CorsConfiguration. */
  public static final CorsPolicy NONE = new CorsPolicy(false, List.of(), List.of(), List.of(), List.of(), false, null);

  private final boolean enabled;
  private final List<String> allowOrigins;
  private final List<String> allowMethods;
  private final List<String> allowHeaders;
  private final List<String> exposeHeaders;
  private final boolean allowCredentials;
  private final Integer maxAge;
  private final String methodsValue;
  private final String headersValue;
  private final String exposeValue;

  private CorsPolicy(boolean enabled, List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {
    this.enabled = enabled;
    this.allowOrigins = allowOrigins;
    this.allowMethods = allowMethods;
    this.allowHeaders = allowHeaders;
    this.exposeHeaders = exposeHeaders;
    this.allowCredentials = allowCredentials;
    this.maxAge = maxAge;
    this.methodsValue = String.join(",", allowMethods);
    this.headersValue = String.join(",", allowHeaders);
    this.exposeValue = String.join(",", exposeHeaders);
  }

  /** From the snapshot Api's CorsConfiguration (a GetApi output member); null gives {@link #NONE}. */
  public static CorsPolicy of(JsonObject corsConfiguration) {
    if (corsConfiguration == null) return NONE;
    Object maxAge = corsConfiguration.getValue("MaxAge");
    return new CorsPolicy(true, strings(corsConfiguration, "AllowOrigins"), strings(corsConfiguration, "AllowMethods"),
        strings(corsConfiguration, "AllowHeaders"), strings(corsConfiguration, "ExposeHeaders"),
        Boolean.TRUE.equals(corsConfiguration.getValue("AllowCredentials")),
        maxAge instanceof Number n ? n.intValue() : null);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Whether API Gateway answers this request itself: CORS is configured and it is a preflight. */
  public boolean answersPreflight(String method, MultiMap requestHeaders) {
    return enabled && isPreflight(method, requestHeaders);
  }

  /** A CORS preflight: OPTIONS with an {@code Origin} and an {@code Access-Control-Request-Method}. */
  public static boolean isPreflight(String method, MultiMap requestHeaders) {
    return "OPTIONS".equalsIgnoreCase(method) && notEmpty(requestHeaders.get("origin"))
        && notEmpty(requestHeaders.get("access-control-request-method"));
  }

  /** Adds the preflight answer's headers (none for an origin not allowed). The status is 204. */
  public void preflight(MultiMap requestHeaders, MultiMap responseHeaders) {
    String origin = allowedOrigin(requestHeaders);
    if (origin == null) return;
    responseHeaders.set("access-control-allow-origin", origin);
    if (allowCredentials) responseHeaders.set("access-control-allow-credentials", "true");
    if (!allowMethods.isEmpty()) responseHeaders.set("access-control-allow-methods", methodsValue);
    if (!allowHeaders.isEmpty()) responseHeaders.set("access-control-allow-headers", headersValue);
    if (maxAge != null) responseHeaders.set("access-control-max-age", Integer.toString(maxAge));
  }

  /**
   * Replaces the integration's CORS headers with the configured ones, for a request from an
   * allowed origin; does nothing without a CorsConfiguration.
   */
  public void decorate(MultiMap requestHeaders, MultiMap responseHeaders) {
    if (!enabled) return;
    List<String> theirs = new ArrayList<>();
    for (String name : responseHeaders.names()) {
      if (name.regionMatches(true, 0, "access-control-", 0, 15)) theirs.add(name);
    }
    for (String name : theirs) responseHeaders.remove(name);
    String origin = allowedOrigin(requestHeaders);
    if (origin == null) return;
    responseHeaders.set("access-control-allow-origin", origin);
    if (allowCredentials) responseHeaders.set("access-control-allow-credentials", "true");
    if (!exposeHeaders.isEmpty()) responseHeaders.set("access-control-expose-headers", exposeValue);
  }

  /** The Access-Control-Allow-Origin value for this request, or null when its origin is not allowed. */
  private String allowedOrigin(MultiMap requestHeaders) {
    String origin = requestHeaders.get("origin");
    if (!notEmpty(origin)) return null;
    boolean any = false;
    for (String allowed : allowOrigins) {
      if (allowed.equals("*")) {
        any = true;
      } else if (allowed.indexOf('*') >= 0 ? glob(allowed.toLowerCase(Locale.ROOT), origin.toLowerCase(Locale.ROOT))
          : allowed.equalsIgnoreCase(origin)) {
        return origin;
      }
    }
    if (!any) return null;
    return allowCredentials ? origin : "*";
  }

  private static boolean glob(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }

  private static List<String> strings(JsonObject json, String member) {
    List<String> out = new ArrayList<>();
    Object value = json.getValue(member);
    if (value instanceof JsonArray array) {
      for (Object item : array) if (item instanceof String s && !s.isBlank()) out.add(s.trim());
    }
    return List.copyOf(out);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
