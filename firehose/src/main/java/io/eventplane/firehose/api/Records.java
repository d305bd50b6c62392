package io.eventplane.firehose.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.firehose.delivery.StreamSources;
import io.eventplane.firehose.domain.FirehoseErrors;
import io.eventplane.firehose.domain.StreamTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PutRecord and PutRecordBatch: the records of a call are written to their stream's buffer in one
 * batch through the partition's writer (replicated when clustered) and acknowledged only once it
 * is committed; then the delivery is told, in case the buffer reached its size. A call's records
 * are all taken or the call fails, so a batch's FailedPutCount is 0 whenever it answers. Used only
 * on the lane's context.
 */
public final class Records {
  /** The largest record, before base64 (the model's 1,024,000 bytes, AWS's "1,000 KiB"). */
  static final int MAX_RECORD = 1_024_000;
  /** The most data a PutRecordBatch takes, before base64 (4 MiB). */
  static final int MAX_BATCH = 4 * 1024 * 1024;
  private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final StreamTable table;
  private final Context context;
  private final Clock clock;
  private final java.util.function.Consumer<StreamTable.Entry> buffered;

  /** @param buffered told (on the lane's context) of a stream that buffered more records */
  public Records(StreamTable table, Context context, Clock clock, java.util.function.Consumer<StreamTable.Entry> buffered) {
    this.table = table;
    this.context = context;
    this.clock = clock;
    this.buffered = buffered;
  }

  public Future<JsonObject> putRecord(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    JsonObject record = v.object(in, "Record", "record");
    v.required(record, "record");
    byte[] data = record == null ? null : data(v, record, "record.data");
    v.check();
    return put(request, name, List.of(data)).map(ids -> new JsonObject().put("RecordId", ids.get(0))
        .put("Encrypted", encrypted(request, name)));
  }

  public Future<JsonObject> putRecordBatch(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.streamName(in);
    JsonArray records = v.requiredList(in, "Records", "records", 1, 500);
    List<byte[]> data = new ArrayList<>();
    long total = 0;
    if (records != null) {
      for (int i = 0; i < records.size(); i++) {
        String at = "records." + (i + 1) + ".member";
        JsonObject r = records.getValue(i) instanceof JsonObject o ? o : null;
        if (r == null) {
          v.required(null, at);
          continue;
        }
        byte[] d = data(v, r, at + ".data");
        if (d != null) total += d.length;
        data.add(d);
      }
    }
    v.check();
    if (total > MAX_BATCH) {
      throw FirehoseErrors.invalidArgument("Records size exceeds 4 MB limit");
    }
    return put(request, name, data).map(ids -> {
      JsonArray responses = new JsonArray();
      for (String id : ids) responses.add(new JsonObject().put("RecordId", id));
      return new JsonObject().put("FailedPutCount", 0).put("Encrypted", encrypted(request, name)).put("RequestResponses", responses);
    });
  }

  private Future<List<String>> put(ApiRequest request, String name, List<byte[]> data) {
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = FirehosePartitions.of(account, region);
    StreamTable.Entry e = table.get(partition, account, region, name);
    if (e == null) throw FirehoseErrors.notFound(name, account);
    if (StreamSources.TYPE.equals(e.stream().getString("Type"))) {
      throw FirehoseErrors.invalidArgument("This operation is not permitted on KinesisStreamAsSource delivery stream type.");
    }
    long now = clock.millis();
    long first = table.reserve(e, data.size());
    Batch b = table.store().batch();
    long bytes = 0;
    List<String> ids = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      table.store().putRecord(b, partition, account, region, name, first + i, now, data.get(i));
      bytes += data.get(i).length;
      ids.add(recordId());
    }
    long total = bytes;
    return table.store().commit(partition, b, context).map(x -> {
      StreamTable.Entry still = table.get(partition, account, region, name);
      if (still == e) {
        table.buffered(e, data.size(), total, now);
        buffered.accept(e);
      }
      return ids;
    });
  }

  private boolean encrypted(ApiRequest request, String name) {
    StreamTable.Entry e = table.get(FirehosePartitions.of(request), request.context().accountId(), request.context().region(), name);
    return e != null && "ENABLED".equals(e.stream().getJsonObject("Encryption", new JsonObject()).getString("Status"));
  }

  /** A record's Data: required, base64, at most {@value #MAX_RECORD} bytes decoded. */
  private static byte[] data(Validation v, JsonObject record, String path) {
    String b64 = v.string(record, "Data", path);
    v.required(b64, path);
    if (b64 == null) return null;
    byte[] data;
    try {
      data = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError.sender("SerializationException",
          "Base64 encoded data is not valid at '" + path + "'"));
    }
    if (data.length > MAX_RECORD) {
      v.add("Value at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to " + MAX_RECORD);
    }
    return data;
  }

  /** A record id as AWS hands them out: an opaque string of base64 characters (unique, not secret). */
  private static String recordId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(224);
    for (int i = 0; i < 224; i++) id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    return id.toString();
  }
}
