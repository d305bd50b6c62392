package io.eventplane.broker.queue.domain;

import io.eventplane.common.text.Utf8;
import java.util.Arrays;
import java.util.Objects;

/** A message attribute value: DataType String, Number or Binary (with an optional custom suffix). */
public record AttributeValue(String dataType, String stringValue, byte[] binaryValue) {
  public AttributeValue {
    Objects.requireNonNull(dataType, "dataType");
  }

  public boolean isBinary() {
    return dataType.startsWith("Binary");
  }

  /** Bytes counted against the maximum message size: name is counted by the caller. */
  public int size() {
    int valueSize = isBinary() ? binaryValue.length : Utf8.length(stringValue);
    return Utf8.length(dataType) + valueSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeValue a
        && a.dataType.equals(dataType)
        && Objects.equals(a.stringValue, stringValue)
        && Arrays.equals(a.binaryValue, binaryValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataType, stringValue, Arrays.hashCode(binaryValue));
  }
}
