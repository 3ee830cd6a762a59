package io.github.grpcresilience.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Rolling restart: three backends in their own JVMs ({@link BenchmarkServer}) behind one
 * multi-address target; clients in their own JVMs ({@link RollingRestartClient}) send 100 unary
 * calls/s each ({@code -Drate=N} for another rate); every backend in turn is stopped, kept down 1 s and started again on its port,
 * first gracefully (SIGTERM), then by a crash (SIGKILL), with 3 s between backends. Counted: failed
 * calls per phase. Clients, all in the same run against the same backends: the starter's defaults;
 * plain net.devh as a new user has it (observation on); plain net.devh with grpc-java's RFC 3986
 * parsing switched off process-wide, with observation on and off (off is the workaround that makes
 * it run at all).
 */
final class RollingRestartBenchmark {

    private static final int BACKENDS = 3;
    /** Calls/s per client; {@code -Drate=N} on the Maven command line. */
    private static final int CALLS_PER_SECOND = Integer.getInteger("benchmark.rate", 100);
    private static final long DOWN_MILLIS = 1000;
    private static final long SETTLE_MILLIS = 3000;

    private record ClientSpec(String label, String mode, String observation, boolean rfc3986) {
    }

    private static final List<ClientSpec> CLIENTS = List.of(
            new ClientSpec("starter defaults (observation on)", "starter", "true", true),
            new ClientSpec("plain net.devh (observation on)", "plain", "true", true),
            new ClientSpec("plain net.devh, GRPC_ENABLE_RFC3986_URIS=false, observation on", "plain", "true", false),
            new ClientSpec("plain net.devh, GRPC_ENABLE_RFC3986_URIS=false, observation off", "plain", "false", false));

    private RollingRestartBenchmark() {
    }

    static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 1;
        StringBuilder report = new StringBuilder("# Rolling restart\n\n")
                .append(String.format("%d backends (separate JVMs), %d calls/s per client, each backend stopped, "
                        + "down %d ms, restarted, %d ms between backends; %d run(s); %s, %d cores, Java %s%n%n",
                        BACKENDS, CALLS_PER_SECOND, DOWN_MILLIS, SETTLE_MILLIS, runs, System.getProperty("os.name"),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")))
                .append("| run | client | phase | calls | failed | failures |\n|---|---|---|---|---|---|\n");
        for (int run = 1; run <= runs; run++) {
            for (String row : run(run)) {
                report.append(row).append('\n');
            }
        }
        System.out.println(report);
        Path out = Path.of("target", "rolling-restart-" + CALLS_PER_SECOND + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static List<String> run(int run) throws Exception {
        int[] ports = new int[BACKENDS];
        for (int i = 0; i < BACKENDS; i++) {
            ports[i] = ChildJvm.freePort();
        }
        ChildJvm[] servers = new ChildJvm[BACKENDS];
        List<ChildJvm> clients = new ArrayList<>();
        try {
            for (int i = 0; i < BACKENDS; i++) {
                servers[i] = startServer(ports[i]);
            }
            String target = "static://" + java.util.Arrays.stream(ports).mapToObj(port -> "127.0.0.1:" + port)
                    .collect(Collectors.joining(","));
            for (ClientSpec spec : CLIENTS) {
                ProcessBuilder builder = ChildJvm.java(RollingRestartClient.class.getName(), spec.mode(), target,
                        String.valueOf(CALLS_PER_SECOND), spec.observation());
                if (!spec.rfc3986()) {
                    builder.environment().put("GRPC_ENABLE_RFC3986_URIS", "false");
                }
                clients.add(new ChildJvm(builder));
            }
            for (ChildJvm client : clients) {
                client.await("STARTED");
            }
            Thread.sleep(SETTLE_MILLIS);
            for (String phase : List.of("sigterm", "sigkill")) {
                switchPhase(clients, phase);
                for (int i = 0; i < BACKENDS; i++) {
                    System.out.printf("run %d: %s backend %d%n", run, phase, i + 1);
                    if (phase.equals("sigterm")) {
                        servers[i].process.destroy();
                    } else {
                        servers[i].process.destroyForcibly();
                    }
                    servers[i].process.waitFor(30, TimeUnit.SECONDS);
                    Thread.sleep(DOWN_MILLIS);
                    servers[i] = startServer(ports[i]);
                    Thread.sleep(SETTLE_MILLIS);
                }
            }
            switchPhase(clients, "after");
            Thread.sleep(SETTLE_MILLIS);
            clients.forEach(client -> client.send("stop"));
            List<String> rows = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                ChildJvm client = clients.get(c);
                for (String line = client.await("RESULT "); ; line = client.await("")) {
                    if (line.equals("END")) {
                        break;
                    }
                    if (line.startsWith("RESULT ")) {
                        String[] parts = line.split(" ", 5);
                        rows.add(String.format("| %d | %s | %s | %s | %s | %s |", run, CLIENTS.get(c).label(),
                                parts[1], parts[2], parts[3], parts[4].replace('_', ' ')));
                    }
                }
            }
            return rows;
        } finally {
            for (ChildJvm client : clients) {
                client.process.destroyForcibly();
            }
            for (ChildJvm server : servers) {
                if (server != null) {
                    server.process.destroyForcibly();
                }
            }
        }
    }

    /** Tells every client the new phase and waits until each has switched, so no call is misattributed. */
    private static void switchPhase(List<ChildJvm> clients, String phase) throws InterruptedException {
        for (ChildJvm client : clients) {
            client.send("phase " + phase);
        }
        for (ChildJvm client : clients) {
            client.await("PHASE " + phase);
        }
    }

    private static ChildJvm startServer(int port) throws Exception {
        ChildJvm server = ChildJvm.start(BenchmarkServer.class.getName(), String.valueOf(port));
        server.await("READY");
        return server;
    }
}
