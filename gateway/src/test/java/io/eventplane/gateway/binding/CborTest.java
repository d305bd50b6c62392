package io.eventplane.gateway.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CBOR translation on its own: what a service sees of a CBOR request, and what a CBOR client gets. */
class CborTest {
  private static final CBORFactory FACTORY = new CBORFactory();
  private static final CborMembers KINESIS_LIKE = new CborMembers(Set.of("Data"),
      Set.of("ApproximateArrivalTimestamp", "StreamCreationTimestamp"));
  /** 0x00 0xff 0x80 0xc3: no UTF-8. */
  private static final byte[] NOT_UTF8 = {0, (byte) 0xff, (byte) 0x80, (byte) 0xc3};

  private interface Writer {
    void write(CBORGenerator generator) throws IOException;
  }

  private static Buffer cbor(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CBORGenerator generator = FACTORY.createGenerator(bytes)) {
      writer.write(generator);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  private static Buffer hex(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  private static String code(Buffer body) {
    try {
      Cbor.input(body);
    } catch (ServiceException e) {
      return e.error().code();
    }
    return "none";
  }

  @Test
  void byteStringsBecomeBase64AndEpochMillisBecomeTheJsonProtocolsSeconds() throws IOException {
    JsonObject input = Cbor.input(cbor(g -> {
      g.writeStartObject();
      g.writeStringField("StreamName", "orders");
      g.writeFieldName("Data");
      g.writeBinary(NOT_UTF8);
      g.writeFieldName("Timestamp");
      g.writeTag(1);
      g.writeNumber(1_700_000_000_123L);
      g.writeFieldName("Whole");
      g.writeTag(1);
      g.writeNumber(1_700_000_000_000L);
      g.writeFieldName("Fraction");
      g.writeTag(1);
      g.writeNumber(1_700_000_000_123.5);
      g.writeEndObject();
    }));
    assertThat(input.getString("StreamName")).isEqualTo("orders");
    assertThat(input.getString("Data")).isEqualTo(Base64.getEncoder().encodeToString(NOT_UTF8)).isEqualTo("AP+Aww==");
    // What the JSON decoder gives for 1700000000.123 and 1700000000: the service sees the same types.
    assertThat(input.getValue("Timestamp")).isEqualTo(1_700_000_000.123);
    assertThat(input.getValue("Whole")).isEqualTo(1_700_000_000);
    assertThat(input.getValue("Fraction")).isEqualTo(1_700_000_000.1235);
    assertThat(input).isEqualTo(JsonBinding.input(Buffer.buffer(
        "{\"StreamName\":\"orders\",\"Data\":\"AP+Aww==\",\"Timestamp\":1700000000.123,\"Whole\":1700000000,"
            + "\"Fraction\":1700000000.1235}")));
  }

  @Test
  void nestedListsOfRecordsKeepTheirBlobs() throws IOException {
    JsonObject input = Cbor.input(cbor(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("Records");
      for (byte[] data : new byte[][] {NOT_UTF8, new byte[0]}) {
        g.writeStartObject();
        g.writeFieldName("Data");
        g.writeBinary(data);
        g.writeStringField("PartitionKey", "k");
        g.writeArrayFieldStart("Nested");
        g.writeStartArray();
        g.writeNumber(1);
        g.writeBoolean(true);
        g.writeNull();
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
    assertThat(input).isEqualTo(new JsonObject().put("Records", new JsonArray()
        .add(new JsonObject().put("Data", "AP+Aww==").put("PartitionKey", "k")
            .put("Nested", new JsonArray().add(new JsonArray().add(1).add(true).addNull())))
        .add(new JsonObject().put("Data", "").put("PartitionKey", "k")
            .put("Nested", new JsonArray().add(new JsonArray().add(1).add(true).addNull())))));
  }

  @Test
  void integersOfEverySizeAreThemselves() {
    // {"i": 1, "n": -1, "l": 2^32, "max": Long.MAX_VALUE, "big": 2^64 (uint64 max + 1, tag 2), "neg": -2^64 (major 1)}
    JsonObject input = Cbor.input(hex("a6 61 69 01 61 6e 20 61 6c 1b 0000000100000000"
        + " 63 6d6178 1b 7fffffffffffffff 63 626967 c2 49 010000000000000000 63 6e6567 3b ffffffffffffffff"));
    assertThat(input.getValue("i")).isEqualTo(1);
    assertThat(input.getValue("n")).isEqualTo(-1);
    assertThat(input.getValue("l")).isEqualTo(4_294_967_296L);
    assertThat(input.getValue("max")).isEqualTo(Long.MAX_VALUE);
    assertThat(input.getValue("big")).isEqualTo(BigInteger.TWO.pow(64));
    assertThat(input.getValue("neg")).isEqualTo(BigInteger.TWO.pow(64).negate());
  }

  @Test
  void halfSingleAndDoublePrecisionFloatsAreDoubles() {
    // {"h": 1.5 (half), "s": 0.25 (single), "d": 0.1 (double), "hn": -2.0 (half)}
    JsonObject input = Cbor.input(hex("a4 61 68 f9 3e00 61 73 fa 3e800000 61 64 fb 3fb999999999999a 62 686e f9 c000"));
    assertThat(input.getValue("h")).isEqualTo(1.5);
    assertThat(input.getValue("s")).isEqualTo(0.25);
    assertThat(input.getValue("d")).isEqualTo(0.1);
    assertThat(input.getValue("hn")).isEqualTo(-2.0);
  }

  @Test
  void indefiniteLengthItemsAreAccepted() {
    // {_ "Data": (_ h'0102', h'03'), "List": [_ 1, [_ ]], "Text": (_ "ab", "c"), "Map": {_ "k": "v"}}
    JsonObject input = Cbor.input(hex("bf 64 44617461 5f 42 0102 41 03 ff 64 4c697374 9f 01 9f ff ff"
        + " 64 54657874 7f 62 6162 61 63 ff 63 4d6170 bf 61 6b 61 76 ff ff"));
    assertThat(input).isEqualTo(new JsonObject().put("Data", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
        .put("List", new JsonArray().add(1).add(new JsonArray())).put("Text", "abc").put("Map", new JsonObject().put("k", "v")));
  }

  @Test
  void anEmptyBodyIsAnEmptyInput() {
    assertThat(Cbor.input(Buffer.buffer())).isEqualTo(new JsonObject());
  }

  @Test
  void anythingButOneMapIsASerializationException() {
    String[] bodies = {
        "83 01 02 03",        // an array
        "63 616263",          // text
        "01",                 // an integer
        "a2 61 61 01",        // a map that ends early
        "a1 61 61 01 00",     // a map and then more
        "bf 61 61 01",        // an indefinite map without its break
        "ff",                 // a break of nothing
        "7b22",               // JSON, not CBOR
    };
    for (String body : bodies) assertThat(code(hex(body))).as(body).isEqualTo("SerializationException");
    assertThatThrownBy(() -> Cbor.input(Buffer.buffer("{\"StreamName\":\"a\"}")))
        .isInstanceOf(ServiceException.class).hasMessageContaining("SerializationException");
  }

  @Test
  void namedMembersGoOutAsByteStringsAndTaggedIntegerMillis() throws IOException {
    JsonObject output = new JsonObject()
        .put("Records", new JsonArray()
            .add(new JsonObject().put("Data", "AP+Aww==").put("ApproximateArrivalTimestamp", 1_700_000_000.123)
                .put("SequenceNumber", "49590338271490256608559692538361571095921575989136588898"))
            .add(new JsonObject().put("Data", "").put("ApproximateArrivalTimestamp", 1_700_000_001)))
        .put("MillisBehindLatest", 0)
        .put("StreamCreationTimestamp", 1.7e9)
        .put("NextShardIterator", "it");
    byte[] bytes = Cbor.output(output, KINESIS_LIKE);
    try (CBORParser p = FACTORY.createParser(bytes)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("Records");
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("Data");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_EMBEDDED_OBJECT);
      assertThat(p.getBinaryValue()).isEqualTo(NOT_UTF8);
      assertTimestamp(p, "ApproximateArrivalTimestamp", 1_700_000_000_123L);
      assertThat(p.nextFieldName()).isEqualTo("SequenceNumber");
      assertThat(p.nextTextValue()).isEqualTo("49590338271490256608559692538361571095921575989136588898");
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("Data");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_EMBEDDED_OBJECT);
      assertThat(p.getBinaryValue()).isEmpty();
      assertTimestamp(p, "ApproximateArrivalTimestamp", 1_700_000_001_000L);
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_ARRAY);
      assertThat(p.nextFieldName()).isEqualTo("MillisBehindLatest");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      assertThat(p.getCurrentTag()).isEqualTo(-1);
      assertTimestamp(p, "StreamCreationTimestamp", 1_700_000_000_000L);
      assertThat(p.nextFieldName()).isEqualTo("NextShardIterator");
      assertThat(p.nextTextValue()).isEqualTo("it");
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isNull();
    }
    // On the wire: tag 1 (0xc1), then an unsigned integer of 8 bytes (0x1b), never a float (0xfb).
    assertThat(HexFormat.of().formatHex(bytes)).contains("c11b" + "%016x".formatted(1_700_000_000_123L));
  }

  private static void assertTimestamp(CBORParser p, String name, long millis) throws IOException {
    assertThat(p.nextFieldName()).isEqualTo(name);
    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
    assertThat(p.getCurrentTag()).isEqualTo(1);
    assertThat(p.getLongValue()).isEqualTo(millis);
  }

  @Test
  void otherValuesRoundTripAsThemselves() {
    JsonObject output = new JsonObject().put("s", "t\u00e9xt \uD83D\uDE00").put("t", true).put("f", false).putNull("n")
        .put("i", 7).put("l", 1L << 40).put("big", BigInteger.TWO.pow(70)).put("d", 2.5)
        .put("o", new JsonObject().put("a", new JsonArray().add("x").add(new JsonObject())))
        // Not a member CBOR types apart: stays the base64 text JSON has.
        .put("Other", "AP+Aww==").put("Empty", new JsonArray());
    assertThat(Cbor.input(Buffer.buffer(Cbor.output(output, KINESIS_LIKE)))).isEqualTo(output);
  }

  @Test
  void theContentTypeIsToldApart() {
    assertThat(Cbor.isCbor("application/x-amz-cbor-1.1")).isTrue();
    assertThat(Cbor.isCbor("application/X-Amz-Cbor-1.1; charset=utf-8")).isTrue();
    assertThat(Cbor.isCbor("application/x-amz-json-1.1")).isFalse();
    assertThat(Cbor.isCbor(null)).isFalse();
  }

  @Test
  void aBindingWithoutCborTakesAndAnswersJsonOnlyAsBefore() throws IOException {
    JsonBinding jsonOnly = new JsonBinding("test", "Test_1.", "test", Set.of("Put"), "application/x-amz-json-1.1",
        io.eventplane.gateway.error.ErrorTable.builder("").build(), false, java.util.Map.of());
    Buffer body = cbor(g -> {
      g.writeStartObject();
      g.writeStringField("Name", "a");
      g.writeEndObject();
    });
    assertThat(jsonOnly.speaksCbor(Cbor.CONTENT_TYPE)).isFalse();
    assertThatThrownBy(() -> jsonOnly.input(body, Cbor.CONTENT_TYPE)).isInstanceOf(ServiceException.class)
        .hasMessageContaining("SerializationException");
    JsonObject output = new JsonObject().put("Data", "AP+Aww==");
    assertThat(jsonOnly.success(output, "r", Cbor.CONTENT_TYPE)).isEqualTo(jsonOnly.success(output, "r"));

    JsonBinding withCbor = jsonOnly.withCbor(KINESIS_LIKE);
    assertThat(withCbor.input(body, Cbor.CONTENT_TYPE)).isEqualTo(new JsonObject().put("Name", "a"));
    assertThat(withCbor.success(output, "r", "application/x-amz-json-1.1")).isEqualTo(jsonOnly.success(output, "r"));
    var answer = withCbor.success(output, "r", Cbor.CONTENT_TYPE);
    assertThat(answer.contentType()).isEqualTo(Cbor.CONTENT_TYPE);
    assertThat(answer.headers()).containsEntry("x-amzn-RequestId", "r");
    assertThat(answer.binary()).isEqualTo(HexFormat.of().parseHex("a1 64 44617461 44 00ff80c3".replace(" ", "")));
  }

  @Test
  void noBodyIsAnythingWorseThanASerializationException() {
    java.util.Random random = new java.util.Random(15);
    byte[] valid = Cbor.output(new JsonObject().put("Records", new JsonArray().add(new JsonObject().put("Data", "AP+Aww==")
        .put("ApproximateArrivalTimestamp", 1.5).put("n", 1L << 40).put("f", 0.1))), KINESIS_LIKE);
    for (int i = 0; i < 2_000; i++) {
      byte[] body = valid.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      byte[] cut = java.util.Arrays.copyOf(body, 1 + random.nextInt(body.length));
      for (byte[] candidate : new byte[][] {body, cut}) {
        try {
          Cbor.input(Buffer.buffer(candidate));
        } catch (ServiceException e) {
          assertThat(e.error().code()).isEqualTo("SerializationException");
        }
      }
    }
  }

  @Test
  void smithyRpcV2CarriesTimestampsAsFloatSecondsBothWays() throws IOException {
    // What SDK v2's CloudWatch client writes: tag 1 and a double of epoch seconds, in an indefinite-length map.
    JsonObject input = Cbor.input(cbor(g -> {
      g.writeStartObject();
      g.writeFieldName("StartTime");
      g.writeTag(1);
      g.writeNumber(1700000000.123);
      g.writeEndObject();
    }), true);
    assertThat(input.getValue("StartTime")).isEqualTo(1700000000.123);
    CborMembers rpcV2 = CborMembers.rpcV2(Set.of(), Set.of("Timestamp"));
    byte[] out = Cbor.output(new JsonObject().put("Timestamp", 1700000040), rpcV2);
    try (CBORParser p = FACTORY.createParser(out)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("Timestamp");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_FLOAT);
      assertThat(p.getCurrentTag()).isEqualTo(1);
      assertThat(p.getDoubleValue()).isEqualTo(1700000040.0);
    }
    assertThat(Cbor.isRpcV2("application/cbor")).isTrue();
    assertThat(Cbor.rpcV2Target("/service/GraniteServiceVersion20100801/operation/ListMetrics"))
        .isEqualTo("GraniteServiceVersion20100801.ListMetrics");
    assertThat(Cbor.rpcV2Target("/service/X/operation/")).isNull();
    assertThat(Cbor.rpcV2Target("/bucket/key")).isNull();
  }
}
