package io.eventplane.functions.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.functions.domain.Alias;
import io.eventplane.functions.domain.Function;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where functions live in the node's store (column family {@value #COLUMN_FAMILY}), every key
 * starting with the function's partition, so that a function's code replicates and fails over
 * with its configuration:
 *
 * <pre>
 *   P F account \0 region \0 name                     -> the function's $LATEST (JSON)
 *   P Z account \0 region \0 name \0 sha256 \0 chunk  -> its deployment package, in chunks of 1 MiB
 *   P e enqueued requestId                  -> an asynchronous invocation not yet done (JSON)
 *   P m uuid                                -> an event source mapping of a function of the partition (JSON)
 *   P k uuid \0 shardId                     -> a stream mapping's checkpoint in one shard (text, see mapping/Checkpoints)
 *   P I account \0 region \0 name           -> the function's event invoke config (JSON)
 *   P P account \0 region \0 name           -> the statements of the function's resource policy (JSON)
 *   P V account \0 region \0 name \0 version -> a published version (JSON, as $LATEST was when published)
 *   P A account \0 region \0 name \0 alias   -> an alias (JSON)
 * </pre>
 *
 * Before functions were regional the keys of {@code f z i p v a} had no region; {@link #migrate}
 * rewrites them when a node starts.
 *
 * A package stays stored while $LATEST or a published version uses it.
 */
public final class FunctionStore {
  public static final String COLUMN_FAMILY = "lambda";
  private static final byte FUNCTION = 'F';
  private static final byte CODE = 'Z';
  private static final byte EVENT = 'e';
  private static final byte MAPPING = 'm';
  private static final byte CHECKPOINT = 'k';
  private static final byte INVOKE_CONFIG = 'I';
  private static final byte POLICY = 'P';
  private static final byte VERSION = 'V';
  private static final byte ALIAS = 'A';
  /** The account-keyed kinds as they were before functions had regions, and what each became. */
  private static final byte[][] LEGACY = {{'f', FUNCTION}, {'z', CODE}, {'i', INVOKE_CONFIG}, {'p', POLICY},
      {'v', VERSION}, {'a', ALIAS}};
  private static final int CHUNK = 1 << 20;

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public FunctionStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (see {@link PartitionWriter}). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putFunction(Batch b, int partition, Function f) {
    b.put(cf, functionKey(partition, f.accountId(), f.region(), f.name()), f.toJson().toBuffer().getBytes());
  }

  public void deleteFunction(Batch b, int partition, Function f) {
    b.delete(cf, functionKey(partition, f.accountId(), f.region(), f.name()));
    b.delete(cf, invokeConfigKey(partition, f.accountId(), f.region(), f.name()));
    b.delete(cf, owned(partition, POLICY, f.accountId(), f.region()).string(f.name()).build());
    b.deletePrefix(cf, codePrefix(partition, f.accountId(), f.region(), f.name()));
    b.deletePrefix(cf, owned(partition, VERSION, f.accountId(), f.region()).part(f.name()).build());
    b.deletePrefix(cf, owned(partition, ALIAS, f.accountId(), f.region()).part(f.name()).build());
  }

  /** Stores a package of the function (packages are kept by digest). */
  public void putCode(Batch b, int partition, String account, String region, String name, String sha256, byte[] zip) {
    b.deletePrefix(cf, Keys.builder(96).bytes(codePrefix(partition, account, region, name)).part(sha256).build());
    int chunks = Math.max(1, (zip.length + CHUNK - 1) / CHUNK);
    for (int i = 0; i < chunks; i++) {
      int from = i * CHUNK;
      int to = Math.min(zip.length, from + CHUNK);
      byte[] part = java.util.Arrays.copyOfRange(zip, from, to);
      b.put(cf, Keys.builder(96).bytes(codePrefix(partition, account, region, name)).part(sha256).u64(i).build(), part);
    }
  }

  /** Deletes a package of the function that nothing uses any more. */
  public void deleteCode(Batch b, int partition, String account, String region, String name, String sha256) {
    b.deletePrefix(cf, Keys.builder(96).bytes(codePrefix(partition, account, region, name)).part(sha256).build());
  }

  public void putVersion(Batch b, int partition, Function version) {
    b.put(cf, versionKey(partition, version.accountId(), version.region(), version.name(), version.version()), version.toJson().toBuffer().getBytes());
  }

  public void deleteVersion(Batch b, int partition, Function version) {
    b.delete(cf, versionKey(partition, version.accountId(), version.region(), version.name(), version.version()));
  }

  /** The partition's published versions. Blocking. */
  public List<Function> loadVersions(int partition) {
    List<Function> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(VERSION).build(), (k, v) -> {
      out.add(Function.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  public void putAlias(Batch b, int partition, Alias alias) {
    b.put(cf, aliasKey(partition, alias.accountId(), alias.region(), alias.functionName(), alias.name()), alias.toJson().toBuffer().getBytes());
  }

  public void deleteAlias(Batch b, int partition, Alias alias) {
    b.delete(cf, aliasKey(partition, alias.accountId(), alias.region(), alias.functionName(), alias.name()));
  }

  /** The partition's aliases. Blocking. */
  public List<Alias> loadAliases(int partition) {
    List<Alias> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(ALIAS).build(), (k, v) -> {
      out.add(Alias.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  /** The stored package of that digest, or null. Blocking. */
  public byte[] readCode(int partition, String account, String region, String name, String sha256) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean[] found = {false};
    store.scan(cf, Keys.builder(96).bytes(codePrefix(partition, account, region, name)).part(sha256).build(), (k, v) -> {
      found[0] = true;
      out.writeBytes(v);
      return true;
    });
    return found[0] ? out.toByteArray() : null;
  }

  /** Every function of a partition. Blocking. */
  public List<Function> load(int partition) {
    List<Function> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(FUNCTION).build(), (k, v) -> {
      out.add(Function.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  public void putEvent(Batch b, int partition, long enqueuedAt, String requestId, JsonObject event) {
    b.put(cf, eventKey(partition, enqueuedAt, requestId), event.toBuffer().getBytes());
  }

  public void deleteEvent(Batch b, int partition, long enqueuedAt, String requestId) {
    b.delete(cf, eventKey(partition, enqueuedAt, requestId));
  }

  /** The partition's asynchronous invocations, oldest first. Blocking. */
  public List<JsonObject> loadEvents(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(EVENT).build(), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /** @param config null deletes it */
  public void putInvokeConfig(Batch b, int partition, String account, String region, String name, JsonObject config) {
    if (config == null) b.delete(cf, invokeConfigKey(partition, account, region, name));
    else b.put(cf, invokeConfigKey(partition, account, region, name), config.toBuffer().getBytes());
  }

  /** The partition's event invoke configs, by {@code account \0 region \0 name}. Blocking. */
  public java.util.Map<String, JsonObject> loadInvokeConfigs(int partition) {
    java.util.Map<String, JsonObject> out = new java.util.HashMap<>();
    byte[] prefix = Keys.builder(4).bytes(Partitions.prefix(partition)).u8(INVOKE_CONFIG).build();
    store.scan(cf, prefix, (k, v) -> {
      out.put(new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8),
          new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /** @param statements null or empty deletes the policy */
  public void putPolicy(Batch b, int partition, String account, String region, String name,
      io.vertx.core.json.JsonArray statements) {
    byte[] key = owned(partition, POLICY, account, region).string(name).build();
    if (statements == null || statements.isEmpty()) b.delete(cf, key);
    else b.put(cf, key, statements.toBuffer().getBytes());
  }

  /** The partition's resource policies, by {@code account \0 region \0 name}. Blocking. */
  public java.util.Map<String, io.vertx.core.json.JsonArray> loadPolicies(int partition) {
    java.util.Map<String, io.vertx.core.json.JsonArray> out = new java.util.HashMap<>();
    byte[] prefix = Keys.builder(4).bytes(Partitions.prefix(partition)).u8(POLICY).build();
    store.scan(cf, prefix, (k, v) -> {
      out.put(new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8),
          new io.vertx.core.json.JsonArray(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  public void putMapping(Batch b, int partition, String uuid, JsonObject mapping) {
    b.put(cf, Keys.builder(48).bytes(Partitions.prefix(partition)).u8(MAPPING).string(uuid).build(), mapping.toBuffer().getBytes());
  }

  public void deleteMapping(Batch b, int partition, String uuid) {
    b.delete(cf, Keys.builder(48).bytes(Partitions.prefix(partition)).u8(MAPPING).string(uuid).build());
  }

  public void putCheckpoint(Batch b, int partition, String uuid, String shardId, String checkpoint) {
    b.put(cf, checkpointPrefix(partition, uuid).string(shardId).build(), Keys.utf8(checkpoint));
  }

  /** Deletes every checkpoint of a mapping. */
  public void deleteCheckpoints(Batch b, int partition, String uuid) {
    byte[] prefix = checkpointPrefix(partition, uuid).build();
    b.deleteRange(cf, prefix, Keys.prefixEnd(prefix));
  }

  /** A mapping's checkpoints by shard id. Blocking. */
  public java.util.Map<String, String> loadCheckpoints(int partition, String uuid) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    byte[] prefix = checkpointPrefix(partition, uuid).build();
    store.scan(cf, prefix, (k, v) -> {
      out.put(new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8),
          new String(v, java.nio.charset.StandardCharsets.UTF_8));
      return true;
    });
    return out;
  }

  private static Keys.Builder checkpointPrefix(int partition, String uuid) {
    return Keys.builder(96).bytes(Partitions.prefix(partition)).u8(CHECKPOINT).part(uuid);
  }

  /** The partition's event source mappings. Blocking. */
  public List<JsonObject> loadMappings(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(MAPPING).build(), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** The start of a key of a function's own: partition, kind, account, region. */
  private static Keys.Builder owned(int partition, byte kind, String account, String region) {
    return Keys.builder(96).bytes(Partitions.prefix(partition)).u8(kind).part(account).part(region);
  }

  private static byte[] functionKey(int partition, String account, String region, String name) {
    return owned(partition, FUNCTION, account, region).string(name).build();
  }

  private static byte[] versionKey(int partition, String account, String region, String name, String version) {
    return owned(partition, VERSION, account, region).part(name).string(version).build();
  }

  private static byte[] aliasKey(int partition, String account, String region, String name, String alias) {
    return Keys.builder(240).bytes(Partitions.prefix(partition)).u8(ALIAS).part(account).part(region).part(name).string(alias)
        .build();
  }

  private static byte[] invokeConfigKey(int partition, String account, String region, String name) {
    return owned(partition, INVOKE_CONFIG, account, region).string(name).build();
  }

  private static byte[] eventKey(int partition, long enqueuedAt, String requestId) {
    return Keys.builder(64).bytes(Partitions.prefix(partition)).u8(EVENT).u64(enqueuedAt).string(requestId).build();
  }

  private static byte[] codePrefix(int partition, String account, String region, String name) {
    return owned(partition, CODE, account, region).part(name).build();
  }

  /**
   * Rewrites the keys of functions stored before functions were regional: each goes to the region
   * its $LATEST records (the caller's region when it was created), else {@code region} (the node's
   * configured one); aliases and queued Event invocations get the region in their JSON too. Runs
   * when the node starts, before any service, on every node alike. Blocking; idempotent.
   */
  public static void migrate(Store store, String region) {
    ColumnFamily cf = store.columnFamily(COLUMN_FAMILY);
    try (Batch b = store.batch()) {
      for (int partition = 0; partition < Partitions.COUNT; partition++) {
        byte[] p = Partitions.prefix(partition);
        java.util.Map<String, String> regionOf = new java.util.HashMap<>();
        store.scan(cf, new byte[] {p[0], p[1], 'f'}, (k, v) -> {
          String r = new JsonObject(Buffer.buffer(v)).getString("region");
          regionOf.put(new String(k, 3, k.length - 3, java.nio.charset.StandardCharsets.UTF_8), r == null ? region : r);
          return true;
        });
        for (byte[] kinds : LEGACY) {
          store.scan(cf, new byte[] {p[0], p[1], kinds[0]}, (k, v) -> {
            int accountEnd = indexOf0(k, 3);
            int nameEnd = indexOf0(k, accountEnd + 1);
            String account = new String(k, 3, accountEnd - 3, java.nio.charset.StandardCharsets.UTF_8);
            String name = new String(k, accountEnd + 1, nameEnd - accountEnd - 1, java.nio.charset.StandardCharsets.UTF_8);
            String r = regionOf.getOrDefault(account + "\0" + name, region);
            byte[] newKey = Keys.builder(k.length + 16).bytes(p).u8(kinds[1]).part(account).part(r)
                .bytes(java.util.Arrays.copyOfRange(k, accountEnd + 1, k.length)).build();
            byte[] value = kinds[0] == 'a' ? new JsonObject(Buffer.buffer(v)).put("region", r).toBuffer().getBytes() : v;
            b.delete(cf, k);
            b.put(cf, newKey, value);
            return true;
          });
        }
        store.scan(cf, new byte[] {p[0], p[1], EVENT}, (k, v) -> {
          JsonObject event = new JsonObject(Buffer.buffer(v));
          if (event.getString("region") == null) {
            event.put("region", regionOf.getOrDefault(event.getString("account") + "\0" + event.getString("function"), region));
            b.put(cf, k, event.toBuffer().getBytes());
          }
          return true;
        });
      }
      if (!b.isEmpty()) store.commit(b).join();
    }
  }

  /** The index of the next 0 separator at or after {@code from}, or the key's end. */
  private static int indexOf0(byte[] key, int from) {
    for (int i = from; i < key.length; i++) if (key[i] == 0) return i;
    return key.length;
  }
}
