package io.eventplane.storage.domain;

import java.util.Set;

/** S3's storage classes: which exist, and which hold their bytes in an archive that must be restored before a read. */
public final class StorageClasses {
  public static final String STANDARD = "STANDARD";
  public static final Set<String> ALL = Set.of(STANDARD, "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
      "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE");
  /** GLACIER_IR (Instant Retrieval) is read directly; these two need a RestoreObject first. */
  public static final Set<String> ARCHIVED = Set.of("GLACIER", "DEEP_ARCHIVE");

  private StorageClasses() {}

  /** The class a request names (null: none named), or InvalidStorageClass. */
  public static String require(String given) {
    if (given != null && !ALL.contains(given)) throw S3Errors.invalidStorageClass(given);
    return given;
  }

  public static boolean archived(String storageClass) {
    return ARCHIVED.contains(storageClass);
  }

  /** Whether the object's bytes can be read now: not archived, or a restored copy is there. */
  public static boolean readable(StoredObject o) {
    return !archived(o.storageClass()) || (o.restore() != null && !o.restore().ongoing());
  }
}
