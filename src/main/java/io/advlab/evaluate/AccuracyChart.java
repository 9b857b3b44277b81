package io.advlab.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The picture people want of an evaluation: accuracy against eps, one curve per attack, each
 * starting from the clean accuracy at eps 0, as an SVG a browser or a README shows. Cells without
 * eps (semantic, DeepFool) are listed in the legend with their accuracy, not plotted.
 */
final class AccuracyChart {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 400;
  private static final int LEFT = 60;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
      "#e377c2", "#17becf"};

  private AccuracyChart() {}

  static String svg(String title, List<CellFigures> cells) {
    Map<String, List<CellFigures>> curves = new LinkedHashMap<>();
    List<CellFigures> points = new ArrayList<>();
    double maxEps = 0;
    for (CellFigures c : cells) {
      if (c.eps() == null) {
        points.add(c);
      } else {
        curves.computeIfAbsent(c.method(), m -> new ArrayList<>()).add(c);
        maxEps = Math.max(maxEps, c.eps());
      }
    }
    if (maxEps == 0) {
      maxEps = 1;
    }
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(text(WIDTH / 2.0 - RIGHT / 2.0, 22, "middle", 14, title));
    axes(svg, maxEps);
    int color = 0;
    int legendY = TOP + 10;
    for (Map.Entry<String, List<CellFigures>> curve : curves.entrySet()) {
      String stroke = COLORS[color++ % COLORS.length];
      List<CellFigures> cellsOfCurve = curve.getValue().stream()
          .sorted(java.util.Comparator.comparingDouble(CellFigures::eps)).toList();
      StringBuilder path = new StringBuilder();
      Double clean = cellsOfCurve.stream().map(CellFigures::cleanAccuracy).filter(java.util.Objects::nonNull)
          .findFirst().orElse(null);
      if (clean != null) {
        path.append(point(0, clean, maxEps));
      }
      for (CellFigures c : cellsOfCurve) {
        if (c.robustAccuracy() != null) {
          path.append(point(c.eps(), c.robustAccuracy(), maxEps));
          svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s eps %s:"
              + " %s</title></circle>\n", x(c.eps(), maxEps), y(c.robustAccuracy()), stroke, escape(c.method()),
              c.eps(), c.robustAccuracy()));
        }
      }
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n",
          path.toString().trim(), stroke));
      legend(svg, legendY, stroke, curve.getKey());
      legendY += 20;
    }
    for (CellFigures c : points) {
      legend(svg, legendY, "#777777", c.method() + (c.robustAccuracy() == null ? "" : String.format(Locale.ROOT,
          ": %.3f", c.robustAccuracy())));
      legendY += 20;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void axes(StringBuilder svg, double maxEps) {
    int plotRight = WIDTH - RIGHT;
    int plotBottom = HEIGHT - BOTTOM;
    for (int i = 0; i <= 4; i++) {
      double a = i / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n",
          LEFT, y(a), plotRight, y(a)));
      svg.append(text(LEFT - 8, y(a) + 4, "end", 12, String.format(Locale.ROOT, "%.2f", a)));
    }
    for (int i = 0; i <= 4; i++) {
      double e = maxEps * i / 4;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999999\"/>\n",
          x(e, maxEps), plotBottom, x(e, maxEps), plotBottom + 5));
      svg.append(text(x(e, maxEps), plotBottom + 18, "middle", 12, String.format(Locale.ROOT, "%.3g", e)));
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT,
        plotBottom, plotRight, plotBottom));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT,
        TOP, LEFT, plotBottom));
    svg.append(text((LEFT + plotRight) / 2.0, HEIGHT - 12, "middle", 12, "eps (pixel units)"));
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16"
        + " %.1f)\">accuracy</text>\n", (TOP + plotBottom) / 2.0, (TOP + plotBottom) / 2.0));
  }

  private static void legend(StringBuilder svg, int y, String color, String label) {
    int x = WIDTH - RIGHT + 15;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
        + " stroke-width=\"3\"/>\n", x, y, x + 20, y, color));
    svg.append(text(x + 26, y + 4, "start", 12, label));
  }

  private static String point(double eps, double accuracy, double maxEps) {
    return String.format(Locale.ROOT, "%.1f,%.1f ", x(eps, maxEps), y(accuracy));
  }

  private static double x(double eps, double maxEps) {
    return LEFT + (WIDTH - RIGHT - LEFT) * eps / maxEps;
  }

  private static double y(double accuracy) {
    return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * accuracy;
  }

  private static String text(double x, double y, String anchor, int size, String value) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n", x,
        y, anchor, size, escape(value));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
