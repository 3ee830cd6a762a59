package io.github.grpcresilience.benchmarks.kubernetes;

import io.github.grpcresilience.testing.KernelBlackHole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Kubernetes on one machine: the sample's control plane as pods behind a headless Service whose
 * DNS is a hosts file, and two client JVMs resolving the Service's name, the starter's defaults
 * and plain net.devh, side by side in each run ({@link Simulation}). Settings come from
 * {@code sample-app/k8s}. Prints the table and writes it to {@code target/kubernetes.md}.
 */
public final class KubernetesBenchmark {

    private KubernetesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 1;
        Manifests manifests = Manifests.load(Path.of("..", "sample-app", "k8s"));
        Path sampleJar = Path.of(System.getProperty("benchmark.sample-jar", "../sample-app/target/sample.jar"));
        if (!Files.isRegularFile(sampleJar)) {
            throw new IllegalStateException(sampleJar + " is missing: run with -pl benchmarks -am package");
        }
        boolean kernelFaults = KernelBlackHole.available();
        StringBuilder report = new StringBuilder("# Kubernetes simulation\n\n").append(String.format(
                "Pods: the sample's jar (%s), Service %s (headless; DNS = a hosts file), terminationGracePeriod %d s, "
                        + "readiness service \"%s\"; clients: %d unary calls/s and %d config streams each; "
                        + "%d run(s); %s, %d cores, Java %s; load average before: %s%n%n",
                sampleJar.getFileName(), manifests.serviceName(), manifests.terminationGracePeriod().toSeconds(),
                manifests.readinessService(), Simulation.CALLS_PER_SECOND, Simulation.STREAMS, runs,
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage()))
                .append("| run | scenario | measured | starter defaults | plain net.devh |\n|---|---|---|---|---|\n");
        if (!kernelFaults) {
            System.out.println("node loss skipped: it needs root and nftables (apt-get install nftables)");
        }
        for (int run = 1; run <= runs; run++) {
            Simulation.Result result = new Simulation(run, manifests, sampleJar, kernelFaults).run();
            Measurements starter = new Measurements(result.timeline(), result.starter());
            Measurements plain = new Measurements(result.timeline(), result.plain());
            Timeline timeline = result.timeline();
            int r = run;
            Row row = (scenario, measured, cell) -> report.append(String.format("| %d | %s | %s | %s | %s |%n", r,
                    scenario, measured, cell.apply(starter), cell.apply(plain)));
            row.add("scale-out 2 → 6", "seconds from DNS until every new pod serves calls (per pod)",
                    Measurements::scaleOutUntilEveryPodServes);
            row.add("scale-out 2 → 6", "share of calls per pod in the minute after", Measurements::scaleOutShares);
            row.add("scale-out 2 → 6", "failed calls in the minute after (no pod stops: the noise floor)",
                    Measurements::failedCallsInShareWindow);
            row.add("scale-in 6 → 2", "failed calls", m -> m.failedCalls(timeline.scaleIn()));
            row.add("scale-in 6 → 4", "failed calls", m -> m.failedCalls(timeline.secondScaleIn()));
            row.add("rolling update of 4", "failed calls", m -> m.failedCalls(timeline.rolling()));
            row.add("rolling update of 4", "seconds with a listed pod under half its share",
                    Measurements::imbalancedSeconds);
            row.add("config streams during the update", "at the end; on a terminating pod; without a pod",
                    Measurements::streamsAfterUpdate);
            if (timeline.nodeLoss() != null) {
                row.add("node loss", "until no call is sent to it", Measurements::nodeLossUntilNoCallSent);
                row.add("node loss", "failed calls", m -> m.failedCalls(timeline.nodeLoss().window()));
                row.add("node loss", "config streams", Measurements::streamsOnLostNode);
            } else {
                report.append("| ").append(run).append(" | node loss | skipped: needs root and nftables | | |\n");
            }
            System.out.println(report);
        }
        report.append(String.format("%nLoad average after: %s%n", loadAverage()));
        System.out.println(report);
        Path out = Path.of("target", "kubernetes.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    @FunctionalInterface
    private interface Row {
        void add(String scenario, String measured, Function<Measurements, String> cell);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
