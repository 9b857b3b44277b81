package io.advlab.dataset;

import io.advlab.model.Labels;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a data set's class folders onto a model's label indices. Either every folder is a label's
 * name (or its WordNet id, as ImageNet folders are: {@code n01440764}), or every folder is a class
 * index {@code 0..labels-1}; anything else is a 422 {@code dataset-mismatch} naming the folders.
 */
final class ClassMatcher {

  private static final int SAMPLE = 10;

  private ClassMatcher() {}

  /** Label index per class; {@code model} names the model in a mismatch, e.g. {@code model 'digits:1'}. */
  static int[] match(String dataset, List<String> classes, Labels labels, String model) {
    int[] byName = byName(classes, labels);
    if (byName != null) {
      return byName;
    }
    int[] byIndex = byIndex(classes, labels);
    if (byIndex != null) {
      return byIndex;
    }
    throw mismatch(dataset, classes, labels, model);
  }

  private static int[] byName(List<String> classes, Labels labels) {
    Map<String, Integer> index = nameIndex(labels);
    int[] out = new int[classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      Integer label = index.get(classes.get(c));
      if (label == null) {
        return null;
      }
      out[c] = label;
    }
    return out;
  }

  private static int[] byIndex(List<String> classes, Labels labels) {
    int[] out = new int[classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      Integer label = classIndex(classes.get(c), labels.size());
      if (label == null) {
        return null;
      }
      out[c] = label;
    }
    return out;
  }

  /** Label names and WordNet ids to their first index (ImageNet has two "crane"s). */
  private static Map<String, Integer> nameIndex(Labels labels) {
    Map<String, Integer> index = new HashMap<>();
    for (Labels.Label label : labels.all()) {
      index.putIfAbsent(label.name(), label.index());
      if (label.wnid() != null) {
        index.putIfAbsent(label.wnid(), label.index());
      }
    }
    return index;
  }

  private static Integer classIndex(String folder, int size) {
    if (!folder.matches("[0-9]{1,9}")) {
      return null;
    }
    int i = Integer.parseInt(folder);
    return i < size ? i : null;
  }

  private static ApiException mismatch(String dataset, List<String> classes, Labels labels, String model) {
    Map<String, Integer> names = nameIndex(labels);
    List<String> unmatched = new ArrayList<>();
    for (String folder : classes) {
      if (!names.containsKey(folder) && classIndex(folder, labels.size()) == null) {
        unmatched.add(folder);
      }
    }
    List<String> sample = labels.all().stream().limit(SAMPLE).map(Labels.Label::name).toList();
    String which = unmatched.isEmpty()
        ? "its class folders mix label names and class indices " + classes + "; use one or the other"
        : "the class folders " + unmatched + " are neither a label nor a class index 0.."
            + (labels.size() - 1);
    return new ApiException(ProblemType.DATASET_MISMATCH, "Data set '" + dataset + "' does not match " + model
        + ": " + which + ". Its labels include " + sample + " (" + labels.size() + " in all).")
        .with("dataset", dataset).with("unmatched", unmatched).with("modelLabels", sample);
  }
}
