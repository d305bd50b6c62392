package io.eventplane.gateway.binding;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.error.GatewayErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AWS's CBOR ({@code application/x-amz-cbor-1.1}, what SDK v2 and the KCL send to Kinesis)
 * translated to and from the JSON a service sees over AWS JSON 1.1, so that a service never knows
 * which of the two a client spoke.
 *
 * <p>In: a byte string becomes its base64 string, tag 1 (epoch milliseconds, as the SDKs write
 * timestamps in CBOR) becomes epoch seconds as the JSON protocol's number; everything else is
 * itself. Out: the members {@link CborMembers} names become a byte string and tag 1 with an
 * integer of milliseconds (the SDKs and the KCL read a float there 1000x off, or not at all).
 * Thread-safe: the factory is immutable once built.
 */
public final class Cbor {
  public static final String CONTENT_TYPE = "application/x-amz-cbor-1.1";
  /** Smithy RPC v2 CBOR's Content-Type (what SDK v2 2.57's CloudWatch client sends). */
  public static final String RPC_V2_CONTENT_TYPE = "application/cbor";
  /** The header that names Smithy RPC v2 CBOR on requests and answers. */
  public static final String SMITHY_PROTOCOL = "smithy-protocol";
  public static final String RPC_V2_CBOR = "rpc-v2-cbor";
  /** RFC 8949 tag 1: epoch-based date/time, in AWS's use milliseconds. */
  private static final int EPOCH_TAG = 1;
  private static final CBORFactory FACTORY = new CBORFactory();

  private Cbor() {}

  /**
   * The {@code X-Amz-Target} a Smithy RPC v2 request's path stands for
   * ({@code /service/GraniteServiceVersion20100801/operation/PutMetricData} is CloudWatch's {@code GraniteServiceVersion20100801.PutMetricData}),
   * or null for a path of no such form.
   */
  public static String rpcV2Target(String path) {
    String prefix = "/service/";
    if (path == null || !path.startsWith(prefix)) return null;
    int slash = path.indexOf("/operation/", prefix.length());
    if (slash < 0) return null;
    String service = path.substring(prefix.length(), slash);
    String operation = path.substring(slash + "/operation/".length());
    if (service.isEmpty() || operation.isEmpty() || operation.contains("/")) return null;
    return service + "." + operation;
  }

  /** Whether a request's Content-Type is Smithy RPC v2 CBOR's. */
  public static boolean isRpcV2(String contentType) {
    return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(RPC_V2_CONTENT_TYPE);
  }

  /** Whether a request's Content-Type is AWS CBOR. */
  public static boolean isCbor(String contentType) {
    return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE);
  }

  /**
   * The JSON input a CBOR body stands for, {@code {}} for an empty body; anything but one CBOR map
   * is the SerializationException a malformed JSON body gets.
   */
  public static JsonObject input(Buffer body) {
    return input(body, false);
  }

  /**
   * As {@link #input(Buffer)}; with {@code rpcV2} (Smithy RPC v2 CBOR) tag 1 carries epoch seconds
   * (the SDKs write a float), passed on as the JSON protocol's number of seconds.
   */
  public static JsonObject input(Buffer body, boolean rpcV2) {
    if (body.length() == 0) return new JsonObject();
    try (CBORParser parser = FACTORY.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ServiceException(GatewayErrors.unparsableJson("the body is not an object"));
      }
      JsonObject input = readObject(parser, rpcV2);
      if (parser.nextToken() != null) throw new ServiceException(GatewayErrors.unparsableJson("malformed CBOR"));
      return input;
    } catch (ServiceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Whatever a body does to the parser (a bad length, a number out of range), it is the client's.
      throw new ServiceException(GatewayErrors.unparsableJson("malformed CBOR"));
    }
  }

  private static JsonObject readObject(CBORParser parser, boolean seconds) throws IOException {
    JsonObject object = new JsonObject();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      if (token != JsonToken.FIELD_NAME) throw new IOException("a map key is missing");
      String name = parser.currentName();
      object.put(name, readValue(parser, parser.nextToken(), seconds));
    }
    return object;
  }

  private static Object readValue(CBORParser parser, JsonToken token, boolean seconds) throws IOException {
    if (token == null) throw new IOException("the body ends inside a value");
    return switch (token) {
      case START_OBJECT -> readObject(parser, seconds);
      case START_ARRAY -> {
        JsonArray array = new JsonArray();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
          array.add(readValue(parser, item, seconds));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_EMBEDDED_OBJECT -> Base64.getEncoder().encodeToString(parser.getBinaryValue());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getCurrentTag() == EPOCH_TAG
          ? epochSeconds(seconds ? parser.getDecimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP) : parser.getDecimalValue())
          : number(parser);
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token);
    };
  }

  private static Object number(CBORParser parser) throws IOException {
    return switch (parser.getNumberType()) {
      case INT -> parser.getIntValue();
      case LONG -> parser.getLongValue();
      case BIG_INTEGER -> parser.getBigIntegerValue();
      case BIG_DECIMAL -> parser.getDecimalValue();
      case FLOAT, DOUBLE -> parser.getDoubleValue();
    };
  }

  /**
   * Milliseconds as the number the JSON protocol would have carried (whole seconds an integer,
   * else a fraction), decoded by the same JSON decoder so that the service sees the same Java type.
   */
  private static Object epochSeconds(BigDecimal millis) {
    BigDecimal seconds = millis.movePointLeft(3).stripTrailingZeros();
    return Json.decodeValue(seconds.scale() < 0 ? seconds.setScale(0).toPlainString() : seconds.toPlainString());
  }

  /** A service's JSON output (or error) as CBOR, the named members in their CBOR types. */
  public static byte[] output(JsonObject output, CborMembers members) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CBORGenerator generator = FACTORY.createGenerator(bytes)) {
      writeObject(generator, output.getMap(), members);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a CBOR answer", e);
    }
    return bytes.toByteArray();
  }

  private static void writeObject(CBORGenerator generator, Map<String, Object> object, CborMembers members)
      throws IOException {
    generator.writeStartObject(object, object.size());
    for (Map.Entry<String, Object> member : object.entrySet()) {
      generator.writeFieldName(member.getKey());
      writeValue(generator, member.getKey(), member.getValue(), members);
    }
    generator.writeEndObject();
  }

  /** @param name the member this value is of (for an array's items, the array's) */
  @SuppressWarnings("unchecked")
  private static void writeValue(CBORGenerator generator, String name, Object value, CborMembers members)
      throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (members.blobs().contains(name) && (value instanceof String || value instanceof byte[])) {
      generator.writeBinary(value instanceof String text ? Base64.getDecoder().decode(text) : (byte[]) value);
    } else if (members.rpcV2() && members.timestamps().contains(name) && value instanceof Number seconds) {
      generator.writeTag(EPOCH_TAG);
      generator.writeNumber(seconds.doubleValue());
    } else if (members.timestamps().contains(name) && value instanceof Number seconds) {
      generator.writeTag(EPOCH_TAG);
      generator.writeNumber(new BigDecimal(seconds.toString()).movePointRight(3).setScale(0, RoundingMode.HALF_UP)
          .longValueExact());
    } else if (members.timestamps().contains(name) && value instanceof Instant instant) {
      generator.writeTag(EPOCH_TAG);
      generator.writeNumber(instant.toEpochMilli());
    } else if (value instanceof JsonObject object) {
      writeObject(generator, object.getMap(), members);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(generator, (Map<String, Object>) map, members);
    } else if (value instanceof JsonArray || value instanceof List<?>) {
      List<?> items = value instanceof JsonArray array ? array.getList() : (List<?>) value;
      generator.writeStartArray(items, items.size());
      for (Object item : items) writeValue(generator, name, item, members);
      generator.writeEndArray();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      generator.writeNumber(big);
    } else if (value instanceof BigDecimal decimal) {
      generator.writeNumber(decimal);
    } else if (value instanceof Number number) {
      generator.writeNumber(number.doubleValue());
    } else if (value instanceof byte[] raw) {
      // What the JSON encoder makes of bytes in a member that is no blob: base64 text.
      generator.writeString(Base64.getEncoder().encodeToString(raw));
    } else if (value instanceof Instant instant) {
      generator.writeString(java.time.format.DateTimeFormatter.ISO_INSTANT.format(instant));
    } else {
      throw new IllegalArgumentException("no CBOR form for a " + value.getClass().getName() + " in " + name);
    }
  }
}
