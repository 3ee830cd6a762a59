package io.github.grpcresilience.boot4.benchmarks;

import java.util.List;
import java.util.Locale;

/** Median and maximum of per-run seconds, where {@code -} is a run that hit the cap. */
final class Stats {

    private Stats() {
    }

    static String median(List<String> runs) {
        return median(runs, 1);
    }

    static String max(List<String> runs, long cap) {
        return max(runs, cap, 1);
    }

    static String median(List<String> runs, int decimals) {
        if (runs.contains("-")) {
            return "not noticed";
        }
        List<Double> sorted = runs.stream().map(Double::parseDouble).sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return String.format(Locale.ROOT, "%." + decimals + "f", median);
    }

    static String max(List<String> runs, long cap, int decimals) {
        if (runs.contains("-")) {
            return "> " + cap;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", runs.stream().mapToDouble(Double::parseDouble).max().orElse(0));
    }
}
