package io.advlab.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The class names of a model in index order, from {@code synset.txt}. Lines in the zoo's
 * {@code n01440764 tench, Tinca tinca} form keep the WordNet id apart from the name; bare names
 * are taken as they are.
 */
public final class Labels {

  private static final Pattern WNID = Pattern.compile("^(n\\d{8})\\s+(.+)$");

  private final List<Label> labels;

  Labels(List<Label> labels) {
    this.labels = List.copyOf(labels);
  }

  /** One class: its index, optional WordNet id and human-readable name. */
  @io.swagger.v3.oas.annotations.media.Schema(name = "Label", requiredProperties = "name")
  public record Label(int index, String wnid, String name) {}

  /** Labels from the lines of a {@code synset.txt} (blank lines skipped). */
  public static Labels parse(List<String> lines) {
    List<Label> out = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      var m = WNID.matcher(line);
      if (m.matches()) {
        out.add(new Label(out.size(), m.group(1), m.group(2).strip()));
      } else {
        out.add(new Label(out.size(), null, line));
      }
    }
    return new Labels(out);
  }

  static Labels read(Path synset) throws IOException {
    return parse(Files.readAllLines(synset, StandardCharsets.UTF_8));
  }

  /** Labels named by their index, for models that ship no synset. */
  static Labels numbered(int classes) {
    List<Label> out = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      out.add(new Label(i, null, "class " + i));
    }
    return new Labels(out);
  }

  public int size() {
    return labels.size();
  }

  /** The label at {@code index}, or a placeholder when the synset is shorter than the output. */
  public Label get(int index) {
    return index >= 0 && index < labels.size() ? labels.get(index) : new Label(index, null, "class " + index);
  }

  public List<Label> all() {
    return labels;
  }
}
