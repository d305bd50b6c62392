package io.eventplane.gateway.s3;

import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * ReplicationConfiguration in XML and in the API's JSON shape, both ways. The document is nested
 * but regular, so one mapping serves every element: leaves are strings, the elements in
 * {@link #CONTAINERS} are objects (even when empty), repeated {@code Rule} and {@code And/Tag}
 * become the arrays {@code Rules} and {@code Tags}. What the rules mean is the service's to check.
 */
final class S3ReplicationXml {
  private static final Set<String> CONTAINERS = Set.of("Rule", "Filter", "And", "Tag", "Destination",
      "DeleteMarkerReplication", "ExistingObjectReplication", "SourceSelectionCriteria", "SseKmsEncryptedObjects",
      "ReplicaModifications", "AccessControlTranslation", "EncryptionConfiguration", "ReplicationTime", "Time", "Metrics",
      "EventThreshold");

  private S3ReplicationXml() {}

  static JsonObject read(Buffer body) {
    Element root = S3XmlBodies.parse(body);
    if (!name(root).equals("ReplicationConfiguration")) throw S3XmlBodies.malformed();
    return object(root, "ReplicationConfiguration");
  }

  private static JsonObject object(Element e, String parent) {
    JsonObject out = new JsonObject();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element child)) continue;
      String name = name(child);
      Object value = CONTAINERS.contains(name) ? object(child, name) : child.getTextContent().trim();
      String list = name.equals("Rule") && parent.equals("ReplicationConfiguration") ? "Rules"
          : name.equals("Tag") && parent.equals("And") ? "Tags" : null;
      if (list != null) {
        JsonArray a = out.getJsonArray(list);
        if (a == null) out.put(list, a = new JsonArray());
        a.add(value);
      } else if (out.containsKey(name)) {
        throw S3XmlBodies.malformed(); // an element given twice where the schema allows one
      } else {
        out.put(name, value);
      }
    }
    return out;
  }

  private static String name(Element e) {
    String n = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    int colon = n.indexOf(':');
    return colon < 0 ? n : n.substring(colon + 1);
  }

  static String write(JsonObject config) {
    XmlWriter x = XmlWriter.document().start("ReplicationConfiguration", S3XmlOutputs.NS);
    members(x, config);
    return x.end().toString();
  }

  private static void members(XmlWriter x, JsonObject o) {
    o.forEach(e -> {
      String name = e.getKey().equals("Rules") ? "Rule" : e.getKey().equals("Tags") ? "Tag" : e.getKey();
      if (e.getValue() instanceof JsonArray a) {
        for (Object item : a) value(x, name, item);
      } else {
        value(x, name, e.getValue());
      }
    });
  }

  private static void value(XmlWriter x, String name, Object v) {
    if (v instanceof JsonObject child) {
      x.start(name);
      members(x, child);
      x.end();
    } else if (v != null) {
      x.element(name, String.valueOf(v));
    }
  }
}
