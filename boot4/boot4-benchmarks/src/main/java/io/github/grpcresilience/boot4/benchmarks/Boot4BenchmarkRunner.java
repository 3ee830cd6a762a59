package io.github.grpcresilience.boot4.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one Spring Boot 4.1 scenario, plain Spring Boot gRPC and the starter side by side:
 * {@code dead-peer}, {@code sigterm-drain} or {@code stream-recovery}, each with {@code --runs N}.
 * Prints the table and writes it as Markdown under {@code boot4/boot4-benchmarks/target/}.
 */
public final class Boot4BenchmarkRunner {

    private Boot4BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: dead-peer | sigterm-drain | stream-recovery [--runs N]");
        }
        int runs = args.length >= 3 && args[1].equals("--runs") ? Integer.parseInt(args[2]) : 3;
        String report = switch (args[0]) {
            case "dead-peer" -> Boot4DeadPeerBenchmark.run(runs);
            case "sigterm-drain" -> Boot4SigtermDrainBenchmark.run(runs);
            case "stream-recovery" -> Boot4StreamRecoveryBenchmark.run(runs);
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
        String header = String.format("%s, %d cores, Java %s%n%n", System.getProperty("os.name") + " "
                + System.getProperty("os.version"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println(header + report);
        Path out = Path.of("target", "boot4-" + args[0] + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, header + report);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }
}
