package io.eventplane.logs.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.logs.domain.LogEvent;
import io.eventplane.logs.domain.LogStreamInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @TempDir Path root;

  @Test
  void eventsRoundTripWithNewlinesBackslashesAndLongNames() {
    LogFiles files = new LogFiles(root);
    String longStream = "s".repeat(512);
    StreamWriter w = files.open("000000000000", "us-east-1", "/aws/lambda/f", "2026/12/03/[$LATEST]abc");
    StreamWriter l = files.open("000000000000", "us-east-1", "/aws/lambda/f", longStream);
    w.write(1000, "one");
    w.write(2000, "two\nlines \\n not a newline\r\n");
    w.write(3000, "");
    l.write(4000, "long");
    files.flush();
    List<LogEvent> events = files.events("000000000000", "us-east-1", "/aws/lambda/f", "2026/12/03/[$LATEST]abc").orElseThrow();
    assertThat(events).extracting(LogEvent::message).containsExactly("one", "two\nlines \\n not a newline\r\n", "");
    assertThat(events).extracting(LogEvent::timestamp).containsExactly(1000L, 2000L, 3000L);
    assertThat(files.streams("000000000000", "us-east-1", "/aws/lambda/f").orElseThrow()).extracting(LogStreamInfo::name)
        .containsExactlyInAnyOrder("2026/12/03/[$LATEST]abc", longStream);
    LogStreamInfo info = files.streams("000000000000", "us-east-1", "/aws/lambda/f").orElseThrow().stream()
        .filter(s -> s.name().equals(longStream)).findFirst().orElseThrow();
    assertThat(info.firstEventTimestamp()).isEqualTo(4000L);
    assertThat(info.lastEventTimestamp()).isEqualTo(4000L);
    assertThat(files.groups("000000000000", "us-east-1")).hasSize(1);
    assertThat(files.groups("111111111111", "us-east-1")).isEmpty();
    assertThat(files.streams("000000000000", "us-east-1", "/aws/lambda/other")).isEmpty();
    files.close();
  }

  @Test
  void expiredEventsAreNotReadAndAreRemovedWhileAWriterKeepsAppending() throws Exception {
    long day = 86_400_000L;
    long now = 100 * day;
    LogFiles files = new LogFiles(root, () -> now);
    StreamWriter w = files.open("000000000000", "us-east-1", "g", "s");
    w.write(now - 5 * day, "old");
    w.write(now - 2 * day, "recent");
    files.flush();
    assertThat(files.expire(null, null, null)).as("no retention, nothing expires").isZero();
    assertThat(files.retention("000000000000", "us-east-1", "g", 3)).isTrue();
    assertThat(files.events("000000000000", "us-east-1", "g", "s").orElseThrow()).extracting(LogEvent::message)
        .as("skipped at once").containsExactly("recent");
    Path file = root.resolve("000000000000").resolve("us-east-1").resolve("g").resolve("s.log");
    long before = Files.size(file);
    assertThat(files.expire(null, null, null)).isEqualTo(1);
    assertThat(Files.size(file)).isLessThan(before);
    assertThat(files.expire("000000000000", "us-east-1", "g")).as("gone already").isZero();
    w.write(now, "after");
    files.flush();
    assertThat(files.retention("000000000000", "us-east-1", "g", null)).isTrue();
    assertThat(files.events("000000000000", "us-east-1", "g", "s").orElseThrow()).extracting(LogEvent::message)
        .as("removed, and the open writer appended after what was kept").containsExactly("recent", "after");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("# ");
    files.close();
  }

  @Test
  void aRewriteInterruptedByACrashIsCompletedWhenTheNodeStarts() throws Exception {
    long day = 86_400_000L;
    long now = 100 * day;
    LogFiles files = new LogFiles(root, () -> now);
    StreamWriter w = files.open("000000000000", "us-east-1", "g", "s");
    w.write(now - 5 * day, "old");
    w.write(now - 2 * day, "recent");
    files.flush();
    files.close();
    Path dir = root.resolve("000000000000").resolve("us-east-1").resolve("g");
    Path file = dir.resolve("s.log");
    String whole = Files.readString(file, StandardCharsets.UTF_8);
    String kept = whole.lines().filter(l -> !l.contains(" old")).map(l -> l + "\n").reduce("", String::concat);
    // A crash after the journal was renamed into place and while the stream was being rewritten.
    Files.writeString(dir.resolve("s.log.expiring"), kept, StandardCharsets.UTF_8);
    Files.writeString(file, kept.substring(0, kept.length() - 5), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    // And one before its journal was whole: the stream is intact then.
    LogFiles other = new LogFiles(root);
    other.open("000000000000", "us-east-1", "g", "t").write(now, "untouched");
    other.flush();
    other.close();
    Files.writeString(dir.resolve("t.log.expiring.tmp"), "# 1 t\n", StandardCharsets.UTF_8);

    LogFiles restarted = new LogFiles(root, () -> now);
    restarted.finishRewrites();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(kept);
    assertThat(restarted.events("000000000000", "us-east-1", "g", "s").orElseThrow()).extracting(LogEvent::message)
        .containsExactly("recent");
    assertThat(restarted.events("000000000000", "us-east-1", "g", "t").orElseThrow()).extracting(LogEvent::message)
        .containsExactly("untouched");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".group", "s.log", "t.log");
    }
    restarted.close();
  }

  @Test
  void aLineTornByACrashIsNotAnEvent() throws Exception {
    LogFiles files = new LogFiles(root);
    StreamWriter w = files.open("000000000000", "us-east-1", "g", "s");
    w.write(1000, "whole");
    files.flush();
    Path file = root.resolve("000000000000").resolve("us-east-1").resolve("g").resolve("s.log");
    Files.writeString(file, "2026-12-03T00:00:02Z 2000 torn in the midd", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(files.events("000000000000", "us-east-1", "g", "s").orElseThrow()).extracting(LogEvent::message).containsExactly("whole");
    assertThat(files.streams("000000000000", "us-east-1", "g").orElseThrow().get(0).lastEventTimestamp()).isEqualTo(1000L);
    files.close();
  }

  @Test
  void deletesGroupsAndStreams() {
    LogFiles files = new LogFiles(root);
    files.open("a", "r1", "g", "s1").write("x");
    files.open("a", "r1", "g", "s2").write("y");
    files.flush();
    assertThat(files.deleteStream("a", "r1", "g", "s1")).isTrue();
    assertThat(files.deleteStream("a", "r1", "g", "s1")).isFalse();
    assertThat(files.streams("a", "r1", "g").orElseThrow()).extracting(LogStreamInfo::name).containsExactly("s2");
    assertThat(files.deleteGroup("a", "r1", "g")).isTrue();
    assertThat(files.hasGroup("a", "r1", "g")).isFalse();
    assertThat(files.deleteGroup("a", "r1", "g")).isFalse();
    files.close();
  }

  @Test
  void groupsOfTheSameNameInTwoRegionsAreTwoGroups() {
    LogFiles files = new LogFiles(root);
    files.open("a", "eu-west-1", "g", "s").write("eu");
    files.open("a", "us-east-1", "g", "s").write("us");
    files.flush();
    assertThat(files.events("a", "eu-west-1", "g", "s").orElseThrow()).extracting(LogEvent::message).containsExactly("eu");
    assertThat(files.events("a", "us-east-1", "g", "s").orElseThrow()).extracting(LogEvent::message).containsExactly("us");
    assertThat(files.groups("a", "ap-south-1")).isEmpty();
    files.close();
  }

  @Test
  void groupsKeptBeforeRegionsMoveIntoTheConfiguredRegion() throws Exception {
    LogFiles files = new LogFiles(root);
    files.open("a", "us-east-1", "g", "s").write("old");
    files.flush();
    files.close();
    // The layout before regions: <root>/<account>/<group>/.
    java.nio.file.Path regionDir = root.resolve("a").resolve("us-east-1");
    try (var groups = java.nio.file.Files.list(regionDir)) {
      for (java.nio.file.Path g : groups.toList()) java.nio.file.Files.move(g, root.resolve("a").resolve(g.getFileName()));
    }
    java.nio.file.Files.delete(regionDir);
    LogFiles reopened = new LogFiles(root);
    reopened.migrate("eu-central-1");
    reopened.migrate("eu-central-1");
    assertThat(reopened.events("a", "eu-central-1", "g", "s").orElseThrow()).extracting(LogEvent::message).containsExactly("old");
    reopened.close();
  }

  /**
   * A dev-mode reset (or DeleteLogGroup) runs while functions still write: a stream file created in
   * the middle of the deletion must not make it fail (it failed with DirectoryNotEmptyException).
   */
  @Test
  void clearingWhileStreamsAreCreatedNeverFails() throws Exception {
    LogFiles files = new LogFiles(root);
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread creator = new Thread(() -> {
      for (int i = 0; !done.get(); i++) {
        try {
          files.createGroup("000000000000", "us-east-1", "/aws/lambda/f", i);
          files.createStream("000000000000", "us-east-1", "/aws/lambda/f", "stream-" + i, i);
        } catch (java.io.UncheckedIOException groupJustDeleted) {
          // the creator loses that race; the deleting side must not
        }
      }
    });
    creator.start();
    try {
      for (int i = 0; i < 300; i++) {
        files.clear();
        files.deleteGroup("000000000000", "us-east-1", "/aws/lambda/f");
      }
    } finally {
      done.set(true);
      creator.join();
    }
    files.clear();
    assertThat(files.groups("000000000000", "us-east-1")).isEmpty();
    files.close();
  }
}
