package io.eventplane.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topic, bucket and function pages' pure parts: names and paths, file names, paging links, escaping. */
class ConsoleResourcePiecesTest {
  @Test
  void downloadsAreAttachmentsNamedAfterTheKeysLastPart() {
    assertThat(ObjectDownload.disposition("a/b/report.pdf")).isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    assertThat(ObjectDownload.disposition("say \"hi\"\\ \u00e9*.txt"))
        .isEqualTo("attachment; filename=\"say _hi__ _*.txt\"; filename*=UTF-8''say%20%22hi%22%5C%20%C3%A9%2A.txt");
    assertThat(ObjectDownload.disposition("folder/")).startsWith("attachment; filename=\"folder\"");
    assertThat(ObjectDownload.disposition("bad\r\nname")).startsWith("attachment; filename=\"bad__name\"");
    assertThat(ObjectDownload.disposition("/")).startsWith("attachment; filename=\"object\"");
  }

  @Test
  void uploadKeysAndFoldersFollowTheirPaths() {
    assertThat(BucketUpload.baseName("C:\\Users\\me\\photo.jpg")).isEqualTo("photo.jpg");
    assertThat(BucketUpload.baseName("dir/photo.jpg")).isEqualTo("photo.jpg");
    assertThat(BucketUpload.baseName(null)).isEmpty();
    assertThat(BucketPage.parentOf("a/b/c.txt")).isEqualTo("a/b/");
    assertThat(BucketPage.parentOf("c.txt")).isEmpty();
    assertThat(BucketPage.parentOf("a/b/")).isEqualTo("a/");
    assertThat(BucketPage.href("docs", "a b/")).isEqualTo(ConsoleRoute.PREFIX + "buckets/docs?prefix=a%20b%2F");
    assertThat(BucketActions.withQuery(BucketPage.href("docs", null), "deleted=x")).endsWith("buckets/docs?deleted=x");
    assertThat(BucketActions.withQuery(BucketPage.href("docs", "a/"), "deleted=x")).endsWith("prefix=a%2F&deleted=x");
    assertThat("my.bucket-1").matches(BucketPage.NAME);
    assertThat("Bad_Bucket").doesNotMatch(BucketPage.NAME);
    assertThat("orders.fifo").matches(Topics.NAME);
    assertThat("fn_1-a").matches(FunctionPage.NAME);
    assertThat("fn.1").doesNotMatch(FunctionPage.NAME);
  }

  @Test
  void pagingLinksCarryTheServicesTokenEncoded() {
    assertThat(Paging.nav(ConsoleRoute.PREFIX + "topics", "token", null, "a+b/=\"<"))
        .isEqualTo("<nav aria-label=\"Pages\" class=\"pages\"><a rel=\"next\" href=\"" + ConsoleRoute.PREFIX
            + "topics?token=a%2Bb%2F%3D%22%3C\">Next page</a></nav>");
    assertThat(Paging.nav("/x?prefix=p", "token", "t1", null)).contains("href=\"/x?prefix=p\">First page</a>").doesNotContain("Next");
    assertThat(Paging.nav("/x?prefix=p", "token", "t1", "t2")).contains("/x?prefix=p&amp;token=t2");
    assertThat(Paging.table("t", "<c>", Map.of("b", "<v>", "a", 1)))
        .contains("<caption>&lt;c&gt;</caption>").contains("&lt;v&gt;").doesNotContain("<v>")
        .containsSubsequence(">a<", ">b<");
    assertThat(Paging.flash("said <x>", null)).contains("said &lt;x&gt;").contains("role=\"status\"");
  }
}
