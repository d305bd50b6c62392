package io.eventplane.common.bus;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.wire.Frames;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The binary frames of {@link ApiRequest} and {@link ApiReply} between nodes (see {@link Frames}
 * for the version byte and length). Names and ids are length-prefixed UTF-8; the AWS input and
 * output stay JSON text in one block, parsed once on arrival: that is the shape the services read,
 * and re-encoding it field by field would only move the cost. Locally a message passes by
 * reference ({@link #transform}); nothing is encoded.
 *
 * <p>Decoding a frame this node cannot read throws {@link WireFormatException}; Vert.x decodes a
 * clustered message's body lazily, in {@code Message.body()}, so the receiver catches it there and
 * answers with a clear failure instead of misreading the request.
 */
abstract class BusCodec<T> implements MessageCodec<T, T> {
  private static final byte OK = 0;
  private static final byte ERROR = 1;

  private final String name;

  private BusCodec(String name) {
    this.name = name;
  }

  abstract void write(Buffer b, T value);

  abstract T read(Frames.Reader r);

  @Override
  public final void encodeToWire(Buffer buffer, T value) {
    int at = Frames.start(buffer);
    write(buffer, value);
    Frames.finish(buffer, at);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    Frames.Reader r = Frames.read(buffer, pos, name);
    T value = read(r);
    r.end();
    return value;
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }

  static JsonObject json(Frames.Reader r) {
    Buffer block = r.readBlock();
    try {
      return new JsonObject(block);
    } catch (RuntimeException e) {
      throw r.garbled("a JSON block that does not parse");
    }
  }

  static final BusCodec<ApiRequest> REQUEST = new BusCodec<>("eventplane.ApiRequest") {
    @Override
    void write(Buffer b, ApiRequest request) {
      RequestContext c = request.context();
      Frames.appendShortString(b, request.operation());
      Frames.appendShortString(b, c.accountId());
      Frames.appendShortString(b, c.region());
      Frames.appendShortString(b, c.requestId());
      Frames.appendShortString(b, c.baseUrl());
      Caller caller = c.caller();
      if (caller == null) {
        b.appendByte((byte) 0);
      } else {
        b.appendByte((byte) 1);
        Frames.appendShortString(b, caller.arn());
        Frames.appendShortString(b, caller.userId());
        Frames.appendShortString(b, caller.accessKeyId());
      }
      Frames.appendBlock(b, request.input().toBuffer());
    }

    @Override
    ApiRequest read(Frames.Reader r) {
      String operation = r.readShortString();
      String account = r.readShortString();
      String region = r.readShortString();
      String requestId = r.readShortString();
      String baseUrl = r.readShortString();
      byte hasCaller = r.readByte();
      if (hasCaller != 0 && hasCaller != 1) throw r.garbled("unknown caller flag " + hasCaller);
      Caller caller = hasCaller == 0 ? null : new Caller(r.readShortString(), r.readShortString(), r.readShortString());
      RequestContext context = new RequestContext(account, region, requestId, baseUrl, caller);
      return new ApiRequest(operation, json(r), context);
    }
  };

  static final BusCodec<ApiReply> REPLY = new BusCodec<>("eventplane.ApiReply") {
    @Override
    void write(Buffer b, ApiReply reply) {
      if (reply.succeeded()) {
        Frames.appendBlock(b.appendByte(OK), reply.output().toBuffer());
        return;
      }
      ServiceError e = reply.error();
      b.appendByte(ERROR).appendByte((byte) e.fault().ordinal());
      Frames.appendShortString(b, e.code());
      Frames.appendString(b, e.message());
      Frames.appendBlock(b, e.details() == null ? Buffer.buffer() : e.details().toBuffer());
    }

    @Override
    ApiReply read(Frames.Reader r) {
      byte kind = r.readByte();
      if (kind == OK) return ApiReply.ok(json(r));
      if (kind != ERROR) throw r.garbled("unknown reply kind " + kind);
      int fault = r.readByte();
      if (fault < 0 || fault >= Fault.values().length) throw r.garbled("unknown fault " + fault);
      String code = r.readShortString();
      String message = r.readString();
      Buffer details = r.readBlock();
      JsonObject d;
      try {
        d = details.length() == 0 ? null : new JsonObject(details);
      } catch (RuntimeException ex) {
        throw r.garbled("error details that do not parse");
      }
      return ApiReply.failed(new ServiceError(code, message, Fault.values()[fault], d));
    }
  };
}
