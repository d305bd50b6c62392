package io.eventplane.common.audit;

/**
 * Who made an API call, as the gateway saw it: what a CloudTrail record says of the caller beyond
 * the account and region of the call's {@code RequestContext}.
 *
 * @param accessKeyId the access key of the call's signature, or null for an unsigned call
 * @param sourceIp the client's address
 * @param userAgent the User-Agent header, or null
 */
public record AuditCaller(String accessKeyId, String sourceIp, String userAgent) {}
