package io.eventplane.gateway.s3;

import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The XML of lifecycle configurations (PutBucketLifecycleConfiguration's body,
 * GetBucketLifecycleConfiguration's answer) and of RestoreObject's RestoreRequest, to and from the
 * API's JSON shape. Structure is checked here (an element given twice where S3 allows one is
 * MalformedXML); values are the storage service's to judge.
 */
final class S3LifecycleXml {
  private S3LifecycleXml() {}

  static JsonObject configuration(Buffer body) {
    if (body.length() == 0) throw S3XmlBodies.malformed();
    Element root = S3XmlBodies.parse(body);
    if (!name(root).equals("LifecycleConfiguration")) throw S3XmlBodies.malformed();
    JsonArray rules = new JsonArray();
    for (Element r : S3XmlBodies.children(root, "Rule")) rules.add(rule(r));
    return new JsonObject().put("Rules", rules);
  }

  private static JsonObject rule(Element r) {
    JsonObject out = new JsonObject();
    single(r, "ID", out);
    single(r, "Prefix", out);
    single(r, "Status", out);
    Element filter = one(r, "Filter");
    if (filter != null) {
      JsonObject f = filterParts(filter, false);
      Element and = one(filter, "And");
      if (and != null) f.put("And", filterParts(and, true));
      out.put("Filter", f);
    }
    Element exp = one(r, "Expiration");
    if (exp != null) out.put("Expiration", fields(exp, "Days", "Date", "ExpiredObjectDeleteMarker"));
    JsonArray transitions = new JsonArray();
    for (Element t : S3XmlBodies.children(r, "Transition")) transitions.add(fields(t, "Days", "Date", "StorageClass"));
    if (!transitions.isEmpty()) out.put("Transitions", transitions);
    JsonArray noncurrentTransitions = new JsonArray();
    for (Element t : S3XmlBodies.children(r, "NoncurrentVersionTransition")) {
      noncurrentTransitions.add(fields(t, "NoncurrentDays", "NewerNoncurrentVersions", "StorageClass"));
    }
    if (!noncurrentTransitions.isEmpty()) out.put("NoncurrentVersionTransitions", noncurrentTransitions);
    Element nve = one(r, "NoncurrentVersionExpiration");
    if (nve != null) out.put("NoncurrentVersionExpiration", fields(nve, "NoncurrentDays", "NewerNoncurrentVersions"));
    Element abort = one(r, "AbortIncompleteMultipartUpload");
    if (abort != null) out.put("AbortIncompleteMultipartUpload", fields(abort, "DaysAfterInitiation"));
    return out;
  }

  private static JsonObject filterParts(Element e, boolean and) {
    JsonObject out = fields(e, "Prefix", "ObjectSizeGreaterThan", "ObjectSizeLessThan");
    List<Element> tags = S3XmlBodies.children(e, "Tag");
    if (and) {
      JsonArray list = new JsonArray();
      for (Element t : tags) list.add(tag(t));
      if (!list.isEmpty()) out.put("Tags", list);
    } else if (tags.size() > 1) {
      throw S3XmlBodies.malformed();
    } else if (tags.size() == 1) {
      out.put("Tag", tag(tags.get(0)));
    }
    return out;
  }

  private static JsonObject tag(Element t) {
    JsonObject out = new JsonObject();
    single(t, "Key", out);
    single(t, "Value", out);
    return out;
  }

  /** The named child elements' texts (each at most once). */
  private static JsonObject fields(Element e, String... names) {
    JsonObject out = new JsonObject();
    for (String n : names) single(e, n, out);
    return out;
  }

  private static void single(Element parent, String name, JsonObject out) {
    Element e = one(parent, name);
    if (e != null) out.put(name, e.getTextContent().trim());
  }

  private static Element one(Element parent, String name) {
    List<Element> found = S3XmlBodies.children(parent, name);
    if (found.size() > 1) throw S3XmlBodies.malformed();
    return found.isEmpty() ? null : found.get(0);
  }

  private static String name(Element e) {
    String n = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    int colon = n.indexOf(':');
    return colon < 0 ? n : n.substring(colon + 1);
  }

  /** RestoreRequest: Days, GlacierJobParameters/Tier (or the top-level Tier), Type. */
  static JsonObject restoreRequest(Buffer body) {
    if (body.length() == 0) throw S3XmlBodies.malformed();
    Element root = S3XmlBodies.parse(body);
    if (!name(root).equals("RestoreRequest")) throw S3XmlBodies.malformed();
    JsonObject out = fields(root, "Days", "Type", "Tier", "Description");
    Element job = one(root, "GlacierJobParameters");
    if (job != null) {
      Element tier = one(job, "Tier");
      if (tier == null) throw S3XmlBodies.malformed();
      out.put("Tier", tier.getTextContent().trim());
    }
    return out;
  }

  static String output(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("LifecycleConfiguration", S3XmlOutputs.NS);
    for (Object o : out.getJsonArray("Rules", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      x.start("Rule");
      JsonObject exp = r.getJsonObject("Expiration");
      if (exp != null) write(x, "Expiration", exp, "Date", "Days", "ExpiredObjectDeleteMarker");
      x.element("ID", r.getString("ID"));
      if (r.getString("Prefix") != null) x.element("Prefix", r.getString("Prefix"));
      JsonObject f = r.getJsonObject("Filter");
      if (f != null) {
        x.start("Filter");
        filter(x, f);
        JsonObject and = f.getJsonObject("And");
        if (and != null) {
          x.start("And");
          filter(x, and);
          x.end();
        }
        x.end();
      }
      x.element("Status", r.getString("Status"));
      for (Object t : r.getJsonArray("Transitions", new JsonArray())) {
        write(x, "Transition", (JsonObject) t, "Date", "Days", "StorageClass");
      }
      for (Object t : r.getJsonArray("NoncurrentVersionTransitions", new JsonArray())) {
        write(x, "NoncurrentVersionTransition", (JsonObject) t, "NoncurrentDays", "StorageClass", "NewerNoncurrentVersions");
      }
      JsonObject nve = r.getJsonObject("NoncurrentVersionExpiration");
      if (nve != null) write(x, "NoncurrentVersionExpiration", nve, "NoncurrentDays", "NewerNoncurrentVersions");
      JsonObject abort = r.getJsonObject("AbortIncompleteMultipartUpload");
      if (abort != null) write(x, "AbortIncompleteMultipartUpload", abort, "DaysAfterInitiation");
      x.end();
    }
    return x.end().toString();
  }

  private static void filter(XmlWriter x, JsonObject f) {
    if (f.getString("Prefix") != null) x.element("Prefix", f.getString("Prefix"));
    JsonObject tag = f.getJsonObject("Tag");
    if (tag != null) x.start("Tag").element("Key", tag.getString("Key")).element("Value", tag.getString("Value")).end();
    for (Object o : f.getJsonArray("Tags", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      x.start("Tag").element("Key", t.getString("Key")).element("Value", t.getString("Value")).end();
    }
    if (f.getValue("ObjectSizeGreaterThan") != null) {
      x.element("ObjectSizeGreaterThan", String.valueOf(f.getValue("ObjectSizeGreaterThan")));
    }
    if (f.getValue("ObjectSizeLessThan") != null) x.element("ObjectSizeLessThan", String.valueOf(f.getValue("ObjectSizeLessThan")));
  }

  private static void write(XmlWriter x, String element, JsonObject j, String... members) {
    x.start(element);
    for (String m : members) if (j.getValue(m) != null) x.element(m, String.valueOf(j.getValue(m)));
    x.end();
  }
}
