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
 */
public record CborMembers(Set<String> blobs, Set<String> timestamps) {
  public CborMembers {
    blobs = Set.copyOf(blobs);
    timestamps = Set.copyOf(timestamps);
  }
}
