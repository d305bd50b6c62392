package io.eventplane.gateway.error;

/**
 * How one AWS error code looks on the wire.
 *
 * @param code the error code as services report it in {@code ServiceError} (API reference name)
 * @param status the HTTP status, the same in both protocols
 * @param queryCode the code of the Query protocol: {@code <Code>} in XML errors and the first half
 *     of the {@code x-amzn-query-error} header of JSON errors
 * @param jsonType the {@code __type} of AWS JSON 1.0 errors, namespace included
 */
public record WireError(String code, int status, String queryCode, String jsonType) {}
