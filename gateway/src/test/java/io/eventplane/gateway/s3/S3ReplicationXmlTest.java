package io.eventplane.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class S3ReplicationXmlTest {
  private static final String DOC = "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      + "<Role>arn:aws:iam::1:role/r</Role>"
      + "<Rule><ID>a</ID><Priority>2</Priority><Filter><And><Prefix>p/</Prefix><Tag><Key>k1</Key><Value>v1</Value></Tag>"
      + "<Tag><Key>k2</Key><Value>v2</Value></Tag></And></Filter><Status>Enabled</Status>"
      + "<Destination><Bucket>arn:aws:s3:::dst</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination>"
      + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>"
      + "<Rule><ID>b</ID><Prefix></Prefix><Status>Disabled</Status><Destination><Bucket>arn:aws:s3:::dst</Bucket>"
      + "</Destination></Rule></ReplicationConfiguration>";

  @Test
  void readsTheApiShapeAndWritesItBack() {
    JsonObject c = S3ReplicationXml.read(Buffer.buffer(DOC));
    assertThat(c.getString("Role")).isEqualTo("arn:aws:iam::1:role/r");
    assertThat(c.getJsonArray("Rules")).hasSize(2);
    JsonObject a = c.getJsonArray("Rules").getJsonObject(0);
    assertThat(a.getJsonObject("Filter").getJsonObject("And").getJsonArray("Tags")).hasSize(2);
    assertThat(a.getJsonObject("Destination").getString("StorageClass")).isEqualTo("STANDARD_IA");
    assertThat(c.getJsonArray("Rules").getJsonObject(1).getString("Prefix")).isEmpty();
    String xml = S3ReplicationXml.write(c);
    assertThat(S3ReplicationXml.read(Buffer.buffer(xml))).isEqualTo(c);
    assertThat(xml).contains("<Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key>");
  }

  @Test
  void anElementTwiceOrAnotherDocumentIsMalformed() {
    assertThatThrownBy(() -> S3ReplicationXml.read(Buffer.buffer("<ReplicationConfiguration><Role>a</Role><Role>b</Role>"
        + "</ReplicationConfiguration>"))).isInstanceOf(ServiceException.class).hasMessageContaining("XML");
    assertThatThrownBy(() -> S3ReplicationXml.read(Buffer.buffer("<VersioningConfiguration/>")))
        .isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> S3ReplicationXml.read(Buffer.buffer("<ReplicationConfiguration>")))
        .isInstanceOf(ServiceException.class);
  }
}
