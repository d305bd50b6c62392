package io.eventplane.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Event-bus addresses and the codecs of the request/reply family. {@link #register} runs once per
 * node; locally messages pass by reference, across the cluster as JSON.
 */
public final class Contracts {
  /** The SQS queue service. */
  public static final String SQS = "eventplane.sqs";
  /** The SNS topic service. */
  public static final String SNS = "eventplane.sns";
  /** The Lambda function service. */
  public static final String LAMBDA = "eventplane.lambda";
  /** The CloudWatch Logs service (the log streams of function instances). */
  public static final String LOGS = "eventplane.logs";
  /** The S3 object storage service (metadata; bodies stream through the node's BlobStore). */
  public static final String S3 = "eventplane.s3";
  /** The IAM role service. */
  public static final String IAM = "eventplane.iam";
  /** The node's own operator surface (cluster membership), always answered by the local node. */
  public static final String ADMIN = "eventplane.admin";

  private Contracts() {}

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(ApiRequest.class, new JsonCodec<>("eventplane.ApiRequest", ApiRequest::toJson, ApiRequest::fromJson));
    bus.registerDefaultCodec(ApiReply.class, new JsonCodec<>("eventplane.ApiReply", ApiReply::toJson, ApiReply::fromJson));
  }

  private static final class JsonCodec<T> implements MessageCodec<T, T> {
    private final String name;
    private final Function<T, JsonObject> encode;
    private final Function<JsonObject, T> decode;

    JsonCodec(String name, Function<T, JsonObject> encode, Function<JsonObject, T> decode) {
      this.name = name;
      this.encode = encode;
      this.decode = decode;
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
      Buffer json = encode.apply(value).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      int len = buffer.getInt(pos);
      return decode.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + len)));
    }

    @Override
    public T transform(T value) {
      return value;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
