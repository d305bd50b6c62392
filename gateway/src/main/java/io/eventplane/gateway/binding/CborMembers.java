package io.eventplane.gateway.binding;

import java.util.Set;

/**
 * Which output members of a service that speaks AWS CBOR are not what their JSON form says: JSON
 * carries a blob as a base64 string and a timestamp as epoch seconds, CBOR as a byte string and as
 * tag 1 with epoch milliseconds. Members are told by name, wherever they nest, so a service may
 * use one only where its model gives the name that type.
 *
 * @param blobs members whose base64 string goes out as a CBOR byte string
 * @param timestamps members whose epoch seconds go out as tag 1 and an integer of milliseconds
 *     (Smithy RPC v2 CBOR: tag 1 and a float of seconds)
 * @param rpcV2 whether the service speaks Smithy RPC v2 CBOR ({@code application/cbor}, timestamps in
 *     epoch seconds, {@code POST /service/<Service>/operation/<Operation>}) rather than AWS CBOR
 */
public record CborMembers(Set<String> blobs, Set<String> timestamps, boolean rpcV2) {
  public CborMembers {
    blobs = Set.copyOf(blobs);
    timestamps = Set.copyOf(timestamps);
  }

  /** AWS CBOR ({@code application/x-amz-cbor-1.1}). */
  public CborMembers(Set<String> blobs, Set<String> timestamps) {
    this(blobs, timestamps, false);
  }

  /** Smithy RPC v2 CBOR with these members typed. */
  public static CborMembers rpcV2(Set<String> blobs, Set<String> timestamps) {
    return new CborMembers(blobs, timestamps, true);
  }
}
