package io.eventplane.gateway.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class XmlWriterTest {
  @Test
  void escapesMarkupAndCarriageReturn() {
    assertThat(XmlWriter.escape("<a href=\"x\">&</a>\r\n\t'"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;&#xD;\n\t'");
  }

  @Test
  void replacesWhatXmlCannotCarry() {
    assertThat(XmlWriter.escape("a\u0000b\u0008c\uD800d\uFFFE")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD");
    assertThat(XmlWriter.escape("\uD83D\uDE00 \u00e9 \u20ac")).isEqualTo("\uD83D\uDE00 \u00e9 \u20ac");
  }

  @Test
  void aParserReadsBackTheExactText() throws Exception {
    String body = "line1\r\nline2\rline3 <&> \"q\" \uD83D\uDE00";
    String xml = XmlWriter.document().start("Root", "urn:x").element("Body", body).end().toString();
    assertThat(xml).startsWith("<?xml version=\"1.0\"?><Root xmlns=\"urn:x\"><Body>");
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getFirstChild().getTextContent()).isEqualTo(body);
  }

  @Test
  void refusesUnclosedDocuments() {
    assertThatThrownBy(() -> XmlWriter.document().start("A").toString()).isInstanceOf(IllegalStateException.class);
  }
}
