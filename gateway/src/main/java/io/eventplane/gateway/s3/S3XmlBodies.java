package io.eventplane.gateway.s3;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XML request bodies of S3 operations, read into the operation's canonical JSON input. No
 * DTDs, no external entities; anything that does not parse or lacks what the operation needs is
 * MalformedXML, as S3 answers it.
 */
final class S3XmlBodies {
  private S3XmlBodies() {}

  static ServiceException malformed() {
    return new ServiceException(ServiceError.sender("MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema"));
  }

  static Element parse(Buffer body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new ByteArrayInputStream(body.getBytes()));
      return d.getDocumentElement();
    } catch (Exception e) {
      throw malformed();
    }
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName(e).equals(name)) out.add(e);
    }
    return out;
  }

  static String text(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent();
  }

  private static String localName(Element e) {
    String n = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    int colon = n.indexOf(':');
    return colon < 0 ? n : n.substring(colon + 1);
  }

  static JsonObject createBucketConfiguration(Buffer body) {
    if (body.length() == 0) return null;
    Element root = parse(body);
    if (!localName(root).equals("CreateBucketConfiguration")) throw malformed();
    JsonObject out = new JsonObject();
    String constraint = text(root, "LocationConstraint");
    if (constraint != null) out.put("LocationConstraint", constraint.trim());
    return out;
  }

  static JsonObject delete(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("Delete")) throw malformed();
    JsonArray objects = new JsonArray();
    for (Element o : children(root, "Object")) {
      String key = text(o, "Key");
      if (key == null) throw malformed();
      JsonObject entry = new JsonObject().put("Key", key);
      String version = text(o, "VersionId");
      if (version != null) entry.put("VersionId", version);
      objects.add(entry);
    }
    JsonObject out = new JsonObject().put("Objects", objects);
    String quiet = text(root, "Quiet");
    if (quiet != null) out.put("Quiet", Boolean.parseBoolean(quiet.trim()));
    return out;
  }

  static JsonObject completeMultipartUpload(Buffer body) {
    if (body.length() == 0) throw malformed();
    Element root = parse(body);
    if (!localName(root).equals("CompleteMultipartUpload")) throw malformed();
    JsonArray parts = new JsonArray();
    for (Element p : children(root, "Part")) {
      String number = text(p, "PartNumber");
      if (number == null) throw malformed();
      JsonObject entry = new JsonObject().put("PartNumber", number.trim()).put("ETag", text(p, "ETag"));
      parts.add(entry);
    }
    return new JsonObject().put("Parts", parts);
  }

  /** Tagging: {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>}. */
  static JsonObject tagging(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("Tagging")) throw malformed();
    List<Element> sets = children(root, "TagSet");
    if (sets.size() != 1) throw malformed();
    JsonArray tags = new JsonArray();
    for (Element t : children(sets.get(0), "Tag")) {
      String key = text(t, "Key");
      if (key == null) throw malformed();
      String value = text(t, "Value");
      tags.add(new JsonObject().put("Key", key).put("Value", value == null ? "" : value));
    }
    return new JsonObject().put("TagSet", tags);
  }

  /** CORSConfiguration: its CORSRules, each member as the API's JSON names it; a value given twice where one is allowed is MalformedXML. */
  static JsonObject cors(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("CORSConfiguration")) throw malformed();
    JsonArray rules = new JsonArray();
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && !localName(e).equals("CORSRule")) throw malformed();
    }
    for (Element r : children(root, "CORSRule")) {
      JsonObject rule = new JsonObject();
      for (String[] list : new String[][] {{"AllowedOrigin", "AllowedOrigins"}, {"AllowedMethod", "AllowedMethods"},
          {"AllowedHeader", "AllowedHeaders"}, {"ExposeHeader", "ExposeHeaders"}}) {
        JsonArray values = new JsonArray();
        for (Element v : children(r, list[0])) values.add(v.getTextContent());
        if (!values.isEmpty()) rule.put(list[1], values);
      }
      for (String single : new String[] {"ID", "MaxAgeSeconds"}) {
        List<Element> given = children(r, single);
        if (given.size() > 1) throw malformed();
        if (!given.isEmpty()) rule.put(single, given.get(0).getTextContent());
      }
      rules.add(rule);
    }
    return new JsonObject().put("CORSRules", rules);
  }

  /** ServerSideEncryptionConfiguration: its Rules, each with ApplyServerSideEncryptionByDefault and BucketKeyEnabled. */
  static JsonObject encryption(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("ServerSideEncryptionConfiguration")) throw malformed();
    JsonArray rules = new JsonArray();
    for (Element r : children(root, "Rule")) {
      JsonObject rule = new JsonObject();
      for (Element d : children(r, "ApplyServerSideEncryptionByDefault")) {
        JsonObject byDefault = new JsonObject();
        String algorithm = text(d, "SSEAlgorithm");
        if (algorithm != null) byDefault.put("SSEAlgorithm", algorithm.trim());
        String key = text(d, "KMSMasterKeyID");
        if (key != null) byDefault.put("KMSMasterKeyID", key.trim());
        rule.put("ApplyServerSideEncryptionByDefault", byDefault);
      }
      String bucketKey = text(r, "BucketKeyEnabled");
      if (bucketKey != null) rule.put("BucketKeyEnabled", bucketKey.trim());
      rules.add(rule);
    }
    return new JsonObject().put("Rules", rules);
  }

  /** AccessControlPolicy: Owner and AccessControlList/Grant, each grantee typed by its xsi:type; none when the body is empty. */
  static JsonObject accessControlPolicy(Buffer body) {
    if (body.length() == 0) return null;
    Element root = parse(body);
    if (!localName(root).equals("AccessControlPolicy")) throw malformed();
    JsonObject out = new JsonObject();
    for (Element owner : children(root, "Owner")) {
      JsonObject o = new JsonObject();
      String id = text(owner, "ID");
      if (id != null) o.put("ID", id.trim());
      String name = text(owner, "DisplayName");
      if (name != null) o.put("DisplayName", name.trim());
      out.put("Owner", o);
    }
    JsonArray grants = new JsonArray();
    for (Element list : children(root, "AccessControlList")) {
      for (Element g : children(list, "Grant")) {
        JsonObject grant = new JsonObject();
        for (Element who : children(g, "Grantee")) {
          JsonObject grantee = new JsonObject();
          org.w3c.dom.NamedNodeMap attributes = who.getAttributes();
          for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            if (a.getNodeName().equals("type") || a.getNodeName().endsWith(":type")) grantee.put("Type", a.getNodeValue().trim());
          }
          for (String member : new String[] {"ID", "DisplayName", "URI", "EmailAddress"}) {
            String v = text(who, member);
            if (v != null) grantee.put(member, v.trim());
          }
          grant.put("Grantee", grantee);
        }
        String permission = text(g, "Permission");
        if (permission != null) grant.put("Permission", permission.trim());
        grants.add(grant);
      }
    }
    return out.put("Grants", grants);
  }

  /** OwnershipControls: its Rules, each with an ObjectOwnership. */
  static JsonObject ownershipControls(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("OwnershipControls")) throw malformed();
    JsonArray rules = new JsonArray();
    for (Element r : children(root, "Rule")) {
      String value = text(r, "ObjectOwnership");
      rules.add(value == null ? new JsonObject() : new JsonObject().put("ObjectOwnership", value.trim()));
    }
    return new JsonObject().put("Rules", rules);
  }

  /** PublicAccessBlockConfiguration: its four settings as given (the service checks they are booleans). */
  static JsonObject publicAccessBlock(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("PublicAccessBlockConfiguration")) throw malformed();
    JsonObject out = new JsonObject();
    for (String setting : new String[] {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}) {
      String v = text(root, setting);
      if (v != null) out.put(setting, v.trim());
    }
    return out;
  }

  /** VersioningConfiguration: Status Enabled or Suspended, MfaDelete Enabled or Disabled, both optional. */
  static JsonObject versioningConfiguration(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("VersioningConfiguration")) throw malformed();
    JsonObject out = new JsonObject();
    String status = text(root, "Status");
    if (status != null) out.put("Status", status.trim());
    String mfa = text(root, "MfaDelete");
    if (mfa != null) out.put("MfaDelete", mfa.trim());
    return out;
  }

  /** NotificationConfiguration with its three kinds of configuration, in the API's JSON shape. */
  static JsonObject notificationConfiguration(Buffer body) {
    Element root = parse(body);
    if (!localName(root).equals("NotificationConfiguration")) throw malformed();
    JsonObject out = new JsonObject();
    kind(root, "QueueConfiguration", "Queue", "QueueConfigurations", "QueueArn", out);
    kind(root, "TopicConfiguration", "Topic", "TopicConfigurations", "TopicArn", out);
    kind(root, "CloudFunctionConfiguration", "CloudFunction", "LambdaFunctionConfigurations", "LambdaFunctionArn", out);
    if (!children(root, "EventBridgeConfiguration").isEmpty()) out.put("EventBridgeConfiguration", new JsonObject());
    return out;
  }

  private static void kind(Element root, String element, String arnElement, String listMember, String arnMember,
      JsonObject out) {
    JsonArray list = new JsonArray();
    for (Element c : children(root, element)) {
      JsonObject config = new JsonObject();
      String id = text(c, "Id");
      if (id != null) config.put("Id", id);
      String arn = text(c, arnElement);
      if (arn == null) throw malformed();
      config.put(arnMember, arn.trim());
      JsonArray events = new JsonArray();
      for (Element e : children(c, "Event")) events.add(e.getTextContent().trim());
      config.put("Events", events);
      for (Element filter : children(c, "Filter")) {
        JsonArray rules = new JsonArray();
        for (Element key : children(filter, "S3Key")) {
          for (Element rule : children(key, "FilterRule")) {
            rules.add(new JsonObject().put("Name", text(rule, "Name")).put("Value", text(rule, "Value")));
          }
        }
        config.put("Filter", new JsonObject().put("Key", new JsonObject().put("FilterRules", rules)));
      }
      list.add(config);
    }
    if (!list.isEmpty()) out.put(listMember, list);
  }
}
