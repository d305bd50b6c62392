package io.eventplane.gateway.apigateway.invoke.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A REST API's binary support ("Working with binary media types for REST APIs" and "Content type
 * conversions in API Gateway" in the developer guide): the API's {@code binaryMediaTypes} (exact
 * types, {@code image/*}, {@code *}{@code /*}) decide whether a request's Content-Type, or the first
 * media type of its Accept header, is binary; the integration's and the integration response's
 * {@code contentHandling} convert payloads between binary and base64 text. Made once per request
 * from the deployed RestApi; holds no state.
 */
final class BinaryPayloads {
  static final String TO_BINARY = "CONVERT_TO_BINARY";
  static final String TO_TEXT = "CONVERT_TO_TEXT";

  private final List<String> types;

  private BinaryPayloads(List<String> types) {
    this.types = types;
  }

  /** The binary media types of a deployed RestApi ({@code binaryMediaTypes}; none: nothing is binary). */
  static BinaryPayloads of(JsonObject restApi) {
    List<String> types = new ArrayList<>();
    JsonArray listed = restApi == null ? null : restApi.getJsonArray("binaryMediaTypes");
    if (listed != null) for (Object t : listed) if (t instanceof String s) types.add(mediaType(s));
    return new BinaryPayloads(types);
  }

  /** Whether a Content-Type (parameters ignored, case-insensitive) is one of the API's binary media types. */
  boolean isBinary(String contentType) {
    if (contentType == null || types.isEmpty()) return false;
    String type = mediaType(contentType);
    int slash = type.indexOf('/');
    for (String listed : types) {
      if (listed.equals(type) || listed.equals("*/*")) return true;
      if (listed.endsWith("/*") && slash > 0 && type.substring(0, slash).equals(listed.substring(0, listed.length() - 2))) return true;
    }
    return false;
  }

  /**
   * Whether the client asks for binary: API Gateway reads only the first media type of the Accept
   * header (the guide's "Important" note).
   */
  boolean acceptsBinary(String accept) {
    if (accept == null || accept.isBlank()) return false;
    int comma = accept.indexOf(',');
    return isBinary(comma < 0 ? accept : accept.substring(0, comma));
  }

  /**
   * The integration request's payload as the request table of "Content type conversions" says: a
   * binary request (its Content-Type a binary media type) is base64-encoded by CONVERT_TO_TEXT, a
   * text one base64-decoded by CONVERT_TO_BINARY; otherwise the payload passes as it is.
   *
   * @throws IllegalArgumentException a text payload that CONVERT_TO_BINARY cannot decode
   */
  byte[] integrationRequest(byte[] body, String contentType, String contentHandling) {
    boolean binary = isBinary(contentType);
    if (binary && TO_TEXT.equals(contentHandling)) return Base64.getEncoder().encode(body);
    if (!binary && TO_BINARY.equals(contentHandling)) return decode(body);
    return body;
  }

  /**
   * The method response's payload for a text integration answer (the response table): base64-decoded
   * by CONVERT_TO_BINARY, and without a contentHandling when the Accept header's first type is
   * binary; as it is otherwise.
   *
   * @throws IllegalArgumentException a payload that is to be decoded but is not base64
   */
  byte[] methodResponse(byte[] body, String accept, String contentHandling) {
    if (TO_BINARY.equals(contentHandling) || contentHandling == null && acceptsBinary(accept)) return decode(body);
    return body;
  }

  /**
   * Whether a Lambda proxy answer with {@code isBase64Encoded: true} reaches the client decoded: when
   * the request's Accept or the answer's Content-Type is a binary media type; else the client gets
   * the base64 text the function returned.
   */
  boolean decodesProxyAnswer(String accept, String answerContentType) {
    return acceptsBinary(accept) || isBinary(answerContentType);
  }

  private static byte[] decode(byte[] text) {
    return Base64.getDecoder().decode(new String(text, StandardCharsets.ISO_8859_1).replaceAll("\\s", ""));
  }

  private static String mediaType(String value) {
    int semicolon = value.indexOf(';');
    return (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }
}
