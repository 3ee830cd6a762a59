package io.github.grpcresilience.benchmarks.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Collects the soak's figures and renders them as the Markdown tables of BENCHMARKS.md. */
final class SoakReport {

    /** One agent's figures at one moment; heap is bytes used after a full GC. */
    record ProcessMetrics(long threads, long heapAfterGc, long openFiles, long liveCalls) {
    }

    /** One fault and the seconds until all starter / all baseline agents were current (NaN: not before the next). */
    private record FaultRow(FaultPlan.Fault fault, double starter, double baseline, double observed) {
    }

    private final long seed;
    private final Duration duration;
    private final int pairs;
    private final List<FaultRow> faults = new ArrayList<>();
    private final Map<String, Map<String, ProcessMetrics>> metrics = new LinkedHashMap<>();
    private Map<String, SoakLedger.Acks> acks = Map.of();
    private Map<String, long[]> unaryTotals = Map.of();
    private List<SoakLedger.UnaryFailure> failures = List.of();
    private final List<Double> maxAgeStarter = new ArrayList<>();
    private final List<Double> maxAgeBaseline = new ArrayList<>();
    private Map<String, AtomicLong> streamBreaks = Map.of();
    private final Map<String, Map<String, Map<String, Integer>>> threadPools = new LinkedHashMap<>();
    private final Map<String, String> threadPoolReadings = new LinkedHashMap<>();

    SoakReport(long seed, Duration duration, int pairs) {
        this.seed = seed;
        this.duration = duration;
        this.pairs = pairs;
    }

    void fault(FaultPlan.Fault fault, OptionalLong starter, OptionalLong baseline, long observedNanos) {
        FaultRow row = new FaultRow(fault, seconds(starter), seconds(baseline), observedNanos / 1e9);
        faults.add(row);
        System.out.printf(Locale.ROOT, "soak: %s: starter agents current after %s, baseline after %s%n",
                fault.describe(), format(row.starter(), row.observed()), format(row.baseline(), row.observed()));
    }

    void processMetrics(String phase, Map<String, ProcessMetrics> values) {
        metrics.put(phase, values);
    }

    /** Each agent's Java threads by pool ({@link ThreadPools}) and how the reading was taken. */
    void threadPools(String phase, Map<String, Map<String, Integer>> values, String how) {
        threadPools.put(phase, values);
        threadPoolReadings.put(phase, how);
    }

    void acks(Map<String, SoakLedger.Acks> values) {
        acks = values;
    }

    void unary(Map<String, long[]> totals, List<SoakLedger.UnaryFailure> failed) {
        unaryTotals = new TreeMap<>(totals);
        failures = failed;
    }

    void maxAge(boolean starter, long nanos) {
        (starter ? maxAgeStarter : maxAgeBaseline).add(nanos < 0 ? Double.NaN : nanos / 1e9);
    }

    void streamBreaks(Map<String, AtomicLong> breaks) {
        streamBreaks = new TreeMap<>(breaks);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Seed %d, %s of faults, %d agents with the starter and %d baseline agents "
                + "(grpc.resilience.enabled=false + 1 s re-subscribe loop), one control plane; %s, %d cores, Java %s.%n%n",
                seed, duration, pairs, pairs, System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));

        out.append("Convergence: seconds from the fault's end until every agent of the kind holds the latest version "
                + "(GOAWAY max_age: per stream cut outside other outages, from the cut until that agent is current again); "
                + "\"n/c\" = not converged before the next fault or the 120 s cap.\n\n"
                + "| fault | count | starter median | starter max | baseline median | baseline max |\n"
                + "|---|---|---|---|---|---|\n");
        Map<FaultKind, List<FaultRow>> byKind = new LinkedHashMap<>();
        for (FaultKind kind : FaultKind.values()) {
            List<FaultRow> rows = faults.stream().filter(r -> r.fault().kind() == kind).toList();
            if (!rows.isEmpty()) {
                byKind.put(kind, rows);
            }
        }
        byKind.forEach((kind, rows) -> out.append(row(kind.label, rows)));
        out.append(row("**all faults**", faults));
        out.append(String.format(Locale.ROOT, "| GOAWAY max_age (background, every %d s + %d s grace) | %d / %d cuts | %s | %s | %s | %s |%n",
                SoakBenchmark.MAX_AGE.toSeconds(), SoakBenchmark.MAX_AGE_GRACE.toSeconds(), maxAgeStarter.size(),
                maxAgeBaseline.size(), median(maxAgeStarter), max(maxAgeStarter), median(maxAgeBaseline),
                max(maxAgeBaseline)));

        out.append("\nFaults in order:\n\n| # | fault | starter s | baseline s |\n|---|---|---|---|\n");
        for (FaultRow row : faults) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", row.fault().number(),
                    row.fault().describe().replaceFirst("^#\\d+ ", ""), format(row.starter(), row.observed()),
                    format(row.baseline(), row.observed())));
        }

        out.append("\nAcks, by their sequence numbers (accepted: the agent's stream took it without an exception; "
                + "received: logged by a control plane process, distinct, and how many arrived again; handed back: "
                + "returned by the stream unconfirmed, and how many of those had arrived; unaccounted: accepted, "
                + "never received, never handed back):\n\n"
                + "| agent | accepted | received by the control plane | received again | handed back "
                + "| handed back, had arrived | unaccounted |\n|---|---|---|---|---|---|---|\n");
        acks.forEach((agent, a) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |%n",
                agent, a.accepted(), a.received(), a.duplicates(), a.handedBack(), a.handedBackReceived(),
                a.unaccounted())));

        out.append("\nIdempotent unary calls (GetConfig every 500 ms per agent, 2 s deadline; outage: control plane "
                + "down, or the agent's path frozen or black-holed, touching the call's span):\n\n"
                + "| agents | calls | failed while starting | failed in outages | failed outside outages "
                + "| outside, by the last fault started |\n|---|---|---|---|---|---|\n");
        for (String kind : List.of("starter", "baseline")) {
            long calls = unaryTotals.entrySet().stream().filter(e -> e.getKey().startsWith(kind))
                    .mapToLong(e -> e.getValue()[0] + e.getValue()[1]).sum();
            List<SoakLedger.UnaryFailure> all = failures.stream().filter(f -> f.agent().startsWith(kind)).toList();
            List<SoakLedger.UnaryFailure> mine = all.stream()
                    .filter(f -> !f.lastFault().equals(SoakLedger.START_UP)).toList();
            long inside = mine.stream().filter(SoakLedger.UnaryFailure::inOutage).count();
            String outsideBy = mine.stream().filter(f -> !f.inOutage())
                    .collect(Collectors.groupingBy(SoakLedger.UnaryFailure::lastFault, TreeMap::new,
                            Collectors.counting()))
                    .toString();
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s |%n", kind, calls,
                    all.size() - mine.size(), inside, mine.size() - inside, outsideBy));
        }

        out.append("\nEach agent at the start (all current, before the first fault) and the end (after the last "
                + "convergence and the thread readings below): threads, heap used after a full GC, open file descriptors, live gRPC calls "
                + "(grpc.client.active), and the lines logging a broken stream (the starter logs one per outage, "
                + "the loop one per failed re-subscribe):\n\n"
                + "| agent | threads | heap after GC (MB) | open fds | live calls | break lines |\n|---|---|---|---|---|---|\n");
        Map<String, ProcessMetrics> start = metrics.getOrDefault("start", Map.of());
        Map<String, ProcessMetrics> end = metrics.getOrDefault("end", Map.of());
        for (String agent : start.keySet()) {
            ProcessMetrics s = start.get(agent);
            ProcessMetrics e = end.get(agent);
            if (e == null) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %d → %d | %.1f → %.1f | %d → %d | %d → %d | %d |%n", agent,
                    s.threads(), e.threads(), s.heapAfterGc() / 1048576.0, e.heapAfterGc() / 1048576.0, s.openFiles(),
                    e.openFiles(), s.liveCalls(), e.liveCalls(),
                    streamBreaks.getOrDefault(agent, new AtomicLong()).get()));
        }
        threadPoolChanges(out);
        return out.toString();
    }

    /** Per agent, the thread pools whose count differs between the start and the end reading. */
    private void threadPoolChanges(StringBuilder out) {
        Map<String, Map<String, Integer>> start = threadPools.getOrDefault("start", Map.of());
        Map<String, Map<String, Integer>> end = threadPools.getOrDefault("end", Map.of());
        out.append(String.format(Locale.ROOT, "%nThread pools whose count changed (Java threads from `jcmd <pid> "
                + "Thread.print`, a pool being the name without trailing digits; start: %s; end: %s; the threads "
                + "column above is read a moment later and also counts the JIT's compiler threads, which come and go):%n%n",
                threadPoolReadings.getOrDefault("start", "not read"), threadPoolReadings.getOrDefault("end", "not read")));
        for (String agent : start.keySet()) {
            Map<String, Integer> e = end.get(agent);
            if (e == null) {
                continue;
            }
            List<ThreadPools.Change> changes = ThreadPools.changes(start.get(agent), e);
            out.append("- ").append(agent).append(": ").append(changes.isEmpty() ? "none" : changes.stream()
                    .map(ThreadPools.Change::toString).collect(Collectors.joining(", "))).append('\n');
        }
    }

    private static String row(String label, List<FaultRow> rows) {
        List<Double> starter = rows.stream().map(FaultRow::starter).toList();
        List<Double> baseline = rows.stream().map(FaultRow::baseline).toList();
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", label, rows.size(), median(starter),
                max(starter), median(baseline), max(baseline));
    }

    /** NaN (not converged) sorts last, as the longest. */
    static String median(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        List<Double> sorted = values.stream().map(v -> v.isNaN() ? Double.POSITIVE_INFINITY : v).sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return Double.isInfinite(median) ? "n/c" : String.format(Locale.ROOT, "%.1f", median);
    }

    static String max(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        long open = values.stream().filter(v -> v.isNaN()).count();
        double max = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElse(0);
        return open > 0 ? "n/c (" + open + " of " + values.size() + ")" : String.format(Locale.ROOT, "%.1f", max);
    }

    private static double seconds(OptionalLong nanos) {
        return nanos.isPresent() ? nanos.getAsLong() / 1e9 : Double.NaN;
    }

    private static String format(double seconds, double observed) {
        return Double.isNaN(seconds) ? String.format(Locale.ROOT, "n/c (> %.1f)", observed)
                : String.format(Locale.ROOT, "%.1f", seconds);
    }
}
