package io.github.grpcresilience.benchmarks.kubernetes;

import io.github.grpcresilience.testing.KernelBlackHole;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the Kubernetes simulation: six pods, the two clients (starter, plain net.devh) on
 * the same Service name, then in turn scale-in 6 → 2, scale-out 2 → 6, scale-in 6 → 4, a rolling
 * update of the 4 pods (one new pod ready, then one old pod deleted, repeated) and the loss of one
 * pod's node (its address black-holed with nftables, out of DNS after the node controller's
 * grace, then killed). Files go to {@code target/kubernetes/run-N/}.
 */
final class Simulation {

    static final int CALLS_PER_SECOND = 200;
    static final int STREAMS = 4;
    static final Duration OBSERVE_SCALE_OUT = Duration.ofSeconds(90);
    static final Duration SHARE_WINDOW = Duration.ofSeconds(60);
    /** kube-controller-manager's node-monitor-grace-period: a silent node's pods leave the endpoints after it. */
    static final Duration NODE_MONITOR_GRACE = Duration.ofSeconds(40);
    static final Duration OBSERVE_NODE_LOSS = Duration.ofSeconds(60);
    /** Long enough for the freshly started pods' JVMs to warm up before the first change. */
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration SETTLE_AFTER_UPDATE = Duration.ofSeconds(10);

    private final int run;
    private final Manifests manifests;
    private final Path sampleJar;
    private final boolean kernelFaults;

    Simulation(int run, Manifests manifests, Path sampleJar, boolean kernelFaults) {
        this.run = run;
        this.manifests = manifests;
        this.sampleJar = sampleJar;
        this.kernelFaults = kernelFaults;
    }

    /** Runs the scenarios; returns the timeline and what each client saw, starter first. */
    Result run() throws Exception {
        Path directory = Path.of("target", "kubernetes", "run-" + run).toAbsolutePath();
        Files.createDirectories(directory);
        int port = freePort();
        ServiceDns dns = new ServiceDns(directory.resolve("hosts"), manifests.serviceName());
        String target = manifests.target(port);
        ClientProcess starter = null;
        ClientProcess plain = null;
        try (Deployment deployment = new Deployment(manifests, dns, sampleJar, port, "127.23." + run + ".",
                directory)) {
            say("6 pods on 127.23." + run + ".1-6:" + port);
            deployment.scaleUp(6);
            starter = ClientProcess.start("starter", target, CALLS_PER_SECOND, STREAMS, dns.file(), directory);
            plain = ClientProcess.start("plain", target, CALLS_PER_SECOND, STREAMS, dns.file(), directory);
            starter.awaitStarted();
            plain.awaitStarted();
            Thread.sleep(WARM_UP.toMillis());

            say("scale-in 6 -> 2");
            Timeline.Window scaleIn = scaleIn(deployment, 4);

            say("scale-out 2 -> 6");
            long from = System.currentTimeMillis();
            List<String> added = deployment.scaleUp(4).stream().map(pod -> pod.address).toList();
            long lastPublished = dns.history().stream().filter(listing -> added.contains(listing.address()))
                    .mapToLong(ServiceDns.Listing::published).max().orElseThrow();
            sleepUntil(lastPublished + OBSERVE_SCALE_OUT.toMillis());
            Timeline.Window scaleOut = new Timeline.Window(from, System.currentTimeMillis());

            say("scale-in 6 -> 4");
            Timeline.Window secondScaleIn = scaleIn(deployment, 2);

            say("rolling update of 4 pods");
            Map<String, Long> sigterms = new LinkedHashMap<>();
            List<Pod> old = deployment.running();
            from = System.currentTimeMillis();
            for (Pod pod : old) {
                deployment.scaleUp(1);
                deployment.terminate(pod);
                sigterms.put(pod.address, pod.terminating());
                say("  replaced " + pod.address);
            }
            deployment.awaitExit(old);
            Thread.sleep(SETTLE_AFTER_UPDATE.toMillis());
            Timeline.Window rolling = new Timeline.Window(from, System.currentTimeMillis());

            Timeline.NodeLoss nodeLoss = null;
            if (kernelFaults) {
                Pod lost = deployment.running().get(0);
                say("node loss: " + lost.address + " black-holed");
                try (KernelBlackHole blackHole = KernelBlackHole.forAddress(lost.address, port)) {
                    from = System.currentTimeMillis();
                    blackHole.engage();
                    sleepUntil(from + NODE_MONITOR_GRACE.toMillis());
                    long unpublished = dns.unpublish(lost.address);
                    sleepUntil(from + OBSERVE_NODE_LOSS.toMillis());
                    long killed = System.currentTimeMillis();
                    lost.sigkill();
                    lost.awaitExit(Duration.ofSeconds(10));
                    blackHole.release();
                    Thread.sleep(SETTLE.toMillis());
                    nodeLoss = new Timeline.NodeLoss(lost.address, new Timeline.Window(from, killed), unpublished,
                            killed);
                }
            }
            ClientRecord starterRecord = starter.stop();
            ClientRecord plainRecord = plain.stop();
            return new Result(new Timeline(scaleIn, scaleOut, added, secondScaleIn, rolling, sigterms, nodeLoss,
                    dns.history()), starterRecord, plainRecord);
        } finally {
            if (starter != null) {
                starter.kill();
            }
            if (plain != null) {
                plain.kill();
            }
        }
    }

    record Result(Timeline timeline, ClientRecord starter, ClientRecord plain) {
    }

    /** Deletes the newest {@code count} pods at once; the window ends a few seconds after they exited. */
    private static Timeline.Window scaleIn(Deployment deployment, int count) throws InterruptedException {
        List<Pod> running = deployment.running();
        List<Pod> deleted = running.subList(running.size() - count, running.size());
        long from = System.currentTimeMillis();
        deleted.forEach(deployment::terminate);
        deployment.awaitExit(deleted);
        Thread.sleep(SETTLE.toMillis());
        return new Timeline.Window(from, System.currentTimeMillis());
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** A port free on every address, so each pod can bind it on its own loopback address. */
    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void say(String what) {
        System.out.printf("%tT run %d: %s%n", System.currentTimeMillis(), run, what);
    }
}
