package io.eventplane.common.config;

/**
 * The account-level request throttle of API Gateway's HTTP APIs on one node: AWS's default quota is
 * 10,000 requests a second with a burst of 5,000 per account and Region (raised on AWS through Service
 * Quotas; here by configuration), or no account-level limit at all ({@link #OFF}). Stages' and routes'
 * own throttling settings apply either way.
 *
 * @param enabled whether requests draw on the account's bucket
 * @param rate requests a second
 * @param burst the bucket's size
 */
public record ApiGatewayThrottle(boolean enabled, double rate, int burst) {
  /** AWS's default account-level quota. */
  public static final ApiGatewayThrottle AWS_DEFAULT = new ApiGatewayThrottle(true, 10_000, 5_000);
  /** No account-level limit (the rate and burst remain the defaults of routes that set only one of them). */
  public static final ApiGatewayThrottle OFF = new ApiGatewayThrottle(false, AWS_DEFAULT.rate(), AWS_DEFAULT.burst());

  public ApiGatewayThrottle {
    if (!(rate > 0) || Double.isInfinite(rate)) throw new IllegalArgumentException("throttle rate must be above 0: " + rate);
    if (burst < 0) throw new IllegalArgumentException("throttle burst must be 0 or more: " + burst);
  }

  /** {@code off}, or {@code RATE:BURST} ({@code 10000:5000}). */
  public static ApiGatewayThrottle parse(String text) {
    String v = text.trim();
    if (v.equalsIgnoreCase("off")) return OFF;
    int colon = v.indexOf(':');
    if (colon < 0) throw new IllegalArgumentException("apigateway-throttle must be off or RATE:BURST: " + text);
    try {
      return new ApiGatewayThrottle(true, Double.parseDouble(v.substring(0, colon)), Integer.parseInt(v.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("apigateway-throttle must be off or RATE:BURST: " + text);
    }
  }
}
