package io.advlab.peer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The benchmark's figures as one Markdown table, each with its ratio advlab/peer and goal. */
final class Table {

  private final List<String> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Set<String> settings = new LinkedHashSet<>();

  /** A throughput (images/s): advlab/peer must reach at least {@code goal}. */
  void higherIsBetter(String figure, double advlab, double peer, double goal) {
    add(figure, advlab, peer, String.format(Locale.ROOT, "≥ %.2f", goal), advlab / peer >= goal);
  }

  /** A time per image: advlab/peer must stay at or below {@code goal} (none when NaN). */
  void lowerIsBetter(String figure, double advlab, double peer, double goal) {
    add(figure, advlab, peer, Double.isNaN(goal) ? "" : String.format(Locale.ROOT, "≤ %.2f", goal),
        Double.isNaN(goal) || advlab / peer <= goal);
  }

  /**
   * The last goal: advlab's ratio at concurrency 8 no worse than at 1 ({@code higherIsBetter}
   * for throughputs, else for times).
   */
  void concurrency(String what, double ratio1, double ratio8, boolean higherIsBetter) {
    boolean met = higherIsBetter ? ratio8 >= ratio1 : ratio8 <= ratio1;
    notes.add(String.format(Locale.ROOT, "%s: ratio at concurrency 8 %.2f, at 1 %.2f: %s", what, ratio8, ratio1,
        met ? "no worse, met" : "**worse, missed**"));
  }

  void row(String note) {
    notes.add(note);
  }

  void settings(String line) {
    settings.add(line);
  }

  void print() {
    System.out.println();
    System.out.println("| figure | advlab | peer | advlab/peer | goal |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    notes.forEach(System.out::println);
    settings.forEach(System.out::println);
  }

  private void add(String figure, double advlab, double peer, String goal, boolean met) {
    rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %s%s |", figure, advlab, peer, advlab / peer,
        goal, goal.isEmpty() ? "" : met ? " met" : " **missed**"));
  }
}
