package io.eventplane.gateway.sqs;

import java.util.List;

/**
 * Just enough of the SQS API model to translate between the Query wire form and the JSON shape:
 * member names on both sides, nesting, and which scalars are numbers. Every SQS list and map is
 * "flattened" in Query terms, so that is the only form modelled.
 */
sealed interface Shape permits Shape.Scalar, Shape.Struct, Shape.ListOf, Shape.MapOf {

  enum Scalar implements Shape {
    STRING,
    INTEGER,
    LONG,
    BOOLEAN,
    /** Base64 text on both wires, passed through untouched. */
    BLOB
  }

  /**
   * @param name the member name in the JSON shape
   * @param wireName the Query name: the parameter prefix ({@code Attribute.1.Name}) and the XML
   *     element of each entry ({@code <Attribute>})
   */
  record Member(String name, String wireName, Shape shape) {}

  record Struct(List<Member> members) implements Shape {}

  record ListOf(Shape member) implements Shape {}

  /** Each entry is written {@code <wireName><keyName/><valueName/></wireName>}. */
  record MapOf(String keyName, String valueName, Shape value) implements Shape {}
}
