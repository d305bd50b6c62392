package io.eventplane.common.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.wire.Frames;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BusCodecTest {
  private static final RequestContext CONTEXT =
      new RequestContext("000000000000", "eu-west-1", "req-ü-1", "http://127.0.0.1:4566");
  private static final ApiRequest REQUEST = new ApiRequest("SendMessage",
      new JsonObject().put("QueueUrl", "http://q/000000000000/a").put("MessageBody", "héllo")
          .put("Attrs", new JsonArray().add(1).add(true)), CONTEXT);

  /** Encoded behind a few bytes of something else, as Vert.x embeds a body in its message frame. */
  private static <T> Buffer encode(BusCodec<T> codec, T value) {
    Buffer b = Buffer.buffer().appendString("head");
    codec.encodeToWire(b, value);
    return b;
  }

  @Test
  void requestRoundTrips() {
    ApiRequest back = BusCodec.REQUEST.decodeFromWire(4, encode(BusCodec.REQUEST, REQUEST));
    assertThat(back).isEqualTo(REQUEST);
  }

  @Test
  void theVerifiedCallerTravelsWithTheRequest() {
    ApiRequest signed = new ApiRequest("GetCallerIdentity", new JsonObject(), CONTEXT.withCaller(
        new Caller("arn:aws:sts::000000000000:assumed-role/r/s", "AROAEXAMPLE:s", "ASIAEXAMPLE")));
    ApiRequest back = BusCodec.REQUEST.decodeFromWire(4, encode(BusCodec.REQUEST, signed));
    assertThat(back).isEqualTo(signed);
    assertThat(back.context().caller().temporary()).isTrue();
  }

  @Test
  void replyRoundTripsOutputAndErrors() {
    ApiReply ok = ApiReply.ok(new JsonObject().put("MessageId", "m-1").put("n", 3));
    ApiReply plain = ApiReply.failed(new ServiceError("QueueDoesNotExist", "no such queue", Fault.SENDER));
    ApiReply detailed = ApiReply.failed(new ServiceError("TooManyRequestsException", "", Fault.RECEIVER,
        new JsonObject().put("Reason", "ConcurrentInvocationLimitExceeded")));
    for (ApiReply r : new ApiReply[] {ok, plain, detailed}) {
      assertThat(BusCodec.REPLY.decodeFromWire(4, encode(BusCodec.REPLY, r))).isEqualTo(r);
    }
  }

  @Test
  void localMessagesPassByReference() {
    assertThat(BusCodec.REQUEST.transform(REQUEST)).isSameAs(REQUEST);
  }

  @Test
  void anUnknownVersionIsRefusedWithAClearMessage() {
    Buffer b = encode(BusCodec.REQUEST, REQUEST);
    b.setByte(4, (byte) (Frames.VERSION + 1));
    assertThatThrownBy(() -> BusCodec.REQUEST.decodeFromWire(4, b))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("eventplane.ApiRequest: wire format version " + (Frames.VERSION + 1) + " is not supported");
  }

  @Test
  void theJsonFrameOfEarlierBuildsIsRefused() {
    Buffer json = new JsonObject().put("operation", "SendMessage").toBuffer();
    Buffer old = Buffer.buffer().appendInt(json.length()).appendBuffer(json);
    assertThatThrownBy(() -> BusCodec.REQUEST.decodeFromWire(0, old))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("version 0 is not supported");
  }

  @Test
  void everyTruncationIsRefused() {
    Buffer whole = encode(BusCodec.REQUEST, REQUEST);
    for (int cut = 5; cut < whole.length(); cut++) {
      Buffer part = whole.getBuffer(0, cut);
      assertThatThrownBy(() -> BusCodec.REQUEST.decodeFromWire(4, part)).isInstanceOf(WireFormatException.class);
    }
    Buffer reply = encode(BusCodec.REPLY, ApiReply.failed(ServiceError.unavailable("later")));
    for (int cut = 5; cut < reply.length(); cut++) {
      Buffer part = reply.getBuffer(0, cut);
      assertThatThrownBy(() -> BusCodec.REPLY.decodeFromWire(4, part)).isInstanceOf(WireFormatException.class);
    }
  }

  @Test
  void garbledFramesAreRefused() {
    // a JSON block that is not JSON
    Buffer b = Buffer.buffer();
    int at = Frames.start(b);
    b.appendByte((byte) 0);
    Frames.appendBlock(b, Buffer.buffer("{not json"));
    Frames.finish(b, at);
    assertThatThrownBy(() -> BusCodec.REPLY.decodeFromWire(0, b))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("JSON block that does not parse");

    // an unknown reply kind
    Buffer k = Buffer.buffer();
    at = Frames.start(k);
    k.appendByte((byte) 7);
    Frames.finish(k, at);
    assertThatThrownBy(() -> BusCodec.REPLY.decodeFromWire(0, k))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown reply kind 7");

    // a string length past the end of the frame
    Buffer s = encode(BusCodec.REQUEST, REQUEST);
    s.setUnsignedShort(4 + 5, 60_000);
    assertThatThrownBy(() -> BusCodec.REQUEST.decodeFromWire(4, s)).isInstanceOf(WireFormatException.class);

    // a frame that claims to be longer than the buffer
    Buffer l = encode(BusCodec.REQUEST, REQUEST);
    l.setInt(4 + 1, Integer.MAX_VALUE);
    assertThatThrownBy(() -> BusCodec.REQUEST.decodeFromWire(4, l)).isInstanceOf(WireFormatException.class);
  }
}
