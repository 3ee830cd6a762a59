package io.github.grpcresilience.boot4.benchmarks;

import java.util.List;
import java.util.Locale;

/** Median and maximum of per-run seconds, where {@code -} is a run that hit the cap. */
final class Stats {

    private Stats() {
    }

    static String median(List<String> runs) {
        if (runs.contains("-")) {
            return "not noticed";
        }
        List<Double> sorted = runs.stream().map(Double::parseDouble).sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return String.format(Locale.ROOT, "%.1f", median);
    }

    static String max(List<String> runs, long cap) {
        if (runs.contains("-")) {
            return "> " + cap;
        }
        return String.format(Locale.ROOT, "%.1f", runs.stream().mapToDouble(Double::parseDouble).max().orElse(0));
    }
}
