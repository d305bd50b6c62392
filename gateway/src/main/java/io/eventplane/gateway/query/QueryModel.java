package io.eventplane.gateway.query;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A Query service's operations and the XML namespace its responses are written in. */
public final class QueryModel {
  private final String xmlNamespace;
  private final Map<String, Shape.Operation> operations;

  public QueryModel(String xmlNamespace, Stream<Shape.Operation> operations) {
    this.xmlNamespace = xmlNamespace;
    this.operations = operations.collect(Collectors.toUnmodifiableMap(Shape.Operation::name, Function.identity()));
  }

  public String xmlNamespace() {
    return xmlNamespace;
  }

  public boolean isOperation(String name) {
    return name != null && operations.containsKey(name);
  }

  public Set<String> operations() {
    return operations.keySet();
  }

  public Shape.Operation operation(String name) {
    Shape.Operation op = operations.get(name);
    if (op == null) throw new IllegalArgumentException("not an operation of " + xmlNamespace + ": " + name);
    return op;
  }
}
