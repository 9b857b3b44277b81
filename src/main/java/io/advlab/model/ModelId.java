package io.advlab.model;

import java.util.regex.Pattern;

/**
 * One version of one model, written {@code name:version} (Triton style: integer versions).
 *
 * @param name model name: letters, digits, '.', '_' and '-', starting with a letter or digit
 * @param version positive version number
 */
public record ModelId(String name, int version) implements Comparable<ModelId> {

  /** What a model name may look like: safe as a folder name, a URL segment and a metric tag. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ModelId {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid model name '" + name + "'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("model versions start at 1, got " + version);
    }
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }

  @Override
  public int compareTo(ModelId other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : Integer.compare(version, other.version);
  }
}
