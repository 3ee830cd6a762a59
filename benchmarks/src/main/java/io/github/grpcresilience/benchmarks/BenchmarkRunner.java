package io.github.grpcresilience.benchmarks;

import io.github.grpcresilience.benchmarks.kubernetes.KubernetesBenchmark;
import io.github.grpcresilience.benchmarks.soak.SoakBenchmark;
import java.util.Arrays;

/**
 * Runs one scenario: {@code dead-peer [--runs N]}, {@code overhead} (JMH),
 * {@code stream-recovery [--runs N]}, {@code rolling-restart [--runs N]},
 * {@code sigterm-drain [--runs N]}, {@code pool [--runs N]}, {@code shutdown-time [--runs N]},
 * {@code soak} (the fault soak; {@code -Dsoak.duration}, {@code -Dsoak.seed}) or
 * {@code kubernetes [--runs N]} (the Kubernetes simulation). Each prints its table and writes it
 * as Markdown under {@code benchmarks/target/}.
 */
public final class BenchmarkRunner {

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: dead-peer [--runs N] | overhead | stream-recovery [--runs N]"
                    + " | rolling-restart [--runs N] | sigterm-drain [--runs N] | pool [--runs N]"
                    + " | shutdown-time [--runs N] | soak | kubernetes [--runs N]");
        }
        String[] options = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "dead-peer" -> DeadPeerDetectionBenchmark.main(options);
            case "overhead" -> CallPathOverheadBenchmark.main(options);
            case "stream-recovery" -> StreamRecoveryBenchmark.main(options);
            case "rolling-restart" -> RollingRestartBenchmark.main(options);
            case "sigterm-drain" -> SigtermDrainBenchmark.main(options);
            case "pool" -> PoolThroughputBenchmark.main(options);
            case "shutdown-time" -> ShutdownTimeBenchmark.main(options);
            case "soak" -> SoakBenchmark.main(options);
            case "kubernetes" -> KubernetesBenchmark.main(options);
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.exit(0);
    }
}
