package io.eventplane.gateway.query;

import java.util.List;

/**
 * Just enough of an AWS Query API model to translate between the Query wire form and the JSON
 * shape of an operation: member names on both sides, nesting, which scalars are numbers, and how
 * lists and maps are written. SQS flattens every list and map ({@code Attribute.1.Name},
 * repeated {@code <Attribute>} elements); SNS wraps them ({@code Attributes.entry.1.key},
 * {@code <Attributes><entry>...}), which is what {@code wrapper} says.
 */
public sealed interface Shape permits Shape.Scalar, Shape.Struct, Shape.ListOf, Shape.MapOf {

  enum Scalar implements Shape {
    STRING,
    INTEGER,
    LONG,
    BOOLEAN,
    /** Base64 text on both wires, passed through untouched. */
    BLOB,
    /** A double: decimal text on the Query wire, a JSON number inside. */
    DOUBLE,
    /** ISO 8601 text on the Query wire, epoch seconds (a JSON number, as AWS JSON carries it) inside. */
    TIMESTAMP
  }

  /**
   * @param name the member name in the JSON shape
   * @param wireName the Query name: the parameter prefix ({@code Attribute.1.Name}) and the XML
   *     element of each entry ({@code <Attribute>}) or of the wrapper ({@code <Attributes>})
   */
  record Member(String name, String wireName, Shape shape) {}

  record Struct(List<Member> members) implements Shape {}

  /** @param wrapper null when flattened, else the item name ({@code member}) */
  record ListOf(Shape member, String wrapper) implements Shape {
    public static ListOf flattened(Shape member) {
      return new ListOf(member, null);
    }

    public static ListOf wrapped(Shape member) {
      return new ListOf(member, "member");
    }
  }

  /**
   * Each entry is written {@code <entry><keyName/><valueName/></entry>}, where the entry element
   * is the member's own name when flattened.
   *
   * @param wrapper null when flattened, else the entry name ({@code entry})
   */
  record MapOf(String keyName, String valueName, Shape value, String wrapper) implements Shape {
    public static MapOf flattened(String keyName, String valueName, Shape value) {
      return new MapOf(keyName, valueName, value, null);
    }

    public static MapOf wrapped(String keyName, String valueName, Shape value) {
      return new MapOf(keyName, valueName, value, "entry");
    }
  }

  /** An operation; {@code output} is null for operations that answer with no result element. */
  record Operation(String name, Struct input, Struct output) {}

  // ---- builders for the models' tables

  static Operation op(String name, Struct input, Struct output) {
    return new Operation(name, input, output);
  }

  static Struct struct(Member... members) {
    return new Struct(List.of(members));
  }

  static Member member(String name, Shape shape) {
    return new Member(name, name, shape);
  }

  static Member member(String name, String wireName, Shape shape) {
    return new Member(name, wireName, shape);
  }
}
