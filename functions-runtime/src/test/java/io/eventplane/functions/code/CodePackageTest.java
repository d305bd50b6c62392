package io.eventplane.functions.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodePackageTest {
  static byte[] zip(String... namesAndContents) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        z.putNextEntry(new ZipEntry(namesAndContents[i]));
        z.write(namesAndContents[i + 1].getBytes());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void unpacksOncePerDigestAndMakesTheBootstrapExecutable(@TempDir Path root) throws Exception {
    CodePackage p = CodePackage.of(zip("bootstrap", "#!/bin/sh\n", "lib/a.txt", "hello"));
    assertThat(p.unzippedSize()).isEqualTo(15);
    CodeCache cache = new CodeCache(root);
    int[] reads = {0};
    Path dir = cache.directory(p.sha256(), () -> {
      reads[0]++;
      return p.zip();
    });
    assertThat(Files.readString(dir.resolve("lib/a.txt"))).isEqualTo("hello");
    assertThat(Files.isExecutable(dir.resolve("bootstrap"))).isTrue();
    assertThat(cache.directory(p.sha256(), () -> {
      reads[0]++;
      return p.zip();
    })).isEqualTo(dir);
    assertThat(reads[0]).isEqualTo(1);
  }

  @Test
  void refusesWhatIsNotASafeZip() throws Exception {
    for (byte[] bad : new byte[][] {"not a zip".getBytes(), zip("../escape", "x"), zip("/abs", "x"), new byte[0]}) {
      assertThatThrownBy(() -> CodePackage.of(bad)).isInstanceOf(ServiceException.class)
          .hasMessageContaining("Could not unzip uploaded file");
    }
  }

  /** From S3 the 50 MB limit of an inline upload does not apply; the unzipped limit and the zip checks do. */
  @Test
  void aPackageFromAFileMayBeLargerThanAnInlineUpload(@TempDir Path dir) throws Exception {
    byte[] noise = new byte[51 * 1024 * 1024];
    new java.util.Random(7).nextBytes(noise);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(java.util.zip.Deflater.NO_COMPRESSION); // noise does not compress: spare the time
      z.putNextEntry(new ZipEntry("lib/noise.bin"));
      z.write(noise);
      z.closeEntry();
    }
    byte[] big = out.toByteArray();
    assertThat(big.length).isGreaterThan((int) CodePackage.MAX_ZIPPED);
    assertThatThrownBy(() -> CodePackage.of(big)).isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("RequestEntityTooLargeException"));
    Path file = Files.write(dir.resolve("big.zip"), big);
    CodePackage p = CodePackage.fromFile(file);
    assertThat(p.unzippedSize()).isEqualTo(noise.length);
    assertThat(p.zip()).isEqualTo(big);
    assertThat(p.sha256()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
        java.security.MessageDigest.getInstance("SHA-256").digest(big)));

    Path text = Files.writeString(dir.resolve("text.jar"), "plain text");
    assertThatThrownBy(() -> CodePackage.fromFile(text)).isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).error().message())
            .isEqualTo("Could not unzip uploaded file. Please check your file, then try to upload again."));
    Path unsafe = Files.write(dir.resolve("unsafe.zip"), zip("../escape", "x"));
    assertThatThrownBy(() -> CodePackage.fromFile(unsafe)).isInstanceOf(ServiceException.class)
        .hasMessageContaining("Could not unzip uploaded file");
  }
}
