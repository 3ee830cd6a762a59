package io.github.grpcresilience.benchmarks.soak;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.github.grpcresilience.testing.KernelBlackHole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault soak (issue 22): the packaged sample's control plane (a new config version every
 * second) and pairs of agents, one with the starter and one with {@code grpc.resilience.enabled=false}
 * and the hand-written 1 s re-subscribe loop, each agent through its own {@link FaultInjectingProxy}.
 * Faults come one at a time on a seeded schedule ({@link FaultPlan}); the control plane runs with a
 * short max-age, so GOAWAY {@code max_age} cuts every stream in the background. Measured (see
 * {@link SoakReport}): convergence after every fault, ack accounting, failed idempotent unary
 * calls outside outages, and each agent's threads, heap after GC, descriptors and live calls at
 * the start and the end.
 *
 * <p>Options (system properties): {@code soak.duration} (default 10m), {@code soak.seed}
 * (default random; printed), {@code soak.pairs} (default 3), {@code sample.jar}.
 */
public final class SoakBenchmark {

    static final Duration CONVERGENCE_CAP = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(420);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);
    private static final long POLL_MILLIS = 50;
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    static final Duration MAX_AGE_GRACE = Duration.ofSeconds(5);
    /**
     * Pings per too_many_pings fault: grpc-java's server allows 2 strikes (pings sooner than its
     * permit after the last valid one) and sends GOAWAY at the third; the first of a burst may be
     * valid, so 5 make 3 strikes whatever came before.
     */
    static final int PINGS_PER_FAULT = 5;
    /** grpc-java's default executor keeps an idle thread this long (a cached pool: 60 s), plus a margin. */
    static final Duration POOL_THREAD_EXPIRY = Duration.ofSeconds(65);
    static final Duration THREAD_READING_INTERVAL = Duration.ofSeconds(10);
    static final Duration THREAD_READING_CAP = Duration.ofSeconds(90);

    private static final Pattern RECEIVED = Pattern.compile("Agent (\\S+) received config version (\\d+)");
    private static final Pattern PUSHED = Pattern.compile("Pushed config version (\\d+) to");
    private static final Pattern ACKED = Pattern.compile("Agent (\\S+) acknowledged version \\d+ \\(ack (\\d+)\\)");
    private static final Pattern HANDED_BACK = Pattern.compile(
            "Agent (\\S+): \\d+ ack\\(s\\) handed back unconfirmed as the config stream ended \\[([0-9, ]*)\\]");
    private static final Pattern CHECK_FAILED = Pattern.compile("Agent (\\S+): config check failed after (\\d+) ms");
    private static final Pattern STOPS = Pattern.compile(
            "Agent (\\S+) stops: (\\d+) acks accepted by the stream, (\\d+) handed back");
    private static final Pattern CHECKS = Pattern.compile("Agent (\\S+): config checks: (\\d+) succeeded, (\\d+) failed");

    private final Path jar;
    private final Path logDir = Path.of("target", "soak");
    private final SoakLedger ledger = new SoakLedger();
    private final SoakReport report;
    private final int pairs;
    private final int controlPlanePort;
    private final List<String> starters = new ArrayList<>();
    private final List<String> baselines = new ArrayList<>();
    private final Map<String, SampleProcess> agents = new LinkedHashMap<>();
    private final Map<String, FaultInjectingProxy> proxies = new LinkedHashMap<>();
    private final Map<String, long[]> unaryTotals = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> streamBreaks = new ConcurrentHashMap<>();
    private final List<MaxAgeRecovery> maxAgeRecoveries = new ArrayList<>();
    private volatile SampleProcess controlPlane;
    private int controlPlaneStarts;

    /** A stream cut by GOAWAY max_age: measured from the cut until the agent is current again. */
    private static final class MaxAgeRecovery {
        final String agent;
        final long cut;
        long recovered = -1;

        MaxAgeRecovery(String agent, long cut) {
            this.agent = agent;
            this.cut = cut;
        }
    }

    private SoakBenchmark(Path jar, int pairs, long seed, Duration duration) throws IOException {
        this.jar = jar;
        this.pairs = pairs;
        this.controlPlanePort = freePort();
        this.report = new SoakReport(seed, duration, pairs);
    }

    public static void main(String[] args) throws Exception {
        Duration duration = parseDuration(System.getProperty("soak.duration", "10m"));
        String seedProperty = System.getProperty("soak.seed", "");
        long seed = seedProperty.isBlank() ? new java.security.SecureRandom().nextLong() : Long.parseLong(seedProperty);
        int pairs = Integer.parseInt(System.getProperty("soak.pairs", "3"));
        Path jar = Path.of(System.getProperty("sample.jar",
                "../sample-app/target/grpc-resilience-sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run with -pl sample-app,benchmarks (see BENCHMARKS.md)");
        }
        System.out.printf("soak: seed %d, duration %s, %d pairs of agents, sample %s%n", seed, duration, pairs, jar);
        new SoakBenchmark(jar, pairs, seed, duration).run(seed, duration);
    }

    private void run(long seed, Duration duration) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll));
        boolean blackHoles = KernelBlackHole.available();
        if (!blackHoles) {
            System.out.println("soak: kernel black holes need root and nftables; that fault is replaced by a freeze");
        }
        try {
            startControlPlane();
            controlPlane.awaitStarted(START_TIMEOUT);
            for (int pair = 1; pair <= pairs; pair++) {
                startAgent("starter-" + pair, true);
                startAgent("baseline-" + pair, false);
            }
            for (SampleProcess agent : agents.values()) {
                agent.awaitStarted(START_TIMEOUT);
            }
            if (!pollUntil(() -> allCurrent(List.copyOf(agents.keySet())), System.nanoTime() + START_TIMEOUT.toNanos())) {
                throw new IllegalStateException("the agents did not all receive the current version");
            }
            warmUp();
            System.out.println("soak: all agents current after the warm-up; reading the start metrics");
            report.threadPools("start", readThreadPools(), "taken with the other start figures");
            report.processMetrics("start", readMetrics());
            ledger.measuring();
            long lastFaultEnd = faults(new FaultPlan(seed, pairs), duration, blackHoles);
            System.out.println("soak: faults over; reading the end metrics once idle pool threads have expired");
            readSettledThreadPools(lastFaultEnd);
            report.processMetrics("end", readMetrics());
            stopAll();
            report.acks(ledger.acks());
            report.unary(unaryTotals, ledger.failures());
            synchronized (maxAgeRecoveries) {
                for (MaxAgeRecovery recovery : maxAgeRecoveries) {
                    report.maxAge(recovery.agent.startsWith("starter"), recovery.recovered < 0 ? -1
                            : recovery.recovered - recovery.cut);
                }
            }
            report.streamBreaks(streamBreaks);
            String text = report.markdown();
            System.out.println(text);
            Path out = Path.of("target", "soak.md");
            Files.writeString(out, text);
            System.out.println("written to " + out.toAbsolutePath() + "; process logs in " + logDir.toAbsolutePath());
        } finally {
            killAll();
        }
    }

    /** Injects faults until {@code duration} has passed; returns when the last one ended. */
    private long faults(FaultPlan plan, Duration duration, boolean blackHoles) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        long previousEnd = System.nanoTime();
        Convergence convergence = null;
        FaultPlan.Fault previous = null;
        while (true) {
            FaultPlan.Fault fault = plan.next();
            if (fault.kind() == FaultKind.BLACK_HOLE && !blackHoles) {
                fault = new FaultPlan.Fault(fault.number(), FaultKind.FREEZE, fault.pair(), fault.gapBefore(),
                        fault.duration());
            }
            long earliest = previousEnd + fault.gapBefore().toNanos();
            long cap = previousEnd + CONVERGENCE_CAP.toNanos();
            Convergence open = convergence;
            pollUntil(() -> System.nanoTime() >= earliest
                    && (open == null || converged(open) || System.nanoTime() >= cap), Long.MAX_VALUE, open);
            if (previous != null) {
                report.fault(previous, open.nanosUntilAll(starters), open.nanosUntilAll(baselines),
                        System.nanoTime() - open.faultEnd());
            }
            if (System.nanoTime() >= deadline) {
                // a max-age cut of the last moments is measured too (the cap bounds it)
                pollUntil(this::maxAgeRecovered, System.nanoTime() + CONVERGENCE_CAP.toNanos());
                return previousEnd;
            }
            System.out.printf("soak %s: %s%n", Instant.now(), fault.describe());
            long start = System.nanoTime();
            ledger.faultStarted(fault.kind().label);
            List<String> hit = fault.kind().pair ? List.of("starter-" + fault.pair(), "baseline-" + fault.pair())
                    : List.copyOf(agents.keySet());
            long end = inject(fault, hit);
            convergence = new Convergence(start, end, Set.copyOf(hit));
            previous = fault;
            previousEnd = end;
        }
    }

    private boolean converged(Convergence convergence) {
        return convergence.nanosUntilAll(starters).isPresent() && convergence.nanosUntilAll(baselines).isPresent();
    }

    /** Injects the fault; returns when it ended (the control plane ready again, the path restored). */
    private long inject(FaultPlan.Fault fault, List<String> hit) throws Exception {
        List<FaultInjectingProxy> paths = hit.stream().map(proxies::get).toList();
        long start = System.nanoTime();
        switch (fault.kind()) {
            case RST -> paths.forEach(FaultInjectingProxy::reset);
            case TOO_MANY_PINGS -> {
                int connections = paths.stream().mapToInt(p -> p.injectPings(PINGS_PER_FAULT)).sum();
                System.out.printf("soak: %d PINGs into each of %d connection(s) of %s%n", PINGS_PER_FAULT,
                        connections, hit);
            }
            case FIN -> {
                paths.forEach(FaultInjectingProxy::cut);
                paths.forEach(FaultInjectingProxy::finCut);
            }
            case FREEZE -> {
                hit.forEach(agent -> ledger.outageStarted(agent, start));
                paths.forEach(FaultInjectingProxy::freeze);
                pollUntil(() -> false, start + fault.duration().toNanos());
                paths.forEach(SoakBenchmark::endFreeze);
                long end = System.nanoTime();
                hit.forEach(agent -> ledger.outageEnded(agent, end));
            }
            case BLACK_HOLE -> {
                hit.forEach(agent -> ledger.outageStarted(agent, start));
                List<KernelBlackHole> holes = paths.stream().map(p -> KernelBlackHole.forPort(p.port())).toList();
                try {
                    holes.forEach(KernelBlackHole::engage);
                    pollUntil(() -> false, start + fault.duration().toNanos());
                } finally {
                    holes.forEach(KernelBlackHole::release);
                }
                long end = System.nanoTime();
                hit.forEach(agent -> ledger.outageEnded(agent, end));
            }
            case SIGTERM_RESTART, SIGKILL_RESTART -> {
                hit.forEach(agent -> ledger.outageStarted(agent, start));
                SampleProcess old = controlPlane;
                if (fault.kind() == FaultKind.SIGTERM_RESTART) {
                    old.sigterm();
                } else {
                    old.sigkill();
                }
                if (!pollWhile(old, EXIT_TIMEOUT)) {
                    System.out.println("soak: the control plane did not exit within " + EXIT_TIMEOUT.toSeconds()
                            + " s of SIGTERM; killing it");
                    old.sigkill();
                    old.awaitExit(EXIT_TIMEOUT);
                }
                startControlPlane();
                long ready = awaitStartedPolling(controlPlane);
                hit.forEach(agent -> ledger.outageEnded(agent, ready));
                return ready;
            }
            default -> throw new IllegalStateException("unknown fault " + fault.kind());
        }
        return System.nanoTime();
    }

    /**
     * Ends a freeze as a hung peer's end looks: its connections are reset and new ones pass. Simply
     * passing again would forward bytes after a gap of discarded ones, a corruption TCP never
     * delivers; new connections are refused meanwhile, so none is opened frozen and then passed.
     */
    private static void endFreeze(FaultInjectingProxy proxy) {
        proxy.refuseNewConnections(true);
        proxy.reset();
        proxy.pass();
        proxy.refuseNewConnections(false);
    }

    /** Polls the max-age recoveries while the old control plane exits; false if it did not. */
    private boolean pollWhile(SampleProcess process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process.awaitExit(Duration.ofMillis(POLL_MILLIS))) {
                return true;
            }
            pollMaxAge(System.nanoTime());
        }
        return false;
    }

    private long awaitStartedPolling(SampleProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return process.awaitStarted(Duration.ofMillis(POLL_MILLIS));
            } catch (IllegalStateException notYet) {
                pollMaxAge(System.nanoTime());
            }
        }
        return process.awaitStarted(Duration.ZERO);
    }

    private void startControlPlane() throws IOException {
        ledger.controlPlaneStarted();
        controlPlaneStarts++;
        controlPlane = SampleProcess.start(jar, "control-plane-" + controlPlaneStarts, freePort(), logDir, this::line,
                List.of("--spring.profiles.active=server", "--grpc.server.address=127.0.0.1",
                        "--grpc.server.port=" + controlPlanePort, "--sample.push-interval=1s",
                        "--grpc.resilience.server.connection.max-age=" + MAX_AGE.toSeconds() + "s",
                        "--grpc.resilience.server.connection.max-age-grace=" + MAX_AGE_GRACE.toSeconds() + "s",
                        "--logging.level.io.github.grpcresilience.sample.ControlPlaneService=DEBUG"));
    }

    private void startAgent(String name, boolean starter) throws IOException {
        FaultInjectingProxy proxy = FaultInjectingProxy.start("127.0.0.1", controlPlanePort);
        proxies.put(name, proxy);
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=client",
                "--grpc.client.control-plane.address=static://127.0.0.1:" + proxy.port(), "--sample.agent-id=" + name,
                "--sample.config-check-interval=500ms"));
        if (starter) {
            // the control plane uses the starter, so it permits 10 s; the sample's application.yml suggests 30 s
            arguments.add("--grpc.resilience.client.channels.control-plane.keepalive.time=30s");
            starters.add(name);
        } else {
            arguments.addAll(List.of("--grpc.resilience.enabled=false", "--sample.reconnect=resubscribe-loop"));
            baselines.add(name);
        }
        agents.put(name, SampleProcess.start(jar, name, freePort(), logDir, this::line, arguments));
    }

    /** Every output line of every process. */
    private void line(SampleProcess from, String line, long nanos) {
        Matcher m;
        if ((m = RECEIVED.matcher(line)).find()) {
            ledger.received(m.group(1), Long.parseLong(m.group(2)), nanos);
        } else if ((m = PUSHED.matcher(line)).find()) {
            if (from == controlPlane) {
                ledger.published(Long.parseLong(m.group(1)), nanos);
            }
        } else if ((m = ACKED.matcher(line)).find()) {
            ledger.ackReceived(m.group(1), Long.parseLong(m.group(2)));
        } else if ((m = HANDED_BACK.matcher(line)).find()) {
            ledger.acksHandedBack(m.group(1), m.group(2).isBlank() ? List.of()
                    : Arrays.stream(m.group(2).split(",\\s*")).map(Long::parseLong).toList());
        } else if ((m = CHECK_FAILED.matcher(line)).find()) {
            ledger.unaryFailed(m.group(1), nanos, TimeUnit.MILLISECONDS.toNanos(Long.parseLong(m.group(2))));
        } else if ((m = STOPS.matcher(line)).find()) {
            ledger.acksReported(m.group(1), Long.parseLong(m.group(2)));
        } else if ((m = CHECKS.matcher(line)).find()) {
            unaryTotals.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        } else if (line.contains("broke (")) {
            streamBreaks.computeIfAbsent(from.name, k -> new AtomicLong()).incrementAndGet();
            if (line.contains("max_age") && ledger.isMeasuring() && !ledger.inOutage(from.name, nanos)) {
                synchronized (maxAgeRecoveries) {
                    maxAgeRecoveries.add(new MaxAgeRecovery(from.name, nanos));
                }
            }
        }
    }

    /**
     * One RST on every agent's path before the start reading, so that what an application starts
     * lazily at its first reconnect (the starter's stream scheduler thread, a connection's event
     * loop) is in place at the start: growth between start and end then means something per fault.
     */
    private void warmUp() throws InterruptedException {
        long reset = System.nanoTime();
        proxies.values().forEach(FaultInjectingProxy::reset);
        List<String> names = List.copyOf(agents.keySet());
        if (!pollUntil(() -> names.stream().allMatch(name -> ledger.current(name, System.nanoTime(), reset)),
                System.nanoTime() + START_TIMEOUT.toNanos())) {
            throw new IllegalStateException("the agents did not all recover from the warm-up reset");
        }
        System.out.printf("soak: warm-up reset of every path: all agents current after %.1f s%n",
                (System.nanoTime() - reset) / 1e9);
    }

    private boolean maxAgeRecovered() {
        synchronized (maxAgeRecoveries) {
            return maxAgeRecoveries.stream().allMatch(recovery -> recovery.recovered >= 0);
        }
    }

    private void pollMaxAge(long now) {
        synchronized (maxAgeRecoveries) {
            for (MaxAgeRecovery recovery : maxAgeRecoveries) {
                if (recovery.recovered < 0 && ledger.current(recovery.agent, now, recovery.cut)) {
                    recovery.recovered = now;
                }
            }
        }
    }

    private boolean allCurrent(List<String> names) {
        long now = System.nanoTime();
        return names.stream().allMatch(name -> ledger.current(name, now, Long.MIN_VALUE));
    }

    private boolean pollUntil(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
        return pollUntil(done, deadlineNanos, null);
    }

    /** Every 50 ms: feeds the open convergence and the max-age recoveries, then checks {@code done}. */
    private boolean pollUntil(BooleanSupplier done, long deadlineNanos, Convergence convergence)
            throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (convergence != null) {
                convergence.poll(ledger, agents.keySet(), now);
            }
            pollMaxAge(now);
            if (done.getAsBoolean()) {
                return true;
            }
            if (now >= deadlineNanos) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private Map<String, SoakReport.ProcessMetrics> readMetrics() throws Exception {
        Map<String, SoakReport.ProcessMetrics> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, SampleProcess> entry : agents.entrySet()) {
            SampleProcess agent = entry.getValue();
            agent.gc();
            metrics.put(entry.getKey(), new SoakReport.ProcessMetrics(
                    (long) agent.metric("jvm.threads.live", "", "VALUE"),
                    (long) agent.metric("jvm.memory.used", "?tag=area:heap", "VALUE"),
                    (long) agent.metric("process.files.open", "", "VALUE"),
                    (long) agent.metric("grpc.client.active", "", "ACTIVE_TASKS")));
        }
        return metrics;
    }

    /** Every agent's Java threads by pool. */
    private Map<String, Map<String, Integer>> readThreadPools() throws IOException, InterruptedException {
        Map<String, Map<String, Integer>> pools = new LinkedHashMap<>();
        for (Map.Entry<String, SampleProcess> entry : agents.entrySet()) {
            pools.put(entry.getKey(), ThreadPools.byPool(ThreadPools.threadNames(entry.getValue().threadDump())));
        }
        return pools;
    }

    /**
     * The end reading of the thread pools, taken once threads a fault's burst added to a cached pool
     * can have expired ({@link #POOL_THREAD_EXPIRY} after the last fault's end), then repeated every
     * 10 s until two readings in a row agree for every agent, for at most 90 s. The JVM's compiler
     * threads are left out of the comparison: the JIT starts and stops them with its queue.
     */
    private void readSettledThreadPools(long lastFaultEnd) throws Exception {
        pollUntil(() -> false, lastFaultEnd + POOL_THREAD_EXPIRY.toNanos());
        long first = System.nanoTime();
        Map<String, Map<String, Integer>> previous = readThreadPools();
        int readings = 1;
        while (true) {
            pollUntil(() -> false, System.nanoTime() + THREAD_READING_INTERVAL.toNanos());
            Map<String, Map<String, Integer>> current = readThreadPools();
            readings++;
            boolean settled = applicationThreadsAgree(previous, current, readings);
            if (settled || System.nanoTime() - first >= THREAD_READING_CAP.toNanos()) {
                String how = String.format(Locale.ROOT, "%s %d s after the last fault's end, %d readings %d s "
                        + "apart (%s)", settled ? "taken" : "last of", TimeUnit.NANOSECONDS.toSeconds(
                                System.nanoTime() - lastFaultEnd), readings, THREAD_READING_INTERVAL.toSeconds(),
                        settled ? "the last two agree but for the JIT's compiler threads"
                                : "still changing after " + THREAD_READING_CAP.toSeconds() + " s");
                System.out.println("soak: end thread pools " + how);
                report.threadPools("end", current, how);
                return;
            }
            previous = current;
        }
    }

    /** Whether every agent has the same threads in both readings but for the JIT's; prints the changes. */
    private static boolean applicationThreadsAgree(Map<String, Map<String, Integer>> previous,
            Map<String, Map<String, Integer>> current, int reading) {
        boolean agree = true;
        for (Map.Entry<String, Map<String, Integer>> agent : current.entrySet()) {
            List<ThreadPools.Change> changes = ThreadPools.changes(
                    ThreadPools.withoutJvmCompilerThreads(previous.get(agent.getKey())),
                    ThreadPools.withoutJvmCompilerThreads(agent.getValue()));
            if (!changes.isEmpty()) {
                agree = false;
                System.out.println("soak: thread reading " + reading + ": " + agent.getKey() + " " + changes);
            }
        }
        return agree;
    }

    /** Agents first (their last acks reach the control plane), then the control plane. */
    private void stopAll() throws InterruptedException {
        agents.values().forEach(SampleProcess::sigterm);
        for (SampleProcess agent : agents.values()) {
            if (!agent.awaitExit(EXIT_TIMEOUT)) {
                System.out.println("soak: " + agent.name + " did not exit within " + EXIT_TIMEOUT.toSeconds() + " s");
            }
        }
        controlPlane.sigterm();
        controlPlane.awaitExit(EXIT_TIMEOUT);
        proxies.values().forEach(FaultInjectingProxy::close);
    }

    private void killAll() {
        agents.values().forEach(SampleProcess::sigkill);
        SampleProcess cp = controlPlane;
        if (cp != null) {
            cp.sigkill();
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("soak.duration: use e.g. 90s, 10m or 1h, not " + text);
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
